// Starting the component package, from the command the engine runs to the provider answering GetSchema:
// the package as built started by its launcher (pulumi-resource-kong-signing-key-host: the bundle from
// V8's code cache), the same build started through RunPlugin (the SDK's plugin runner on dist/index.js:
// Windows, or a package without the launcher), and the package started from its TypeScript source
// (ts-node type-checks the component, the analyser reads it: how the package ran in 0.2), alternating,
// side by side in one run.
//   npm run bench:package-start [-- --runs 7]
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startProviderProcess } from "../test/support/providerProcess";
import { fmt, stats } from "./lib/cpu";
import { numberArg, writeResult } from "./lib/report";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const PROVIDER = path.join(ROOT, "provider");
const RUN_PLUGIN = path.join(PROVIDER, "node_modules", "@pulumi", "pulumi", "cmd", "run-plugin");
const LAUNCHER = "pulumi-resource-kong-signing-key-host";

type Kind = "launcher" | "built" | "source";
interface Start { readyMs: number; schemaMs: number }

/** A package folder as `pulumi package add` leaves it, built (with its launcher) or source-only. */
function packageFolder(parent: string, kind: "built" | "source"): string {
    const dir = path.join(parent, kind);
    fs.mkdirSync(dir);
    fs.symlinkSync(path.join(PROVIDER, "node_modules"), path.join(dir, "node_modules"));
    const manifest = JSON.parse(fs.readFileSync(path.join(PROVIDER, "package.json"), "utf8"));
    if (kind === "built") {
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(manifest));
        fs.copyFileSync(path.join(PROVIDER, LAUNCHER), path.join(dir, LAUNCHER));
        fs.chmodSync(path.join(dir, LAUNCHER), 0o755);
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

async function startOnce(dir: string, kind: Kind): Promise<Start> {
    const started = process.hrtime.bigint();
    const provider = kind === "launcher"
        ? await startProviderProcess([], { cwd: dir, command: path.join(dir, LAUNCHER) })
        : await startProviderProcess([...(kind === "source" ? ["--preserve-symlinks"] : []), RUN_PLUGIN, dir], {
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
        const built = packageFolder(work, "built");
        const folders: Record<Kind, string> = { launcher: built, built, source: packageFolder(work, "source") };
        const kinds: Kind[] = ["source", "built", "launcher"];
        const results: Record<Kind, Start[]> = { launcher: [], built: [], source: [] };
        for (const kind of kinds) await startOnce(folders[kind], kind); // page cache
        // The floor under every column: Node.js starting and exiting, with nothing to load.
        const bareNode: number[] = [];
        for (let i = 0; i < runs; i++) {
            for (const kind of kinds) results[kind].push(await startOnce(folders[kind], kind));
            const started = process.hrtime.bigint();
            if (spawnSync(process.execPath, ["-e", "0"]).status !== 0) throw new Error("node -e 0 failed");
            bareNode.push(Number(process.hrtime.bigint() - started) / 1e6);
        }
        const cell = (kind: Kind, pick: (r: Start) => number) => {
            const s = stats(results[kind].map(pick));
            return `${fmt(s.median / 1000, 2)} (${fmt(s.min / 1000, 2)}-${fmt(s.max / 1000, 2)})`;
        };
        const median = (kind: Kind, pick: (r: Start) => number) => stats(results[kind].map(pick)).median;
        const bareNodeMedian = stats(bareNode).median;
        const row = (label: string, pick: (r: Start) => number) =>
            `| ${label} | ${cell("source", pick)} | ${cell("built", pick)} | ${cell("launcher", pick)} | ${fmt(median("launcher", pick) / median("built", pick), 2)}x |`;
        const text = [
            `Component package start, ${runs} runs each, alternating (seconds: median (min-max))`,
            "",
            "| measure | from TypeScript source through RunPlugin (0.2) | as built, through RunPlugin | as built, by its launcher | launcher / RunPlugin |",
            "| --- | --- | --- | --- | --- |",
            row("the engine's command to the provider serving (port on stdout)", (r) => r.readyMs),
            row("... to the provider answering GetSchema", (r) => r.schemaMs),
            "",
            `Node.js alone (\`node -e 0\`, the same runs): ${fmt(bareNodeMedian / 1000, 3)} s median; the launcher's start is ${fmt(median("launcher", (r) => r.readyMs) / bareNodeMedian, 1)}x that.`,
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
