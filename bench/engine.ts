// The main job on the real engine (scripts/engine.sh): `pulumi preview` and `pulumi up` of the example stack
// against an empty TypeScript stack under the same CLI, `pulumi up` of each rotation step, and the key
// host's footprint: create to healthy (from Docker's own timestamps) and memory once healthy.
//   npm run bench:engine
import { randomBytes } from "node:crypto";
import { cleanupRun, requireTestImage, TEST_IMAGE } from "../test/support/docker/engine";
import { deploymentOf } from "../test/support/engine/deployment";
import { ExampleStack } from "../test/support/engine/exampleStack";
import { freePort } from "../test/support/hostNginx";
import { createToHealthy, replacementOverlap } from "./lib/containers";
import { fmt, stats } from "./lib/cpu";
import { writeResult } from "./lib/report";

const EMPTY_PROGRAM = `import * as pulumi from "@pulumi/pulumi";\n\nexport const project = pulumi.getProject();\n`;

async function timed<T>(f: () => Promise<T>): Promise<number> {
    const started = process.hrtime.bigint();
    await f();
    return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Docker's timestamps: container created -> end of its first passing healthcheck. */

export async function main(): Promise<void> {
    await requireTestImage();
    const runId = `be${randomBytes(3).toString("hex")}`;
    const empty = new ExampleStack(`${runId}-empty`, { program: EMPTY_PROGRAM });
    const example = new ExampleStack(`${runId}-example`);
    const rows: string[] = [];
    const healthy: number[] = [];
    const memoryMiB: number[] = [];
    try {
        await empty.init({});
        await example.init({
            kongSources: ["172.16.211.10"], subnet: "172.16.211.0/24", publicPort: await freePort(), image: TEST_IMAGE,
            accessGenerations: ["2026-11"], channelGenerations: ["2026-11"],
        });
        // One unmeasured preview first: the first CLI and Node start of a session pays for a cold page cache.
        await empty.cli(["preview", "--non-interactive", "--stack", empty.stack]);
        const emptyPreview = await timed(() => empty.cli(["preview", "--non-interactive", "--stack", empty.stack]));
        const examplePreview = await timed(() => example.cli(["preview", "--non-interactive", "--stack", example.stack]));
        const emptyUp = await timed(() => empty.up());
        const exampleUp = await timed(() => example.up());
        rows.push(`| pulumi preview (nothing deployed yet) | ${fmt(emptyPreview, 1)} | ${fmt(examplePreview, 1)} | ${fmt(examplePreview / emptyPreview, 2)}x |`);
        rows.push(`| pulumi up (create everything) | ${fmt(emptyUp, 1)} | ${fmt(exampleUp, 1)} | ${fmt(exampleUp / emptyUp, 2)}x |`);
        const noChange = await timed(() => example.up());
        const emptyNoChange = await timed(() => empty.up());
        rows.push(`| pulumi up (no change) | ${fmt(emptyNoChange, 1)} | ${fmt(noChange, 1)} | ${fmt(noChange / emptyNoChange, 2)}x |`);

        const out = await example.outputs();
        const sample = async () => {
            const d = await deploymentOf(example, out.kongNetworkNames[0]);
            healthy.push(await createToHealthy(d.host.id));
            const s = await d.host.stats({ stream: false }) as unknown as { memory_stats: { usage: number; stats?: Record<string, number> } };
            memoryMiB.push((s.memory_stats.usage - (s.memory_stats.stats?.inactive_file ?? 0)) / 1048576);
        };
        await sample();
        const steps: [string, Record<string, unknown>][] = [
            ["pre-publish", { accessGenerations: ["2026-11", "2026-12"], accessActive: "2026-11" }],
            ["promote", { accessActive: "2026-12" }],
            ["retire", { accessGenerations: ["2026-12"], accessActive: undefined }],
        ];
        const stepRows: string[] = [];
        const hostId = async () => (await deploymentOf(example, out.kongNetworkNames[0])).host.id;
        for (const [name, config] of steps) {
            await example.setConfig(config);
            const oldId = await hostId();
            const started = new Date();
            const seconds = await timed(() => example.up());
            const newId = await hostId();
            const overlap = await replacementOverlap(oldId, newId, started, new Date());
            stepRows.push(`| ${name} | ${fmt(seconds, 1)} | ${fmt(overlap, 1)} |`);
            await sample();
        }
        const h = stats(healthy);
        const m = stats(memoryMiB);
        const text = [
            "Pulumi engine: example stack vs an empty TypeScript stack (same CLI, one run each, wall seconds)", "",
            "| command | empty stack | example stack | ratio |", "| --- | --- | --- | --- |", ...rows, "",
            "Rotation steps of the example stack (`pulumi up`, wall seconds; each replaces the key host)", "",
            "| step | pulumi up | overlap: old and new key host both running, s (new created -> old died, Docker events) |", "| --- | --- | --- |", ...stepRows, "",
            `Key host footprint (${healthy.length} containers the docker provider created: the first up and each step)`, "",
            "| measure | min / median / max |", "| --- | --- |",
            `| create to healthy, s (Docker's Created to the end of the first passing healthcheck) | ${fmt(h.min, 1)} / ${fmt(h.median, 1)} / ${fmt(h.max, 1)} |`,
            `| working set once healthy, MiB (cgroup usage minus inactive file cache) | ${fmt(m.min, 1)} / ${fmt(m.median, 1)} / ${fmt(m.max, 1)} |`,
        ].join("\n");
        console.log(text);
        writeResult("engine", text);
    } finally {
        for (const s of [example, empty]) {
            await s.destroy();
            s.removeFolder();
        }
        await cleanupRun(runId);
    }
}

if (require.main === module) main().then(() => process.exit(process.exitCode ?? 0), (e) => { console.error(e); process.exit(1); });
