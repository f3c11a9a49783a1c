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
const manifest = {
    name: rootPackage.name,
    version: rootPackage.version,
    description: rootPackage.description,
    license: rootPackage.license,
    main: "index.js",
    types: "index.d.ts",
    exports: { ".": { types: "./index.d.ts", default: "./index.js" } },
    dependencies: rootPackage.dependencies,
    engines: rootPackage.engines,
};
fs.writeFileSync(path.join(out, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
fs.copyFileSync(path.join(root, "README.md"), path.join(out, "README.md"));
fs.mkdirSync(destination, { recursive: true });
const tarball = execFileSync("npm", ["pack", "--silent", "--pack-destination", destination], { cwd: out, encoding: "utf8" }).trim().split("\n").pop();
process.stdout.write(`${path.join(destination, tarball)}\n`);
