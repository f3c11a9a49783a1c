// What a component package that is not a Node.js program would add to a YAML preview: the same YAML
// stack (bench/stacks/yaml-component) previewed through the real component package and through a probe
// written in Go (bench/go-package-probe: the same schema, the same 9 children, none of the component's
// logic), beside the same resources by hand (bench/stacks/yaml-handwritten), side by side in one run on
// the real engine. Evidence for issue 21's YAML target (bench/RESULTS.md, section 7), not a product.
//   npm run bench:go-package-probe [-- --runs 7]
// Needs scripts/engine.sh, scripts/example-deps.sh (provider/ built) and Go (the probe is built here,
// into ~/.cache/kong-signing-key-host/go-package-probe, from the module proxy's modules).
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ExampleStack } from "../test/support/engine/exampleStack";
import { fmt, stats } from "./lib/cpu";
import { type PreviewPhases, previewPhases } from "./lib/previewPhases";
import { numberArg, writeResult } from "./lib/report";
import { GATEWAY, IMAGE, SUBNET, preview, seconds, writeNginxConf } from "./previews";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const PACKAGE = "kong-signing-key-host";
const BINARY = `pulumi-resource-${PACKAGE}`;

/** Builds the probe (seconds once Go's build cache holds it) and returns the binary's path. */
function buildProbe(): string {
    const cache = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), PACKAGE, "go-package-probe");
    const binary = path.join(cache, BINARY);
    execFileSync("go", ["build", "-trimpath", "-o", binary, "."], { cwd: path.join(ROOT, "bench", "go-package-probe"), stdio: "inherit" });
    return binary;
}

/**
 * Points the stack's `packages: {kong-signing-key-host: ../../provider}` at a folder holding the probe,
 * the schema the package build precomputed and the nginx.conf the component renders (read by the probe).
 */
function useProbe(stack: ExampleStack, binary: string): void {
    const dir = path.join(stack.home, "provider");
    fs.rmSync(dir, { force: true });
    fs.mkdirSync(dir);
    fs.copyFileSync(binary, path.join(dir, BINARY));
    fs.chmodSync(path.join(dir, BINARY), 0o755);
    const built = path.join(ROOT, "provider", "dist", "schema.json");
    if (!fs.existsSync(built)) throw new Error(`${built} is missing: run \`bash scripts/example-deps.sh\` (npm ci in provider/ builds it)`);
    fs.writeFileSync(path.join(dir, "schema.json"), JSON.stringify(JSON.parse(fs.readFileSync(built, "utf8")).schema));
    writeNginxConf(dir);
}

/** The resource types a preview plans, sorted, with `pulumi:pulumi:Stack` and the component left out. */
async function plannedChildTypes(stack: ExampleStack): Promise<string[]> {
    const plan = await stack.previewJson();
    return plan.steps.map((s) => s.urn.split("::")[2].split("$").pop()!)
        .filter((t) => t !== "pulumi:pulumi:Stack" && !t.startsWith(`${PACKAGE}:`)).sort();
}

export async function main(): Promise<void> {
    const runs = numberArg("runs", 7);
    const binary = buildProbe();
    const runId = `bg${randomBytes(3).toString("hex")}`;
    const config = { subnet: SUBNET, image: IMAGE };
    const handwritten = new ExampleStack(`${runId}-yh`, { source: "bench/stacks/yaml-handwritten", language: "yaml" });
    const nodePackage = new ExampleStack(`${runId}-yc`, { source: "bench/stacks/yaml-component", language: "yaml" });
    const goProbe = new ExampleStack(`${runId}-yg`, { source: "bench/stacks/yaml-component", language: "yaml" });
    const stacks = [handwritten, nodePackage, goProbe];
    try {
        writeNginxConf(handwritten.dir);
        await handwritten.init({ ...config, gateway: GATEWAY });
        await nodePackage.init(config);
        await nodePackage.cli(["install"]);
        useProbe(goProbe, binary);
        await goProbe.init(config);

        // The three must plan the same children, or the comparison means nothing.
        const [byHand, byNode, byGo] = await Promise.all(stacks.map(plannedChildTypes));
        if (byHand.length !== 9) throw new Error(`the stack by hand plans ${byHand.length} resources, not 9: ${byHand.join(", ")}`);
        for (const [label, types] of [["the component package", byNode], ["the Go probe", byGo]] as const) {
            if (JSON.stringify(types) !== JSON.stringify(byHand)) {
                throw new Error(`${label} plans ${types.join(", ")}; by hand: ${byHand.join(", ")}`);
            }
        }

        for (const stack of stacks) await preview(stack); // unmeasured: cold page cache
        const times = new Map<ExampleStack, number[]>(stacks.map((s) => [s, []]));
        for (let i = 0; i < runs; i++) {
            // The order rotates each round, so drift in the machine's load falls on all three alike.
            for (let k = 0; k < stacks.length; k++) {
                const stack = stacks[(i + k) % stacks.length];
                times.get(stack)!.push(await seconds(() => preview(stack)));
            }
        }
        const hand = stats(times.get(handwritten)!);
        const cell = (stack: ExampleStack) => {
            const s = stats(times.get(stack)!);
            return `${fmt(s.median, 2)} (${fmt(s.min, 2)}-${fmt(s.max, 2)}) | ${fmt(s.median / hand.median, 2)}x | ${fmt((s.median - hand.median) * 1000, 0)} ms`;
        };

        const phases = new Map<ExampleStack, PreviewPhases[]>([[nodePackage, []], [goProbe, []]]);
        for (let r = 0; r < 3; r++) {
            for (const stack of [nodePackage, goProbe]) {
                const verbose = await stack.cli(["preview", "--non-interactive", "--stack", stack.stack, "--logtostderr", "--logflow", "-v=9"]);
                phases.get(stack)!.push(previewPhases(verbose.stderr, PACKAGE));
            }
        }
        const phase = (key: keyof PreviewPhases) =>
            `${fmt(stats(phases.get(nodePackage)!.map((p) => p[key])).median, 2)} | ${fmt(stats(phases.get(goProbe)!.map((p) => p[key])).median, 2)}`;

        const text = [
            `YAML pulumi preview, nothing deployed, ${runs} runs each, order rotated each round (seconds: median (min-max)); the same 9 children planned by all three`,
            "",
            "| stack | pulumi preview, s | x by hand | added |",
            "| --- | --- | --- | --- |",
            `| the resources by hand (bench/stacks/yaml-handwritten) | ${fmt(hand.median, 2)} (${fmt(hand.min, 2)}-${fmt(hand.max, 2)}) | 1.00x | - |`,
            `| the component package (Node.js, provider/) | ${cell(nodePackage)} |`,
            `| a Go package declaring the same children (bench/go-package-probe: no validation, JWKS or rendering) | ${cell(goProbe)} |`,
            "",
            "Where the preview goes (`pulumi preview --logtostderr --logflow -v=9`, the engine's JSON log; median of 3, seconds)",
            "",
            "| phase | component package | Go probe |",
            "| --- | --- | --- |",
            `| CLI, YAML host, program up to the package | ${phase("beforePackage")} |`,
            `| package start (launch to serving) | ${phase("packageStart")} |`,
            `| Construct to the first child reaching a provider | ${phase("constructToFirstChild")} |`,
            `| children: tls and docker plugin starts, Check of each child, until Construct returns | ${phase("childrenToConstructDone")} |`,
            `| after Construct to the end | ${phase("afterConstruct")} |`,
            `| total (verbose logging on) | ${phase("total")} |`,
        ].join("\n");
        console.log(text);
        writeResult("go-package-probe", text);
    } finally {
        for (const stack of stacks) stack.removeFolder();
    }
}

if (require.main === module) {
    main().catch((e) => {
        console.error(e);
        process.exit(1);
    });
}
