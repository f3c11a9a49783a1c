// The entry pulumi-resource-kong-signing-key-host runs: starts the provider from dist/provider.js (the
// package and its dependencies bundled into one file by build.js), compiled from V8's code cache that the
// build stored beside it (dist/provider.cache), so that Node.js neither resolves hundreds of modules nor
// parses them again. A cache this Node.js cannot use (another version) is ignored: V8 compiles afresh.
//
//   node dist/launch.js <engine address>    what the launcher runs
import * as fs from "node:fs";
import { createRequire, wrap } from "node:module";
import * as path from "node:path";
import * as vm from "node:vm";

const BUNDLE = path.join(__dirname, "provider.js");
const CODE_CACHE = path.join(__dirname, "provider.cache");

interface ProviderBundle {
    serve(args: string[]): Promise<void>;
    loadConstructCode(): unknown;
}

/** The build's code cache, if there is one. */
export function readCodeCache(): Buffer | undefined {
    return fs.existsSync(CODE_CACHE) ? fs.readFileSync(CODE_CACHE) : undefined;
}

/**
 * Compiles (from `cachedData` where V8 accepts it: `script.cachedDataRejected` says) and runs the bundle
 * as a CommonJS module.
 */
export function loadBundle(cachedData: Buffer | undefined): { bundle: ProviderBundle; script: vm.Script } {
    if (!fs.existsSync(BUNDLE)) {
        throw new Error(`${BUNDLE} is missing: run \`npm install\` in ${path.dirname(__dirname)} (its prepare script builds dist/)`);
    }
    // Read as latin1, a quarter of utf8's time for 5.4 MB: the build emits ASCII only (build.js `charset`).
    const script = new vm.Script(wrap(fs.readFileSync(BUNDLE, "latin1")), { filename: BUNDLE, cachedData });
    const module = { exports: {} as ProviderBundle };
    const run = script.runInThisContext() as (...args: unknown[]) => void;
    run.call(module.exports, module.exports, createRequire(BUNDLE), module, BUNDLE, __dirname);
    return { bundle: module.exports, script };
}

/** Run by build.js in a fresh Node.js: loads everything a construct loads, then stores V8's code cache. */
export function writeCodeCache(): void {
    fs.rmSync(CODE_CACHE, { force: true });
    const { bundle, script } = loadBundle(undefined);
    bundle.loadConstructCode();
    fs.writeFileSync(CODE_CACHE, script.createCachedData());
}

if (require.main === module) {
    loadBundle(readCodeCache()).bundle.serve(process.argv.slice(2)).catch((e: unknown) => {
        process.stderr.write(`kong-signing-key-host provider: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        process.exit(1);
    });
}
