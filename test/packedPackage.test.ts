import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repositoryField } from "../scripts/repositoryField";
import { loadProgram } from "./support/programLoader";

const root = path.resolve(__dirname, "..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "kskh-consumer-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const program = `import * as pulumi from "@pulumi/pulumi";
import { KongSigningKeyHost, SigningAlgorithm, type KongSigningKeyHostArgs } from "kong-signing-key-host";

const shared: KongSigningKeyHostArgs = {
    keysets: { access: { algorithm: SigningAlgorithm.ES256, generations: ["2026-11"] } },
    kongSources: ["172.30.20.10"],
};
const east = new KongSigningKeyHost("keys-east", shared);
const west = new KongSigningKeyHost("keys-west", { ...shared, docker: { networks: ["kong-west"] } });

export const urls: pulumi.Output<string>[] = [east.privateKeysetUrls.apply((u) => u.access), west.privateKeysetUrls.apply((u) => u.access)];
export const kids = [east.activeKids, west.activeKids];
`;

describe("the npm repository field", () => {
    it("comes from the remote the package is packed from, without credentials, and only for URLs others can clone", () => {
        expect(repositoryField("https://ci:tok@git.example.org/kskh/kong-signing-key-host.git")).toEqual({ type: "git", url: "git+https://git.example.org/kskh/kong-signing-key-host.git" });
        expect(repositoryField("git@git.example.org:kskh/kong-signing-key-host.git\n")).toEqual({ type: "git", url: "git+ssh://git@git.example.org/kskh/kong-signing-key-host.git" });
        expect(repositoryField("ssh://git@git.example.org:2222/kskh/repo.git")).toEqual({ type: "git", url: "git+ssh://git@git.example.org:2222/kskh/repo.git" });
        for (const local of ["/work/main", "../main", "file:///work/main", "", undefined]) expect(repositoryField(local), String(local)).toBeUndefined();
    });
});

describe("the packed npm package in a second stack", () => {
    it("installs from `npm pack`, type-checks, and runs two hosts side by side without clashes", () => {
        // Packed as from a clone whose origin carries a token: the field keeps the URL, never the credentials.
        const tarball = execFileSync(process.execPath, [path.join(root, "scripts", "pack.js"), work], {
            cwd: root, encoding: "utf8", env: { ...process.env, KSKH_REPOSITORY_URL: "https://ci:s3cret@git.example.org/kskh/kong-signing-key-host.git" },
        }).trim().split("\n").pop()!;
        expect(fs.existsSync(tarball)).toBe(true);
        const listing = execFileSync("tar", ["tzf", tarball], { encoding: "utf8" });
        expect(listing).toMatch(/package\/index\.d\.ts/);
        expect(listing).not.toMatch(/test\/|\.state|bench\//);
        expect(listing).toMatch(/package\/LICENSE/);
        expect(listing).toMatch(/package\/CHANGELOG\.md/);
        // The published shape passes the two linters consumers' tooling relies on.
        const bin = (tool: string) => path.join(root, "node_modules", ".bin", tool);
        execFileSync(bin("attw"), [tarball], { cwd: work, stdio: "pipe" }); // exits non-zero on any problem
        const unpacked = path.join(work, "unpacked");
        fs.mkdirSync(unpacked);
        execFileSync("tar", ["xzf", tarball, "-C", unpacked]);
        const lint = execFileSync(bin("publint"), ["--strict", path.join(unpacked, "package")], { encoding: "utf8" });
        expect(lint).not.toMatch(/Errors|Warnings/);
        const manifest = JSON.parse(fs.readFileSync(path.join(unpacked, "package", "package.json"), "utf8"));
        expect(manifest.peerDependencies).toEqual({ "@pulumi/pulumi": expect.stringMatching(/^\^3\./) });
        for (const sdk of ["@pulumi/docker", "@pulumi/tls"]) expect(manifest.dependencies[sdk]).toMatch(/^\^5\./);
        // The sweep command ships as a bin, with the plan it reads.
        expect(manifest.bin).toEqual({ "kong-signing-key-host-sweep": "tools/sweep.js" });
        expect(listing).toMatch(/package\/tools\/sweepPlan\.js/);
        expect(fs.statSync(path.join(unpacked, "package", "tools", "sweep.js")).mode & 0o111).not.toBe(0);
        expect(manifest.repository).toEqual({ type: "git", url: "git+https://git.example.org/kskh/kong-signing-key-host.git" });
        expect(fs.readFileSync(tarball).includes("s3cret")).toBe(false);

        const project = path.join(work, "consumer");
        fs.mkdirSync(project);
        const rootPackage = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
        fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({
            name: "consumer", private: true,
            // Other versions of the provider SDKs than the component is developed with (the oldest in its ranges).
            dependencies: {
                "kong-signing-key-host": `file:${tarball}`, "@pulumi/pulumi": rootPackage.dependencies["@pulumi/pulumi"],
                "@pulumi/docker": "5.0.0", "@pulumi/tls": "5.6.0",
            },
            devDependencies: { typescript: rootPackage.devDependencies.typescript, "@types/node": rootPackage.devDependencies["@types/node"] },
        }, null, 2));
        fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: consumer\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n");
        fs.writeFileSync(path.join(project, "tsconfig.json"), JSON.stringify({
            compilerOptions: { strict: true, outDir: "bin", target: "es2020", module: "commonjs", moduleResolution: "node", sourceMap: true, experimentalDecorators: true, pretty: true, noFallthroughCasesInSwitch: true, noImplicitReturns: true, forceConsistentCasingInFileNames: true },
            files: ["index.ts"],
        }, null, 2));
        fs.writeFileSync(path.join(project, "index.ts"), program);
        execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: project, stdio: "pipe", timeout: 300_000 });

        // One copy of each provider SDK (two would register two default providers).
        for (const [sdk, version] of [["@pulumi/docker", "5.0.0"], ["@pulumi/tls", "5.6.0"]]) {
            const copies = execFileSync("npm", ["ls", sdk, "--all", "--parseable"], { cwd: project, encoding: "utf8" }).trim().split("\n").filter(Boolean);
            expect(copies, sdk).toHaveLength(1);
            expect(JSON.parse(fs.readFileSync(path.join(copies[0], "package.json"), "utf8")).version).toBe(version);
        }

        const result = loadProgram(project, {});
        expect(result.error).toBeUndefined();
        const components = result.resources.filter((r) => r.type === "kong-signing-key-host:index:KongSigningKeyHost").map((r) => r.name);
        expect(components.sort()).toEqual(["keys-east", "keys-west"]);
        const keys = result.resources.map((r) => `${r.type}::${r.name}`);
        expect(new Set(keys).size).toBe(keys.length);
        expect(result.resources.filter((r) => r.type === "docker:index/container:Container")).toHaveLength(2);
        expect(result.outputs!.urls).toEqual(["https://keys-east:8443/private/access/jwks.json", "https://keys-west:8443/private/access/jwks.json"]);
        expect(result.outputs!.kids[0].access).not.toBe(result.outputs!.kids[1].access);
    });
});
