// Builds the component package (its `prepare` script: `npm install` here, which `pulumi package add`
// and `pulumi install` run, builds it):
//   1. compiles index.ts, serve.ts, launch.ts, lazyModule.ts and components/ to dist/ (plain
//      JavaScript, so the provider starts without ts-node);
//   2. runs the SDK's schema analyser on the TypeScript source once and stores its result in
//      dist/schema.json (so the provider starts without analysing anything);
//   3. bundles dist/serve.js and every module it needs into dist/provider.js (esbuild), which
//      pulumi-resource-kong-signing-key-host starts; modules the SDK requires when it loads and the
//      provider never uses are replaced by stand-ins (STAND_INS), most loading them on first use;
//   4. loads that bundle once in a fresh Node.js and stores V8's code cache of it in dist/provider.cache.
//
//   node build.js [outDir]   -> <outDir, default dist>/
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

/**
 * What the bundle replaces with a stand-in: `request` as required by a file matching `importer`, and the
 * stand-in's code given lazyModule.js and the real module's path (`bundled: false`: left out of the bundle).
 */
const STAND_INS = [
    // The TypeScript compiler (closure serialization, the schema analyser): from node_modules at first use.
    { request: "typescript", importer: /[\\/]@pulumi[\\/]pulumi[\\/]typescript-shim\.js$/, bundled: false,
        code: (lazy) => `module.exports = require(${lazy}).lazyModule(() => require("node:module").createRequire(__filename)("typescript"));` },
    // The Automation API, exported as \`automation\` by the SDK's index.
    { request: "./automation", importer: /[\\/]@pulumi[\\/]pulumi[\\/]index\.js$/, bundled: true,
        code: (lazy, real) => `module.exports = require(${lazy}).lazyModule(() => require(${real}));` },
    // Closure serialization's package walk (npm's arborist): the runtime index copies its one function out.
    { request: "./closure/codePaths", importer: /[\\/]@pulumi[\\/]pulumi[\\/]runtime[\\/]index\.js$/, bundled: true,
        code: (lazy, real) => `module.exports = require(${lazy}).lazyFunctions(() => require(${real}), ["computeCodePaths"]);` },
    // Source maps for stack traces, which the SDK's provider main installs: the bundle has none, and with
    // it installed every stack the SDK takes (one per resource) would read the whole bundle looking for one.
    { request: "source-map-support", importer: /[\\/]@pulumi[\\/]pulumi[\\/]provider[\\/]server\.js$/, bundled: false,
        code: () => "module.exports = { install() {} };" },
];

/** An esbuild plugin putting STAND_INS in place, and a check that each of them found its module. */
function standIns(dist) {
    const lazy = JSON.stringify(path.join(dist, "lazyModule.js"));
    const requests = [...new Set(STAND_INS.map((s) => s.request))];
    const filter = new RegExp(`^(${requests.map((r) => r.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("|")})$`);
    const used = new Set();
    const plugin = {
        name: "stand-ins",
        setup(build) {
            build.onResolve({ filter }, (args) => {
                const standIn = STAND_INS.find((s) => s.request === args.path && s.importer.test(args.importer));
                if (!standIn) return undefined;
                used.add(standIn);
                const real = standIn.bundled ? require.resolve(path.resolve(args.resolveDir, args.path)) : undefined;
                return { path: `${args.path} from ${args.importer}`, namespace: "stand-in", pluginData: { standIn, real } };
            });
            build.onLoad({ filter: /.*/, namespace: "stand-in" }, ({ pluginData: { standIn, real } }) => ({
                contents: standIn.code(lazy, JSON.stringify(real)), resolveDir: dist, loader: "js",
            }));
        },
    };
    const check = () => {
        const unused = STAND_INS.filter((s) => !used.has(s));
        if (unused.length) throw new Error(`no module to stand in for: ${unused.map((s) => s.request).join(", ")} (has @pulumi/pulumi changed its layout?)`);
    };
    return { plugin, check };
}

async function main() {
    const dir = __dirname;
    const dist = path.resolve(process.argv[2] ?? path.join(dir, "dist"));
    fs.rmSync(dist, { recursive: true, force: true });
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(dir, "tsconfig.json"), "--outDir", dist], { cwd: dir, stdio: "inherit" });
    const { KongSigningKeyHostProvider } = require(path.join(dist, "components", "packageProvider.js"));
    const precomputed = await new KongSigningKeyHostProvider(dir).precompute();
    fs.writeFileSync(path.join(dist, "schema.json"), `${JSON.stringify(precomputed)}\n`);

    const standInPlugin = standIns(dist);
    await require("esbuild").build({
        entryPoints: [path.join(dist, "serve.js")],
        outfile: path.join(dist, "provider.js"),
        bundle: true,
        platform: "node",
        format: "cjs",
        target: `node${process.versions.node.split(".")[0]}`,
        plugins: [standInPlugin.plugin],
        // Less to read at every start (5.5 MB instead of 8.4). Names are kept: the SDK's
        // ComponentProvider finds the component by its function's name (and stack traces read better).
        minifyWhitespace: true,
        minifySyntax: true,
        keepNames: true,
        // Every other character escaped (esbuild's default, stated): launch.ts reads the bundle as latin1.
        charset: "ascii",
        legalComments: "eof", // the licence notices of what it bundles, kept at its end
        logLevel: "error",
    });
    standInPlugin.check();
    execFileSync(process.execPath, ["-e", "require(process.argv[1]).writeCodeCache()", path.join(dist, "launch.js")], { cwd: dir, stdio: "inherit" });
}

main().catch((e) => {
    process.stderr.write(`provider/build.js: ${e.stack ?? e}\n`);
    process.exit(1);
});
