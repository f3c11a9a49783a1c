// Builds the component package: compiles index.ts and components/ to dist/ (plain JavaScript, so the
// provider starts without ts-node), then runs the SDK's schema analyser on the TypeScript source once
// and stores its result in dist/schema.json (so the provider starts without analysing anything).
// Runs as the package's `prepare` script: `npm install` here (what `pulumi package add` runs) builds it.
//
//   node build.js [outDir]   -> <outDir, default dist>/index.js, components/*.js, schema.json
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

async function main() {
    const dir = __dirname;
    const dist = path.resolve(process.argv[2] ?? path.join(dir, "dist"));
    fs.rmSync(dist, { recursive: true, force: true });
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(dir, "tsconfig.json"), "--outDir", dist], { cwd: dir, stdio: "inherit" });
    const { KongSigningKeyHostProvider } = require(path.join(dist, "components", "packageProvider.js"));
    const precomputed = await new KongSigningKeyHostProvider(dir).precompute();
    fs.writeFileSync(path.join(dist, "schema.json"), `${JSON.stringify(precomputed)}\n`);
}

main().catch((e) => {
    process.stderr.write(`provider/build.js: ${e.stack ?? e}\n`);
    process.exit(1);
});
