// Key host footprint on the real engine: the container the component declares (created the way the
// Docker provider does it, image swapped for the local nginx build), seconds from create to healthy,
// and its memory once healthy (cgroup usage from the Engine API), over a few fresh containers.
//   npm run bench:footprint [-- --runs 3]
import { randomBytes } from "node:crypto";
import { buildUnderMocks, containerOf } from "../test/support/component";
import { cleanupRun, requireTestImage } from "../test/support/docker/engine";
import { createDeclaredContainer, createDeclaredNetwork, removeDeclaredContainer } from "../test/support/docker/providerCreate";
import { fmt, stats } from "./lib/cpu";
import { numberArg, writeResult } from "./lib/report";

export async function main(): Promise<void> {
    const runs = numberArg("runs", 3);
    await requireTestImage();
    const runId = `bf${randomBytes(3).toString("hex")}`;
    const seconds: number[] = [];
    const memoryMiB: number[] = [];
    const workingSetMiB: number[] = [];
    try {
        const { mocks } = await buildUnderMocks("kong-keys", {
            keysets: { access: { generations: ["2026-11", "2026-12"], active: "2026-11" }, channel: { algorithm: "ES256" as never, generations: ["2026-11"] } },
            kongSources: ["172.16.210.10"], docker: { subnet: "172.16.210.0/24" },
        });
        const [networkResource] = mocks.byType("docker:index/network:Network");
        const network = await createDeclaredNetwork(networkResource, runId, `kskh-${runId}-net`);
        for (let r = 0; r < runs; r++) {
            const started = process.hrtime.bigint();
            const real = await createDeclaredContainer(containerOf(mocks), runId, [network]); // returns once healthy
            seconds.push(Number(process.hrtime.bigint() - started) / 1e9);
            const s = await real.container.stats({ stream: false }) as unknown as { memory_stats: { usage: number; stats?: Record<string, number> } };
            const inactive = s.memory_stats.stats?.inactive_file ?? s.memory_stats.stats?.total_inactive_file ?? 0;
            memoryMiB.push(s.memory_stats.usage / 1048576);
            workingSetMiB.push((s.memory_stats.usage - inactive) / 1048576);
            await removeDeclaredContainer(real);
            process.stderr.write(".");
        }
    } finally {
        await cleanupRun(runId);
    }
    process.stderr.write("\n");
    const row = (name: string, v: number[], digits: number) => { const s = stats(v); return `| ${name} | ${fmt(s.min, digits)} / ${fmt(s.median, digits)} / ${fmt(s.max, digits)} |`; };
    const text = [`Key host footprint (${runs} fresh containers on the local engine, healthcheck interval 10 s)`, "",
        "| measure | min / median / max |", "| --- | --- |",
        row("create to healthy, s (create, uploads, start, first passing healthcheck)", seconds, 1),
        row("memory usage once healthy, MiB (cgroup)", memoryMiB, 1),
        row("working set once healthy, MiB (usage minus inactive file cache)", workingSetMiB, 1),
        "", "- no target; the memory limit the component sets is 64 MiB"].join("\n");
    console.log(text);
    writeResult("footprint", text);
}

if (require.main === module) main().then(() => process.exit(process.exitCode ?? 0), (e) => { console.error(e); process.exit(1); });
