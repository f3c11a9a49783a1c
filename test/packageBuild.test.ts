// Issue 21: the component package ships compiled JavaScript and a precomputed schema, built from the
// source at install time (provider/build.js, the `prepare` script), so starting it type-checks and
// analyses nothing; and a launcher the engine runs directly, which starts one bundled file from V8's
// code cache and loads TypeScript only if something uses it.
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KongSigningKeyHostProvider } from "../components/packageProvider";
import { type ProviderProcess, startProviderProcess } from "./support/providerProcess";

const ROOT = path.resolve(__dirname, "..");
const PROVIDER = path.join(ROOT, "provider");
const LAUNCHER = "pulumi-resource-kong-signing-key-host";
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
    fs.copyFileSync(path.join(PROVIDER, LAUNCHER), path.join(built, LAUNCHER));
    fs.chmodSync(path.join(built, LAUNCHER), fs.statSync(path.join(PROVIDER, LAUNCHER)).mode);
    execFileSync(process.execPath, [path.join(PROVIDER, "build.js"), path.join(built, "dist")], { cwd: PROVIDER, stdio: "pipe" });
}, 120_000);

afterAll(() => {
    fs.rmSync(work, { recursive: true, force: true });
});

/** The schema the build stored: what the provider must serve, however it is started. */
function storedSchema(): unknown {
    return JSON.parse(fs.readFileSync(path.join(built, "dist", "schema.json"), "utf8")).schema;
}

/** Script text that records in `loaded` every module request, built-ins aside, made after it runs. */
const RECORD_LOADS = `
    const Module = require("node:module");
    const load = Module._load, loaded = [];
    Module._load = function (request) { if (!Module.isBuiltin(request)) loaded.push(request); return load.apply(this, arguments); };`;

/** Runs `script` in a fresh Node.js (the bundle must not load into the test's own process) and parses its JSON output. */
function inFreshNode(script: string): Record<string, unknown> {
    // In the package folder, as a provider runs (computeCodePaths reads the package.json it finds there).
    const out = execFileSync(process.execPath, ["-e", script], { cwd: built, encoding: "utf8", timeout: 60_000 });
    return JSON.parse(out.trim().split("\n").pop()!);
}

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
            expect(JSON.parse(await provider.getSchema())).toEqual(storedSchema());
        });
    });

    describe("started by its launcher, as the engine starts it where the launcher can run", () => {
        let provider: ProviderProcess;
        beforeAll(async () => {
            // The engine runs pulumi-resource-<name> from the package folder when that file exists, in the
            // stack's directory: here a directory of its own.
            const stackDir = fs.mkdtempSync(path.join(work, "stack-"));
            provider = await startProviderProcess([], { command: path.join(built, LAUNCHER), cwd: stackDir });
        }, 60_000);
        afterAll(async () => { await provider?.stop(); });

        it("answers GetSchema with the stored schema", async () => {
            expect(JSON.parse(await provider.getSchema())).toEqual(storedSchema());
        });

        it("is executable and committed as such", () => {
            expect(fs.statSync(path.join(PROVIDER, LAUNCHER)).mode & 0o111).toBe(0o111);
            const mode = execFileSync("git", ["ls-files", "--stage", `provider/${LAUNCHER}`], { cwd: ROOT, encoding: "utf8" });
            expect(mode).toMatch(/^100755 /);
        });

        it("says what to run when the package is not built", () => {
            const bare = fs.mkdtempSync(path.join(work, "unbuilt-"));
            fs.copyFileSync(path.join(built, LAUNCHER), path.join(bare, LAUNCHER));
            fs.chmodSync(path.join(bare, LAUNCHER), 0o755);
            const run = spawnSync(path.join(bare, LAUNCHER), ["127.0.0.1:1"], { encoding: "utf8", timeout: 30_000 });
            expect(run.status).toBe(1);
            expect(run.stderr).toContain(`run \`npm install\` in ${bare}`);
        });
    });

    describe("the bundle (dist/provider.js)", () => {
        it("is all a construct needs: loading it and the construct's code reads no other module, TypeScript included", () => {
            const bundle = path.join(built, "dist", "provider.js");
            const result = inFreshNode(`
                ${RECORD_LOADS}
                require(${JSON.stringify(bundle)}).loadConstructCode();
                console.log(JSON.stringify({ loaded }));`);
            expect(result.loaded).toEqual([bundle]);
        });

        it("is ASCII only, as the launcher reads it (latin1)", () => {
            const bytes = fs.readFileSync(path.join(built, "dist", "provider.js"));
            const firstNonAscii = bytes.findIndex((b) => b > 0x7f);
            expect(firstNonAscii, "a byte above 0x7f: check build.js `charset`").toBe(-1);
        });

        it("starts from a code cache V8 accepts", () => {
            expect(fs.statSync(path.join(built, "dist", "provider.cache")).size).toBeGreaterThan(100_000);
            const result = inFreshNode(`
                const launch = require(${JSON.stringify(path.join(built, "dist", "launch.js"))});
                const { script } = launch.loadBundle(launch.readCodeCache());
                console.log(JSON.stringify({ rejected: script.cachedDataRejected }));`);
            expect(result.rejected).toBe(false);
        });

        it("hands each stand-in's real module over at first use: the SDK still serializes a function (TypeScript) and computes code paths (npm's arborist), and has its Automation API", () => {
            const result = inFreshNode(`
                ${RECORD_LOADS}
                const pulumi = require(${JSON.stringify(path.join(built, "dist", "provider.js"))}).loadConstructCode();
                const before = [...loaded];
                const automation = typeof pulumi.automation.LocalWorkspace.create;
                const factor = 7;
                pulumi.runtime.serializeFunction(() => 6 * factor).then(async (serialized) => {
                    const codePaths = await pulumi.runtime.computeCodePaths();
                    console.log(JSON.stringify({ before: before.length, typescript: loaded.includes("typescript"), automation,
                        serialized: serialized.text.includes("6 * factor"), codePaths: codePaths instanceof Map }));
                });`);
            expect(result).toEqual({ before: 1, typescript: true, automation: "function", serialized: true, codePaths: true });
        });
    });
});
