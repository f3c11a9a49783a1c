import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildClientImage, runClient, startLoopClient } from "../support/docker/clients";
import { cleanupRun, docker, requireTestImage, sleep, TEST_IMAGE } from "../support/docker/engine";
import { ExampleStack } from "../support/engine/exampleStack";
import { freePort } from "../support/hostNginx";

// Drill: `pulumi up` of a rotation step killed with SIGKILL (its whole process group, as when a CI runner
// dies) at three points — while the replacement key host is being created, once it has started, once it
// is healthy (before the old one is deleted) — then the recovery the README documents ("When things go
// wrong"): `pulumi cancel`, `pulumi refresh --clear-pending-creates`, `kong-signing-key-host-sweep --remove`,
// `pulumi up`.
// Kong-like and upstream-like clients request throughout, on the real engine and Docker.
const runId = `rc${randomBytes(3).toString("hex")}`;
const SUBNET = "172.16.208.0/24";
const KONG_IP = "172.16.208.10";
const UPSTREAM_IP = "172.16.208.20";
const CHECK_IP = "172.16.208.30";
const LABEL = "io.github.kong-signing-key-host";
const SWEEP = path.resolve(__dirname, "..", "..", "scripts", "sweep.js");

const stack = new ExampleStack(runId);
let kongNetwork: string;
let ca: string;
let urls: { private: string; public: string };
/** The instance label of this stack's containers (its server key). */
let instance: string;

type KillPoint = "creating" | "started" | "healthy";

beforeAll(async () => {
    await requireTestImage();
    buildClientImage();
    await stack.init({
        kongSources: [SUBNET], subnet: SUBNET, publicPort: await freePort(), image: TEST_IMAGE,
        accessGenerations: ["2026-11"], channelGenerations: ["2026-11"],
    });
    await stack.up();
    const out = await stack.outputs();
    kongNetwork = out.kongNetworkNames[0];
    ca = out.caCertPem;
    urls = { private: out.privateKeysetUrls.access, public: out.publicJwksUrls.access };
    instance = (await docker().getContainer((await stack.dockerIds()).containers[0]).inspect()).Config.Labels[`${LABEL}.instance`];
    expect(instance).toMatch(/^[0-9a-f]{16}$/);
}, 600_000);

afterAll(async () => {
    await cleanupRun(runId);
    await stack.destroy();
    // Whatever a failed drill left of this instance.
    for (const c of await instanceContainers(true)) await docker().getContainer(c.Id).remove({ force: true }).catch(() => undefined);
    stack.removeFolder();
}, 300_000);

/** This instance's containers (running, or all). */
async function instanceContainers(all = false) {
    return docker().listContainers({ all, filters: JSON.stringify({ label: [`${LABEL}.instance=${instance}`] }) });
}

/**
 * `pulumi up` in its own process group, SIGKILLed at `point`: when the engine reports the replacement
 * being created, or on Docker's start or healthy event of a new key host container of this instance.
 */
async function upKilledAt(point: KillPoint): Promise<{ killedAfterMs: number; stdout: string }> {
    const before = new Set((await instanceContainers(true)).map((c) => c.Id));
    const events = await docker().getEvents({ filters: JSON.stringify({ type: ["container"], label: [`${LABEL}.instance=${instance}`, `${LABEL}.role=key-host`] }) });
    const started = Date.now();
    const child: ChildProcess = spawn("pulumi", ["up", "--yes", "--non-interactive", "--skip-preview", "--stack", stack.stack],
        { cwd: stack.dir, env: stack.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stdout = "";
    let killed = false;
    const kill = () => {
        if (killed) return;
        killed = true;
        try { process.kill(-child.pid!, "SIGKILL"); } catch { /* already gone */ }
    };
    const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
    child.stdout!.on("data", (d: Buffer) => {
        stdout += d.toString();
        if (point === "creating" && /kong-keys-host\s+creating replacement/.test(stdout)) kill();
    });
    child.stderr!.on("data", () => undefined);
    let pending = "";
    events.on("data", (chunk: Buffer) => {
        pending += chunk.toString();
        const lines = pending.split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines.filter(Boolean)) {
            const e = JSON.parse(line) as { id: string; status: string };
            if (before.has(e.id)) continue;
            if ((point === "started" && e.status === "start") || (point === "healthy" && e.status === "health_status: healthy")) kill();
        }
    });
    const timeout = setTimeout(kill, 120_000);
    await exited;
    clearTimeout(timeout);
    (events as unknown as { destroy(): void }).destroy();
    const killedAfterMs = Date.now() - started;
    if (!killed) throw new Error(`pulumi up ended before kill point "${point}":\n${stdout.slice(-3000)}`);
    return { killedAfterMs, stdout };
}

/** The recovery the README documents, timed; returns what the sweep printed and any empty sidecar removed. */
async function recover(): Promise<{ seconds: number; sweep: string; emptySidecars: string[] }> {
    const started = Date.now();
    // The killed `up` still holds the stack's lock (file backends lock too): `pulumi cancel` removes it.
    let emptySidecars: string[] = [];
    const cancel = await stack.cli(["cancel", "--yes", "--non-interactive", "--stack", stack.stack], { allowFailure: true });
    if (cancel.code !== 0) {
        // A kill while the file backend wrote a metadata sidecar (`<file>.attrs`, written in place, not
        // atomically) leaves it empty, and every read of that file then fails with EOF: the README's step
        // for file backends removes empty sidecars (they only hold a content type).
        expect(cancel.stderr + cancel.stdout).toMatch(/failed to load checkpoint: EOF|EOF/);
        emptySidecars = emptyAttrsFiles(path.join(stack.home, "backend"));
        expect(emptySidecars.length, `no empty .attrs file explains: ${cancel.stderr}`).toBeGreaterThan(0);
        for (const f of emptySidecars) fs.rmSync(f);
        await stack.cli(["cancel", "--yes", "--non-interactive", "--stack", stack.stack]);
    }
    await stack.cli(["refresh", "--clear-pending-creates", "--yes", "--non-interactive", "--skip-preview", "--stack", stack.stack]);
    const sweep = execFileSync(process.execPath, [SWEEP, "--stack", stack.stack, "--remove"], { cwd: stack.dir, env: stack.env, encoding: "utf8" });
    await stack.up();
    return { seconds: (Date.now() - started) / 1000, sweep, emptySidecars: emptySidecars.map((f) => path.relative(stack.home, f)) };
}

/** Zero-byte `.attrs` sidecars under a file backend's folder. */
function emptyAttrsFiles(dir: string): string[] {
    return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && e.name.endsWith(".attrs"))
        .map((e) => path.join(e.parentPath, e.name))
        .filter((f) => fs.statSync(f).size === 0);
}

const rotation = (n: number) => {
    // Generation labels 2026-11, 2026-12, 2027-01, …: pre-publish the next, promote it, retire the old.
    const label = (i: number) => `${2026 + Math.floor((10 + i) / 12)}-${String(((10 + i) % 12) + 1).padStart(2, "0")}`;
    const round = Math.floor(n / 3);
    const [old, next] = [label(round), label(round + 1)];
    return [
        { name: "pre-publish", config: { accessGenerations: [old, next], accessActive: old }, active: old, published: [old, next] },
        { name: "promote", config: { accessGenerations: [old, next], accessActive: next }, active: next, published: [old, next] },
        { name: "retire", config: { accessGenerations: [next], accessActive: undefined }, active: next, published: [next] },
    ][n % 3];
};

describe("an interrupted `pulumi up` (SIGKILL) at each point of each rotation step, then the documented recovery", () => {
    it("ends with exactly this stack's key host and proxy serving the state's keyset, no orphan, and no failed fetch", async () => {
        const kong = await startLoopClient({ runId, network: kongNetwork, ip: KONG_IP, spec: { role: "kong", url: urls.private, ca, intervalMs: 100, maxMs: 1_500_000 } });
        const upstream = await startLoopClient({ runId, network: kongNetwork, ip: UPSTREAM_IP, spec: { role: "upstream", url: urls.public, ca, intervalMs: 100, maxMs: 1_500_000 } });
        await sleep(1000);
        const points: KillPoint[] = ["creating", "started", "healthy"];
        const drills: Record<string, unknown>[] = [];
        const kidOf = new Map<string, string>(); // generation -> kid
        for (let n = 0; n < 9; n++) {
            const step = rotation(n);
            // Every step meets every kill point once across the three rounds.
            const point = points[(n + Math.floor(n / 3)) % 3];
            await stack.setConfig(step.config);
            const killed = await upKilledAt(point);
            const runningAfterKill = (await instanceContainers()).filter((c) => c.Labels[`${LABEL}.role`] === "key-host").length;
            const { seconds, sweep, emptySidecars } = await recover();

            // Exactly one key host and one proxy of this instance; nothing else answers to its name.
            const running = await instanceContainers();
            const roles = running.map((c) => c.Labels[`${LABEL}.role`]).sort();
            const { containers: owned } = await stack.dockerIds();
            const dns = await runClient<{ answers: { address: string }[] }>({ runId, network: kongNetwork, spec: { mode: "dns", name: "kong-keys" } });
            // The state's keyset is what Kong gets, and only the step's keys exist.
            const out = await stack.outputs();
            step.published.forEach((g, i) => kidOf.set(g, out.publicJwks.access.keys[i].kid));
            const fetched = await runClient<{ status: number; kid: string }>({ runId, network: kongNetwork, ip: CHECK_IP, spec: { mode: "kong", privateUrl: urls.private, ca } });
            const noChange = await stack.cli(["preview", "--expect-no-changes", "--non-interactive", "--stack", stack.stack], { allowFailure: true });
            drills.push({ step: step.name, point, killedAfterMs: killed.killedAfterMs, keyHostsRunningAfterKill: runningAfterKill, recoverySeconds: seconds, sweep: sweep.trim().split("\n"), emptySidecars });

            expect(roles, `${step.name} killed at ${point}`).toEqual(["key-host", "public-proxy"]);
            expect(running.map((c) => c.Id).every((id) => owned.includes(id))).toBe(true);
            expect(dns.answers).toHaveLength(1);
            expect(out.publicJwks.access.keys.map((k: { kid: string }) => k.kid)).toEqual(step.published.map((g) => kidOf.get(g)));
            expect(out.activeKids.access).toBe(kidOf.get(step.active));
            expect(fetched).toMatchObject({ status: 200, kid: out.activeKids.access });
            expect(noChange.code, noChange.stdout.slice(-2000)).toBe(0);
        }
        await sleep(1000);
        const kongSummary = await kong.stop();
        const upstreamSummary = await upstream.stop();
        const report = {
            drills,
            kong: { total: kongSummary.total, failed: kongSummary.failures.length, failures: kongSummary.failures.slice(0, 5) },
            upstream: { total: upstreamSummary.total, failed: upstreamSummary.failures.length, failures: upstreamSummary.failures.slice(0, 5) },
        };
        console.log(`interrupted up drills: ${JSON.stringify(report, null, 2)}`);
        // At least one kill left a second key host running: the orphan the sweep exists for.
        expect(drills.some((d) => (d.keyHostsRunningAfterKill as number) > 1)).toBe(true);
        expect(drills.some((d) => (d.sweep as string[]).some((l) => l.startsWith("removed ")))).toBe(true);
        for (const side of [kongSummary, upstreamSummary]) expect(side.total).toBeGreaterThan(300);
        expect(report.kong.failed + report.upstream.failed).toBe(0);

    }, 1_500_000);
});

/** The state's resources, as compared before and after a failed operation (secrets decrypted: each
 * write encrypts them anew). */
async function stateResources(): Promise<unknown[]> {
    const { stdout } = await stack.cli(["stack", "export", "--show-secrets", "--stack", stack.stack]);
    // Sorted: a failed update may write the same resources in another order.
    return (JSON.parse(stdout).deployment.resources ?? []).map((r: Record<string, unknown>) => ({ urn: r.urn, id: r.id, inputs: r.inputs, outputs: r.outputs }))
        .sort((a: { urn: string; id?: string }, b: { urn: string; id?: string }) => `${a.urn} ${a.id}`.localeCompare(`${b.urn} ${b.id}`));
}

describe("drift: what is changed behind Pulumi's back", () => {
    it("a key host removed out of band: `pulumi refresh` reports it, `pulumi up` restores it with the same keys", async () => {
        const before = await stack.outputs();
        const { containers } = await stack.dockerIds();
        const host = (await instanceContainers()).find((c) => c.Labels[`${LABEL}.role`] === "key-host")!;
        await docker().getContainer(host.Id).remove({ force: true });
        const started = Date.now();
        const refresh = await stack.cli(["refresh", "--yes", "--non-interactive", "--skip-preview", "--diff", "--stack", stack.stack]);
        const preview = await stack.previewJson();
        await stack.up();
        const seconds = (Date.now() - started) / 1000;
        const after = await stack.outputs();
        const fetched = await runClient<{ status: number; kid: string }>({ runId, network: kongNetwork, ip: CHECK_IP, spec: { mode: "kong", privateUrl: urls.private, ca } });
        console.log(`key host removed out of band: refresh + up ${seconds} s`);
        expect(containers).toContain(host.Id);
        expect(refresh.stdout).toMatch(/- docker:index\/container:Container: \(delete\)[\s\S]*kong-keys-host|kong-keys-host[\s\S]*deleted/);
        expect(preview.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.urn.split("::").pop()}`)).toEqual(["create kong-keys-host"]);
        expect(after.publicJwks).toEqual(before.publicJwks);
        expect(after.activeKids).toEqual(before.activeKids);
        expect(fetched).toMatchObject({ status: 200, kid: before.activeKids.access });
    }, 300_000);

    it("a key host disconnected from Kong's network out of band: the sweep reports it (refresh does not) and names the fix", async () => {
        const host = (await instanceContainers()).find((c) => c.Labels[`${LABEL}.role`] === "key-host")!;
        await docker().getNetwork(kongNetwork).disconnect({ Container: host.Id, Force: true });
        // Measured: the docker provider's refresh reads no change, so Pulumi plans nothing.
        const preview = await stack.previewJson(["--refresh"]);
        const sweep = spawnSync(process.execPath, [SWEEP, "--stack", stack.stack], { cwd: stack.dir, env: stack.env, encoding: "utf8" });
        const urn = (await stack.exportState()).deployment.resources.find((r: { id?: string }) => r.id === host.Id).urn as string;
        console.log(`key host disconnected out of band: plan after refresh ${JSON.stringify(preview.steps.filter((s) => s.op !== "same").map((s) => s.op))}, sweep said ${JSON.stringify(sweep.stdout.trim().split("\n"))}`);
        expect(preview.steps.filter((s) => s.op !== "same" && s.op !== "refresh")).toEqual([]);
        expect(sweep.status).toBe(1);
        expect(sweep.stdout).toContain(`detached ${host.Names[0].replace(/^\//, "")} (${host.Id.slice(0, 12)}): not on ${kongNetwork} as "kong-keys" as the state declares`);
        expect(sweep.stdout).toContain(`pulumi up --replace '${urn}'`);
        // The fix it names: a new key host from the state, on every network it declares.
        await stack.up(["--replace", urn]);
        const fetched = await runClient<{ status: number; kid: string }>({ runId, network: kongNetwork, ip: CHECK_IP, spec: { mode: "kong", privateUrl: urls.private, ca } });
        const after = spawnSync(process.execPath, [SWEEP, "--stack", stack.stack], { cwd: stack.dir, env: stack.env, encoding: "utf8" });
        expect(fetched).toMatchObject({ status: 200 });
        expect(after.status, after.stdout).toBe(0);
    }, 300_000);
});

describe("the Docker host unreachable", () => {
    it("`up` fails naming the Docker host and changes nothing in state; the next `up` works", async () => {
        const before = await stateResources();
        // A change only the key host container carries: the same image, named by its id.
        const imageId = (await docker().getImage(TEST_IMAGE).inspect()).Id;
        await stack.setConfig({ image: imageId });
        // A loopback port nothing listens on, as the provider's Docker host (DOCKER_HOST).
        const port = await freePort();
        Object.assign(stack.extraEnv, { DOCKER_HOST: `tcp://127.0.0.1:${port}` });
        let preview, up;
        try {
            preview = await stack.cli(["preview", "--non-interactive", "--stack", stack.stack], { allowFailure: true });
            up = await stack.cli(["up", "--yes", "--non-interactive", "--skip-preview", "--stack", stack.stack], { allowFailure: true });
        } finally {
            delete stack.extraEnv.DOCKER_HOST;
        }
        const said = (r: { stdout: string; stderr: string }) => (r.stdout + r.stderr).split("\n").filter((l) => l.includes(`127.0.0.1:${port}`)).slice(0, 2);
        console.log(`docker host unreachable: preview exit ${preview.code}, up exit ${up.code}: ${JSON.stringify(said(up))}`);
        // Measured: a preview plans from state without calling the Docker host; `up` must reach it.
        expect(preview.code).toBe(0);
        expect(up.code).not.toBe(0);
        expect(said(up).length).toBeGreaterThan(0);
        expect(await stateResources()).toEqual(before);
        expect((await stack.exportState()).deployment.pending_operations ?? []).toEqual([]);
        // Back to the reachable host: the same change applies, and nothing is left to do after it.
        await stack.up();
        await stack.setConfig({ image: TEST_IMAGE });
        await stack.up();
        const again = await stack.cli(["preview", "--expect-no-changes", "--non-interactive", "--stack", stack.stack], { allowFailure: true });
        expect(again.code, again.stdout.slice(-2000)).toBe(0);
    }, 300_000);

    it("`pulumi destroy` then leaves nothing of the instance: no container, no network", async () => {
        const { networks } = await stack.dockerIds();
        await stack.cli(["destroy", "--yes", "--non-interactive", "--skip-preview", "--stack", stack.stack]);
        expect(await instanceContainers(true)).toEqual([]);
        const left = (await docker().listNetworks()).map((n) => n.Id);
        expect(networks.filter((id) => left.includes(id))).toEqual([]);
    }, 300_000);
});

