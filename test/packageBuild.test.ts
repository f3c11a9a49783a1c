// Issue 21: the component package ships compiled JavaScript and a precomputed schema, built from the
// source at install time (provider/build.js, the `prepare` script), so starting it type-checks and
// analyses nothing.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KongSigningKeyHostProvider } from "../components/packageProvider";
import { type ProviderProcess, startProviderProcess } from "./support/providerProcess";

const ROOT = path.resolve(__dirname, "..");
const PROVIDER = path.join(ROOT, "provider");
let work: string;
let built: string;

beforeAll(() => {
    if (!fs.existsSync(path.join(PROVIDER, "node_modules", "@pulumi", "pulumi"))) {
        throw new Error("provider/node_modules is missing: run `bash scripts/example-deps.sh` (npm ci in provider/)");
    }
    work = fs.mkdtempSync(path.join(os.tmpdir(), "kskh-package-"));
    // A package folder holding only what the build made, its manifest and its dependencies: no
    // TypeScript source, no tsconfig — what analysing at start would need is not there.
    built = path.join(work, "package");
    fs.mkdirSync(built);
    fs.copyFileSync(path.join(PROVIDER, "package.json"), path.join(built, "package.json"));
    fs.symlinkSync(path.join(PROVIDER, "node_modules"), path.join(built, "node_modules"));
    execFileSync(process.execPath, [path.join(PROVIDER, "build.js"), path.join(built, "dist")], { cwd: PROVIDER, stdio: "pipe" });
}, 120_000);

afterAll(() => {
    fs.rmSync(work, { recursive: true, force: true });
});

describe("the component package build", () => {
    it("stores exactly what the schema analyser produces from the source", async () => {
        const stored = JSON.parse(fs.readFileSync(path.join(built, "dist", "schema.json"), "utf8"));
        const analysed = await new KongSigningKeyHostProvider(PROVIDER).precompute();
        expect(stored).toEqual(analysed);
        expect(Object.keys(stored.schema.resources)).toEqual(["kong-signing-key-host:index:KongSigningKeyHost"]);
        expect(Object.keys(stored.componentDefinitions.KongSigningKeyHost.outputs)).toContain("kongRotateRequests");
    });

    it("is plain JavaScript: no TypeScript file in it, and the manifest's entry is the compiled one", () => {
        const files: string[] = [];
        const walk = (dir: string) => fs.readdirSync(dir, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : files.push(e.name)));
        walk(path.join(built, "dist"));
        expect(files.filter((f) => f.endsWith(".ts"))).toEqual([]);
        expect(files).toContain("index.js");
        const manifest = JSON.parse(fs.readFileSync(path.join(PROVIDER, "package.json"), "utf8"));
        expect(manifest.main).toBe("dist/index.js");
        expect(manifest.scripts.prepare).toBe("node build.js");
        expect(fs.readFileSync(path.join(PROVIDER, "PulumiPlugin.yaml"), "utf8")).toMatch(/^\s+typescript: false$/m);
    });

    describe("served from the build alone", () => {
        let provider: ProviderProcess;
        beforeAll(async () => {
            // What RunPlugin runs: the SDK's run-plugin entry on the package folder, TypeScript off.
            const runPlugin = path.join(PROVIDER, "node_modules", "@pulumi", "pulumi", "cmd", "run-plugin");
            provider = await startProviderProcess([runPlugin, built], { cwd: built, env: { PULUMI_NODEJS_TYPESCRIPT: "false" } });
        }, 60_000);
        afterAll(async () => { await provider?.stop(); });

        it("answers GetSchema with the stored schema, without source to analyse", async () => {
            const stored = JSON.parse(fs.readFileSync(path.join(built, "dist", "schema.json"), "utf8"));
            expect(JSON.parse(await provider.getSchema())).toEqual(stored.schema);
        });
    });
});
