// `pulumi preview` of a stack using the component against the same resources declared by hand, in
// YAML, Python and TypeScript (the component from the packed npm tarball there), side by side in one
// run on the real engine; then how preview time grows with keysets x generations.
//   npm run bench:previews [-- --runs 5]
// Needs scripts/engine.sh, scripts/example-deps.sh and (for the Python pair) PyPI for two wheels.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { resolveSettings } from "../components/settings";
import { configInputFromSettings, renderNginxConfig } from "../components/nginx/renderConfig";
import type { KongSigningKeyHostArgs } from "../components/args";
import { ExampleStack } from "../test/support/engine/exampleStack";
import { fmt, stats } from "./lib/cpu";
import { type PreviewPhases, previewPhases } from "./lib/previewPhases";
import { numberArg, writeResult } from "./lib/report";

const ROOT = path.resolve(__dirname, "..", "..", "..");
export const SUBNET = "172.16.221.0/24";
export const GATEWAY = "172.16.221.1";
export const IMAGE = "nginx:1.27-alpine";
/** What every stack of a pair declares: examples/python's inputs. */
const ARGS: KongSigningKeyHostArgs = {
    keysets: { access: { generations: ["2026-11"] }, channel: { algorithm: "ES256" as never, generations: ["2026-11"] } },
    kongSources: [SUBNET],
    docker: { subnet: SUBNET, image: IMAGE },
};

export async function seconds(f: () => Promise<unknown>): Promise<number> {
    const started = process.hrtime.bigint();
    await f();
    return Number(process.hrtime.bigint() - started) / 1e9;
}

/** The nginx.conf the component renders for ARGS: the hand-written stacks upload the same file. */
export function writeNginxConf(dir: string): void {
    fs.writeFileSync(path.join(dir, "nginx.conf"), renderNginxConfig(configInputFromSettings(resolveSettings("kong-keys", ARGS))));
}

export async function preview(stack: ExampleStack): Promise<void> {
    const result = await stack.cli(["preview", "--non-interactive", "--stack", stack.stack]);
    if (!/\+ +\d+ to create/.test(result.stdout)) throw new Error(`${stack.dir}: preview planned nothing:\n${result.stdout}`);
}

/** A TypeScript project with its own node_modules: the component from the packed tarball, or by hand. */
function typescriptProject(stack: ExampleStack, dependencies: Record<string, string>): void {
    const root = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    fs.writeFileSync(path.join(stack.dir, "package.json"), JSON.stringify({
        name: path.basename(stack.dir), private: true,
        dependencies: { "@pulumi/pulumi": root.dependencies["@pulumi/pulumi"], "@pulumi/docker": root.dependencies["@pulumi/docker"], "@pulumi/tls": root.dependencies["@pulumi/tls"], ...dependencies },
        devDependencies: { typescript: root.devDependencies.typescript, "@types/node": root.devDependencies["@types/node"] },
    }, null, 2));
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: stack.dir, stdio: "pipe", timeout: 300_000 });
}

/** The Python pair's wheels (pulumi-docker, pulumi-tls) next to the examples' in the offline wheelhouse. */
function pythonWheels(): void {
    const wheelhouse = path.join(ROOT, ".state", "wheelhouse");
    execFileSync("python3", ["-m", "pip", "download", "--disable-pip-version-check", "--quiet", "--dest", wheelhouse,
        "-r", path.join(ROOT, "bench", "stacks", "python-handwritten", "requirements.txt")], { stdio: "inherit" });
}

interface Pair { label: string; component: ExampleStack; handwritten: ExampleStack }

async function setUp(runId: string): Promise<Pair[]> {
    const config = { subnet: SUBNET, image: IMAGE };
    const yamlComponent = new ExampleStack(`${runId}-yc`, { source: "bench/stacks/yaml-component", language: "yaml" });
    const yamlHand = new ExampleStack(`${runId}-yh`, { source: "bench/stacks/yaml-handwritten", language: "yaml" });
    const pythonComponent = new ExampleStack(`${runId}-pc`, { language: "python" });
    const pythonHand = new ExampleStack(`${runId}-ph`, { source: "bench/stacks/python-handwritten", language: "python" });
    const tsComponent = new ExampleStack(`${runId}-tc`, { source: "bench/stacks/ts-component" });
    const tsHand = new ExampleStack(`${runId}-th`, { source: "bench/stacks/ts-handwritten" });

    await yamlComponent.init(config);
    await yamlComponent.cli(["install"]);
    writeNginxConf(yamlHand.dir);
    await yamlHand.init({ ...config, gateway: GATEWAY });

    pythonWheels();
    await pythonComponent.init({ ...config, kongSources: [SUBNET] });
    await pythonComponent.cli(["install"]);
    writeNginxConf(pythonHand.dir);
    await pythonHand.init({ ...config, gateway: GATEWAY });
    await pythonHand.cli(["install"]);

    const tarball = execFileSync(process.execPath, [path.join(ROOT, "scripts", "pack.js"), tsComponent.home], { cwd: ROOT, encoding: "utf8" }).trim().split("\n").pop()!;
    typescriptProject(tsComponent, { "kong-signing-key-host": `file:${tarball}` });
    await tsComponent.init(config);
    writeNginxConf(tsHand.dir);
    typescriptProject(tsHand, {});
    await tsHand.init({ ...config, gateway: GATEWAY });

    return [
        { label: "YAML (component package vs resources by hand)", component: yamlComponent, handwritten: yamlHand },
        { label: "Python (component package vs resources by hand)", component: pythonComponent, handwritten: pythonHand },
        { label: "TypeScript (packed npm tarball vs resources by hand)", component: tsComponent, handwritten: tsHand },
    ];
}

/** A TypeScript program (the repository's component) with `keysets` keysets of `generations` generations each. */
function growthProgram(keysets: number, generations: number): string {
    const sets = Array.from({ length: keysets }, (_, k) =>
        `ks${k}: { algorithm: SigningAlgorithm.ES256, generations: [${Array.from({ length: generations }, (_, g) => `"g${g}"`).join(", ")}] }`);
    return [
        'import { KongSigningKeyHost, SigningAlgorithm } from "./components";',
        `new KongSigningKeyHost("kong-keys", { keysets: { ${sets.join(", ")} }, kongSources: ["${SUBNET}"], docker: { subnet: "${SUBNET}", image: "${IMAGE}" } });`,
        "",
    ].join("\n");
}

/** Least-squares line through (x, y), with R². */
function fitLine(points: [number, number][]): { slope: number; intercept: number; r2: number } {
    const n = points.length;
    const mx = points.reduce((s, [x]) => s + x, 0) / n;
    const my = points.reduce((s, [, y]) => s + y, 0) / n;
    const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
    const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
    const slope = sxy / sxx;
    const intercept = my - slope * mx;
    const ssr = points.reduce((s, [x, y]) => s + (y - (intercept + slope * x)) ** 2, 0);
    const sst = points.reduce((s, [, y]) => s + (y - my) ** 2, 0);
    return { slope, intercept, r2: 1 - ssr / sst };
}

export async function main(): Promise<void> {
    const runs = numberArg("runs", 5);
    const runId = `bp${randomBytes(3).toString("hex")}`;
    const pairs = await setUp(runId);
    const growthSizes: [number, number][] = [[1, 1], [2, 2], [3, 3], [5, 5], [7, 7], [10, 10]];
    const growthStacks = growthSizes.map(([k, g]) => new ExampleStack(`${runId}-g${k}x${g}`, { program: growthProgram(k, g) }));
    try {
        for (const stack of growthStacks) await stack.init({});
        // One unmeasured preview each: the first start of every CLI, host and plugin pays for a cold page cache.
        for (const pair of pairs) { await preview(pair.component); await preview(pair.handwritten); }
        const times = new Map<ExampleStack, number[]>();
        const record = async (stack: ExampleStack) => {
            const t = await seconds(() => preview(stack));
            times.set(stack, [...(times.get(stack) ?? []), t]);
        };
        for (let i = 0; i < runs; i++) {
            // Alternating, so drift in the machine's load falls on both sides alike.
            for (const pair of pairs) {
                if (i % 2 === 0) { await record(pair.component); await record(pair.handwritten); } else { await record(pair.handwritten); await record(pair.component); }
            }
        }
        const row = (pair: Pair) => {
            const c = stats(times.get(pair.component)!);
            const h = stats(times.get(pair.handwritten)!);
            return `| ${pair.label} | ${fmt(h.median, 2)} (${fmt(h.min, 2)}-${fmt(h.max, 2)}) | ${fmt(c.median, 2)} (${fmt(c.min, 2)}-${fmt(c.max, 2)}) | ${fmt(c.median / h.median, 2)}x |`;
        };

        // Round-robin over the sizes, so a slow moment of the machine falls on all of them alike.
        for (const stack of growthStacks) await preview(stack);
        const samples = growthStacks.map(() => [] as number[]);
        for (let r = 0; r < Math.max(5, runs); r++) {
            for (const [i, stack] of growthStacks.entries()) samples[i].push(await seconds(() => preview(stack)));
        }
        const growth: [number, number][] = growthSizes.map(([k, g], i) => [k * g, stats(samples[i]).median]);
        const line = fitLine(growth);

        // Where the YAML component stack's preview goes, from the engine's own log (median of 3).
        const phases: PreviewPhases[] = [];
        for (let r = 0; r < 3; r++) {
            const verbose = await pairs[0].component.cli(["preview", "--non-interactive", "--stack", pairs[0].component.stack, "--logtostderr", "--logflow", "-v=9"]);
            phases.push(previewPhases(verbose.stderr, "kong-signing-key-host"));
        }
        const phase = (key: keyof PreviewPhases) => fmt(stats(phases.map((p) => p[key])).median, 2);
        const text = [
            `pulumi preview, nothing deployed, ${runs} runs each, alternating (seconds: median (min-max)); 9 resources in every stack`,
            "",
            "| language | by hand | with the component | ratio |",
            "| --- | --- | --- | --- |",
            ...pairs.map(row),
            "",
            `Preview time as keysets x generations grow (TypeScript example program, ES256 keys; median of ${Math.max(5, runs)} runs, round-robin)`,
            "",
            "| keysets x generations | signing keys | pulumi preview, s |",
            "| --- | --- | --- |",
            ...growth.map(([keys, t], i) => `| ${growthSizes[i][0]} x ${growthSizes[i][1]} | ${keys} | ${fmt(t, 2)} |`),
            "",
            `Least-squares line: ${fmt(line.intercept, 2)} s + ${fmt(line.slope * 1000, 1)} ms per signing key, R² ${fmt(line.r2, 3)}`,
            "",
            "Where the YAML component stack's preview goes (`pulumi preview --logtostderr --logflow -v=9`, the engine's JSON log; median of 3, seconds)",
            "",
            "| phase | s |",
            "| --- | --- |",
            `| CLI, YAML host, program up to the component | ${phase("beforePackage")} |`,
            `| component package start (its launcher: Node.js, dist/provider.js from V8's code cache, serving) | ${phase("packageStart")} |`,
            `| Construct to the first child reaching a provider (the component's code and the docker and tls SDKs, running the component) | ${phase("constructToFirstChild")} |`,
            `| children: tls and docker plugin starts, Check of each child, until Construct returns | ${phase("childrenToConstructDone")} |`,
            `| after Construct to the end | ${phase("afterConstruct")} |`,
            `| total (verbose logging on) | ${phase("total")} |`,
        ].join("\n");
        console.log(text);
        writeResult("previews", text);
    } finally {
        for (const stack of [...pairs.flatMap((p) => [p.component, p.handwritten]), ...growthStacks]) stack.removeFolder();
    }
}

if (require.main === module) {
    main().catch((e) => {
        console.error(e);
        process.exit(1);
    });
}
