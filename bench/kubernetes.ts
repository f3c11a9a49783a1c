// The two targets side by side, in one run, through the real engine: the Docker example stack (one key host
// container) and examples/kubernetes (a Deployment of 2 pods on the cluster scripts/cluster.sh runs).
// `pulumi up` from nothing to every key host ready, a promotion's `pulumi up` (Docker: a replacement;
// Kubernetes: a rolling update, which `up` waits for), then both idle at once: CPU per key host per second
// of wall time and memory per key host, from their cgroups (Docker's counters; the pod's cgroup on the node).
//   npm run bench:kubernetes [-- --idle-seconds 30]
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import { clusterEnv, kubectl, kubectlOk } from "../test/support/cluster";
import { requireTestImage, sleep, TEST_IMAGE } from "../test/support/docker/engine";
import { deploymentOf } from "../test/support/engine/deployment";
import { ExampleStack } from "../test/support/engine/exampleStack";
import { freePort } from "../test/support/hostNginx";
import { restrictedNamespace } from "../test/support/keyHostClients";
import { fmt } from "./lib/cpu";
import { numberArg, writeResult } from "./lib/report";

async function timed(f: () => Promise<unknown>): Promise<number> {
    const started = process.hrtime.bigint();
    await f();
    return Number(process.hrtime.bigint() - started) / 1e9;
}

/** The pod's cgroup (v1, cgroupfs driver) under a controller, by the pod's UID and QoS class. */
function podCgroup(controller: "cpuacct" | "memory", uid: string, qos: string): string {
    const dir = `/sys/fs/cgroup/${controller}/kubepods/${qos === "Guaranteed" ? "" : `${qos.toLowerCase()}/`}pod${uid}`;
    if (!fs.existsSync(dir)) throw new Error(`no cgroup ${dir}: is the cluster scripts/cluster.sh runs (cgroupfs, cgroup v1)?`);
    return dir;
}

const workingSet = (usage: number, inactiveFile: number) => (usage - inactiveFile) / 1048576;

export async function main(): Promise<void> {
    const idleSeconds = numberArg("idle-seconds", 30);
    await requireTestImage();
    const env = clusterEnv();
    const runId = `bk${randomBytes(3).toString("hex")}`;
    const ns = `${runId}-keys`;
    const onDocker = new ExampleStack(`${runId}-docker`);
    const onKubernetes = new ExampleStack(`${runId}-k8s`, { source: "examples/kubernetes" });
    Object.assign(onKubernetes.extraEnv, { KUBECONFIG: env.KUBECONFIG });
    const generations = { accessGenerations: ["2026-11", "2026-12"], channelGenerations: ["2026-11"], accessActive: "2026-11" };
    try {
        kubectlOk(["apply", "-f", "-"], restrictedNamespace(ns, runId));
        await onDocker.init({ kongSources: ["172.16.212.10"], subnet: "172.16.212.0/24", publicPort: await freePort(), image: TEST_IMAGE, ...generations });
        await onKubernetes.init({ namespace: ns, image: TEST_IMAGE, imagePullPolicy: "Never", ...generations });

        const createDocker = await timed(() => onDocker.up());
        const createKubernetes = await timed(() => onKubernetes.up());
        await onDocker.setConfig({ accessActive: "2026-12" });
        await onKubernetes.setConfig({ accessActive: "2026-12" });
        const promoteDocker = await timed(() => onDocker.up());
        const promoteKubernetes = await timed(() => onKubernetes.up());
        const k8sOut = await onKubernetes.outputs();
        const deployment = JSON.parse(kubectlOk(["-n", ns, "get", "deployment", k8sOut.serviceName, "-o", "json"]));
        const rollout = deployment.status.conditions.find((c: { type: string }) => c.type === "Progressing");
        const replicas = deployment.status.readyReplicas as number;

        // Both idle at once, after the rollout settled and a few probe periods.
        await sleep(10_000);
        const dockerOut = await onDocker.outputs();
        const host = (await deploymentOf(onDocker, dockerOut.kongNetworkNames[0])).host;
        const pods = JSON.parse(kubectlOk(["-n", ns, "get", "pods", "-l", `app.kubernetes.io/instance=${k8sOut.serviceName}`, "-o", "json"])).items
            .filter((p: { metadata: { deletionTimestamp?: string } }) => !p.metadata.deletionTimestamp) as { metadata: { uid: string }; status: { qosClass: string } }[];
        const podCpu = () => pods.map((p) => Number(fs.readFileSync(`${podCgroup("cpuacct", p.metadata.uid, p.status.qosClass)}/cpuacct.usage`, "utf8")));
        const dockerCpu = async () => (await host.stats({ stream: false }) as unknown as { cpu_stats: { cpu_usage: { total_usage: number } } }).cpu_stats.cpu_usage.total_usage;
        const started = Date.now();
        const [d0, k0] = [await dockerCpu(), podCpu()];
        await sleep(idleSeconds * 1000);
        const [d1, k1] = [await dockerCpu(), podCpu()];
        const wall = (Date.now() - started) / 1000;
        const dockerMsPerS = (d1 - d0) / 1e6 / wall;
        const podMsPerS = k1.map((v, i) => (v - k0[i]) / 1e6 / wall);
        const s = await host.stats({ stream: false }) as unknown as { memory_stats: { usage: number; stats?: Record<string, number> } };
        const dockerMiB = workingSet(s.memory_stats.usage, s.memory_stats.stats?.inactive_file ?? 0);
        const podMiB = pods.map((p) => {
            const dir = podCgroup("memory", p.metadata.uid, p.status.qosClass);
            const stat = Object.fromEntries(fs.readFileSync(`${dir}/memory.stat`, "utf8").trim().split("\n").map((l) => l.split(" ")));
            return workingSet(Number(fs.readFileSync(`${dir}/memory.usage_in_bytes`, "utf8")), Number(stat.total_inactive_file ?? 0));
        });
        const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

        const text = [
            `Docker vs Kubernetes target, one run side by side (2 keysets; Kubernetes: ${replicas} replicas; wall seconds)`, "",
            "| measure | Docker | Kubernetes | ratio |", "| --- | --- | --- | --- |",
            `| pulumi up from nothing to every key host ready | ${fmt(createDocker)} | ${fmt(createKubernetes)} | ${fmt(createKubernetes / createDocker, 2)}x |`,
            `| pulumi up of a promotion (Docker: replacement; Kubernetes: rolling update, waited for) | ${fmt(promoteDocker)} | ${fmt(promoteKubernetes)} | ${fmt(promoteKubernetes / promoteDocker, 2)}x |`,
            `| idle CPU per key host, ms per s over ${idleSeconds} s (Docker: exec healthcheck every 2 s; Kubernetes: kubelet HTTP probes, pod cgroup incl. pause) | ${fmt(dockerMsPerS, 2)} | ${fmt(mean(podMsPerS), 2)} (per pod: ${podMsPerS.map((v) => fmt(v, 2)).join(", ")}) | ${fmt(mean(podMsPerS) / dockerMsPerS, 2)}x |`,
            `| memory per key host, MiB (cgroup usage minus inactive file cache) | ${fmt(dockerMiB)} | ${fmt(mean(podMiB))} (per pod: ${podMiB.map((v) => fmt(v)).join(", ")}) | ${fmt(mean(podMiB) / dockerMiB, 2)}x |`,
            "", `Kubernetes rollout condition after the promotion: ${rollout?.reason ?? "?"} (${rollout?.message ?? ""})`,
        ].join("\n");
        console.log(text);
        writeResult("kubernetes", text);
    } finally {
        for (const stack of [onDocker, onKubernetes]) {
            await stack.destroy();
            stack.removeFolder();
        }
        kubectl(["delete", "namespace", ns, "--wait=true", "--timeout=120s"]);
    }
}

if (require.main === module) main().then(() => process.exit(process.exitCode ?? 0), (e) => { console.error(e); process.exit(1); });
