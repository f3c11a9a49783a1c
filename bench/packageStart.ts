// Starting the component package, from what RunPlugin runs to the provider answering GetSchema: the
// package as built (compiled JavaScript, precomputed schema: provider/build.js) against the same package
// started from its TypeScript source (ts-node type-checks the component, the analyser reads it: how
// the package ran before), alternating, side by side in one run.
//   npm run bench:package-start [-- --runs 7]
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startProviderProcess } from "../test/support/providerProcess";
import { fmt, stats } from "./lib/cpu";
import { numberArg, writeResult } from "./lib/report";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const PROVIDER = path.join(ROOT, "provider");
const RUN_PLUGIN = path.join(PROVIDER, "node_modules", "@pulumi", "pulumi", "cmd", "run-plugin");

/** A package folder as `pulumi package add` leaves it, built or source-only. */
function packageFolder(parent: string, kind: "built" | "source"): string {
    const dir = path.join(parent, kind);
    fs.mkdirSync(dir);
    fs.symlinkSync(path.join(PROVIDER, "node_modules"), path.join(dir, "node_modules"));
    const manifest = JSON.parse(fs.readFileSync(path.join(PROVIDER, "package.json"), "utf8"));
    if (kind === "built") {
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(manifest));
        execFileSync(process.execPath, [path.join(PROVIDER, "build.js"), path.join(dir, "dist")], { cwd: PROVIDER, stdio: "ignore" });
    } else {
        // The 0.2 package: main index.ts under ts-node, the schema analysed from the source at start.
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ ...manifest, main: "index.ts", scripts: {} }));
        fs.symlinkSync(path.join(ROOT, "components"), path.join(dir, "components"));
        fs.copyFileSync(path.join(PROVIDER, "tsconfig.json"), path.join(dir, "tsconfig.json"));
        fs.writeFileSync(path.join(dir, "index.ts"), [
            'import * as pulumi from "@pulumi/pulumi";',
            'import { KongSigningKeyHostProvider } from "./components/packageProvider";',
            "export = pulumi.provider.main(new KongSigningKeyHostProvider(__dirname), process.argv.slice(2));", ""].join("\n"));
    }
    return dir;
}

async function startOnce(dir: string, kind: "built" | "source"): Promise<{ readyMs: number; schemaMs: number }> {
    const started = process.hrtime.bigint();
    const provider = await startProviderProcess([...(kind === "source" ? ["--preserve-symlinks"] : []), RUN_PLUGIN, dir], {
        cwd: dir, env: { PULUMI_NODEJS_TYPESCRIPT: kind === "source" ? "true" : "false" },
    });
    try {
        const schema = await provider.getSchema();
        if (!schema.includes("KongSigningKeyHost")) throw new Error(`${kind}: no KongSigningKeyHost in the schema`);
        return { readyMs: provider.readyMs, schemaMs: Number(process.hrtime.bigint() - started) / 1e6 };
    } finally {
        await provider.stop();
    }
}

export async function main(): Promise<void> {
    const runs = numberArg("runs", 7);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "kskh-bench-start-"));
    try {
        const folders = { built: packageFolder(work, "built"), source: packageFolder(work, "source") };
        const results = { built: [] as { readyMs: number; schemaMs: number }[], source: [] as { readyMs: number; schemaMs: number }[] };
        await startOnce(folders.built, "built"); // page cache
        await startOnce(folders.source, "source");
        for (let i = 0; i < runs; i++) {
            results.built.push(await startOnce(folders.built, "built"));
            results.source.push(await startOnce(folders.source, "source"));
        }
        const row = (label: string, pick: (r: { readyMs: number; schemaMs: number }) => number) => {
            const b = stats(results.built.map(pick));
            const s = stats(results.source.map(pick));
            return `| ${label} | ${fmt(s.median / 1000, 2)} (${fmt(s.min / 1000, 2)}-${fmt(s.max / 1000, 2)}) | ${fmt(b.median / 1000, 2)} (${fmt(b.min / 1000, 2)}-${fmt(b.max / 1000, 2)}) | ${fmt(b.median / s.median, 2)}x |`;
        };
        const text = [
            `Component package start, ${runs} runs each, alternating (seconds: median (min-max))`,
            "",
            "| measure | from TypeScript source (0.2) | as built (compiled + precomputed schema) | built / source |",
            "| --- | --- | --- | --- |",
            row("RunPlugin's command to the provider serving (port on stdout)", (r) => r.readyMs),
            row("... to the provider answering GetSchema", (r) => r.schemaMs),
        ].join("\n");
        console.log(text);
        writeResult("package-start", text);
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}

if (require.main === module) {
    main().catch((e) => {
        console.error(e);
        process.exit(1);
    });
}
