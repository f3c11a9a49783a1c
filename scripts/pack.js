// Builds the component into dist/kong-signing-key-host (JS + .d.ts + README + its own package.json)
// and packs it with `npm pack`. The repository root stays a Pulumi project whose entry point is the
// example stack: a root package.json `main`/`exports` would make `pulumi up` run the barrel instead.
//
//   node scripts/pack.js [destinationDir]   -> prints the tarball path
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const out = path.join(root, "dist", "kong-signing-key-host");
const destination = path.resolve(process.argv[2] ?? path.join(root, "dist"));
fs.rmSync(out, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve("typescript/bin/tsc", { paths: [root] }), "-p", path.join(root, "tsconfig.build.json")], { stdio: "inherit" });
const rootPackage = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const { repositoryField } = require("./repositoryField");
// `repository`: KSKH_REPOSITORY_URL, else the `origin` remote of the clone being packed.
function originUrl() {
    try {
        return execFileSync("git", ["remote", "get-url", "origin"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    } catch {
        return undefined;
    }
}
const repository = repositoryField(process.env.KSKH_REPOSITORY_URL ?? originUrl());
if (!repository) process.stderr.write("pack.js: no https or ssh `origin` remote (or KSKH_REPOSITORY_URL): the package has no `repository` field\n");
// What a consumer's stack can live with: caret ranges for the provider SDKs (tested with the oldest
// minor of each: test/packedPackage.test.ts), so a stack on another minor keeps a single copy and a single
// default provider; @pulumi/pulumi as a peer, the consumer's own.
const CONSUMER_RANGES = { "@pulumi/docker": "^5.0.0", "@pulumi/kubernetes": "^4.24.1", "@pulumi/tls": "^5.6.0", jose: "^6.2.0", "ipaddr.js": "^2.5.0" };
const manifest = {
    name: rootPackage.name,
    version: rootPackage.version,
    description: rootPackage.description,
    license: rootPackage.license,
    type: "commonjs",
    ...(repository ? { repository } : {}),
    keywords: ["pulumi", "kong", "jwt-signer", "jwks", "nginx", "docker", "kubernetes", "pulumi-component"],
    main: "index.js",
    types: "index.d.ts",
    exports: { ".": { types: "./index.d.ts", default: "./index.js" } },
    // Finds (and removes) key host containers an interrupted `pulumi up` left running: README, "When things go wrong".
    bin: { "kong-signing-key-host-sweep": "tools/sweep.js" },
    files: ["**/*.js", "**/*.d.ts", "README.md", "LICENSE", "CHANGELOG.md"],
    dependencies: CONSUMER_RANGES,
    peerDependencies: { "@pulumi/pulumi": "^3.142.0" },
    engines: rootPackage.engines,
};
for (const name of Object.keys(CONSUMER_RANGES)) {
    if (!rootPackage.dependencies[name]) throw new Error(`pack.js: ${name} is not a dependency of the component any more`);
}
fs.writeFileSync(path.join(out, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
for (const file of ["README.md", "LICENSE", "CHANGELOG.md"]) fs.copyFileSync(path.join(root, file), path.join(out, file));
fs.mkdirSync(path.join(out, "tools"));
for (const file of ["sweep.js", "sweepPlan.js"]) fs.copyFileSync(path.join(root, "scripts", file), path.join(out, "tools", file));
fs.chmodSync(path.join(out, "tools", "sweep.js"), 0o755);
fs.mkdirSync(destination, { recursive: true });
const tarball = execFileSync("npm", ["pack", "--silent", "--pack-destination", destination], { cwd: out, encoding: "utf8" }).trim().split("\n").pop();
process.stdout.write(`${path.join(destination, tarball)}\n`);
