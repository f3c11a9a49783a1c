// Healthcheck settings on the real engine, side by side: the old interval (10 s) against the new default
// (2 s). For each, key hosts created by `pulumi up` (the first up, then replacements): create to healthy
// from Docker's own timestamps; then both idle at once, CPU of each container per second of wall time
// (Docker's cgroup counter, which includes every healthcheck exec).
//   npm run bench:healthcheck [-- --runs 5 --idle-seconds 30]
import { randomBytes } from "node:crypto";
import { docker, requireTestImage, sleep, TEST_IMAGE } from "../test/support/docker/engine";
import { deploymentOf } from "../test/support/engine/deployment";
import { ExampleStack } from "../test/support/engine/exampleStack";
import { createToHealthy } from "./lib/containers";
import { fmt, stats } from "./lib/cpu";
import { numberArg, writeResult } from "./lib/report";

// One keyset with two generations; `active` flips between them to replace the key host on each up.
const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { KongSigningKeyHost } from "./components";

const config = new pulumi.Config();
const keys = new KongSigningKeyHost("kong-keys", {
    keysets: { access: { generations: ["a", "b"], active: config.require("active") } },
    kongSources: [config.require("kongSource")],
    docker: { image: config.require("image"), subnet: config.require("subnet"), healthcheckIntervalSeconds: config.requireNumber("interval") },
});
export const kongNetworkNames = keys.kongNetworkNames;
`;

interface Variant { name: string; interval: number; stack: ExampleStack; healthy: number[]; cpuMsPerS?: number }


async function cpuNs(id: string): Promise<number> {
    const s = await docker().getContainer(id).stats({ stream: false }) as unknown as { cpu_stats: { cpu_usage: { total_usage: number } } };
    return s.cpu_stats.cpu_usage.total_usage;
}

export async function main(): Promise<void> {
    const runs = numberArg("runs", 5);
    const idleSeconds = numberArg("idle-seconds", 30);
    await requireTestImage();
    const runId = `bh${randomBytes(3).toString("hex")}`;
    const variants: Variant[] = [
        { name: "old: interval 10 s", interval: 10, stack: new ExampleStack(`${runId}-old`, { program: PROGRAM }), healthy: [] },
        { name: "new: interval 2 s (default)", interval: 2, stack: new ExampleStack(`${runId}-new`, { program: PROGRAM }), healthy: [] },
    ];
    try {
        for (const [i, v] of variants.entries()) {
            await v.stack.init({ active: "a", kongSource: `172.16.22${i}.10`, subnet: `172.16.22${i}.0/24`, image: TEST_IMAGE, interval: v.interval });
        }
        // Interleaved: each run creates (first) or replaces the key host of both stacks in turn.
        for (let r = 0; r < runs; r++) {
            for (const v of variants) {
                if (r > 0) await v.stack.setConfig({ active: r % 2 === 0 ? "a" : "b" });
                await v.stack.up();
                const out = await v.stack.outputs();
                const d = await deploymentOf(v.stack, out.kongNetworkNames[0]);
                v.healthy.push(await createToHealthy(d.host.id));
                process.stderr.write(".");
            }
        }
        // Both idle at once, after a settle period longer than the longest interval.
        await sleep(12_000);
        const hosts = await Promise.all(variants.map(async (v) => (await deploymentOf(v.stack, (await v.stack.outputs()).kongNetworkNames[0])).host.id));
        const before = await Promise.all(hosts.map(cpuNs));
        const started = process.hrtime.bigint();
        await sleep(idleSeconds * 1000);
        const after = await Promise.all(hosts.map(cpuNs));
        const wall = Number(process.hrtime.bigint() - started) / 1e9;
        variants.forEach((v, i) => { v.cpuMsPerS = (after[i] - before[i]) / 1e6 / wall; });
    } finally {
        for (const v of variants) {
            await v.stack.destroy();
            v.stack.removeFolder();
        }
    }
    process.stderr.write("\n");
    const rows = variants.map((v) => {
        const h = stats(v.healthy);
        return `| ${v.name} | ${fmt(h.min, 1)} / ${fmt(h.median, 1)} / ${fmt(h.max, 1)} | ${fmt(v.cpuMsPerS!, 1)} |`;
    });
    const [old, neu] = variants;
    const h = (v: Variant) => stats(v.healthy).median;
    const text = [
        `Healthcheck settings on the real engine (${runs} key hosts each from \`pulumi up\`, interleaved; idle ${idleSeconds} s, both at once)`, "",
        "| settings | create to healthy, s min / median / max | idle CPU, ms per s of wall time |", "| --- | --- | --- |", ...rows, "",
        `- new create to healthy, median: ${fmt(h(neu), 1)} s (target <= 3 s): ${h(neu) <= 3 ? "met" : "MISSED"}; old ${fmt(h(old), 1)} s`,
        `- new idle CPU: ${fmt(neu.cpuMsPerS!, 1)} ms/s (target <= 15 ms/s): ${neu.cpuMsPerS! <= 15 ? "met" : "MISSED"}; old ${fmt(old.cpuMsPerS!, 1)} ms/s`,
    ].join("\n");
    console.log(text);
    writeResult("healthcheck", text);
}

if (require.main === module) main().then(() => process.exit(process.exitCode ?? 0), (e) => { console.error(e); process.exit(1); });
