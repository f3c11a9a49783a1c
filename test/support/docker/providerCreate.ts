import type Docker from "dockerode";
import * as tar from "tar-stream";
import type { RecordedResource } from "../realCryptoMocks";
import { RUN_LABEL, TEST_IMAGE, docker, sleep } from "./engine";

/**
 * Creates what the component declared (docker.Network / docker.Container inputs, as recorded under
 * mocks) on the local engine, the way the Docker provider does it: container created, default bridge
 * disconnected, each `networksAdvanced` network connected, each upload put as a one-file tar (entry =
 * full path) extracted at `/` before start, then started and, with `wait`, waited for until healthy.
 * Only the image is swapped. A declared field this harness does not apply is an error, so the harness
 * cannot silently drift from the component.
 */

const APPLIED = {
    network: ["driver", "internal", "labels", "ipamConfigs", "name"],
    container: ["image", "labels", "entrypoints", "command", "user", "workingDir", "uploads", "tmpfs", "capabilities", "securityOpts",
        "networksAdvanced", "networkMode", "ports", "healthcheck", "restart", "memory", "memorySwap", "ulimits", "stopSignal",
        "destroyGraceSeconds", "wait", "waitTimeout", "mustRun", "name"],
    upload: ["file", "content", "owner", "group", "permissions", "executable"],
    healthcheck: ["tests", "interval", "timeout", "startPeriod", "retries"],
    networksAdvanced: ["name", "aliases", "ipv4Address"],
    port: ["internal", "external", "ip", "protocol"],
    capabilities: ["adds", "drops"],
    ulimit: ["name", "soft", "hard"],
    label: ["label", "value"],
    ipamConfig: ["subnet", "gateway", "ipRange"],
} as const;

function refuseUnknown(kind: keyof typeof APPLIED, value: Record<string, unknown> | undefined, where: string): void {
    for (const [key, v] of Object.entries(value ?? {})) {
        if (v === undefined) continue;
        if (!(APPLIED[kind] as readonly string[]).includes(key)) {
            throw new Error(`harness does not apply ${where}.${key} (declared ${JSON.stringify(v).slice(0, 80)}): teach providerCreate.ts or change the component`);
        }
    }
}

/** Go duration text ("10s", "500ms", "1m") to nanoseconds, as the provider parses it. */
export function durationNs(text: string | undefined): number | undefined {
    if (text === undefined) return undefined;
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text);
    if (!match) throw new Error(`unparsable duration ${text}`);
    const unit = { ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 }[match[2] as "ms" | "s" | "m" | "h"];
    return Math.round(Number(match[1]) * unit);
}

function labelsOf(labels: { label: string; value: string }[] | undefined, runId: string): Record<string, string> {
    for (const l of labels ?? []) refuseUnknown("label", l, "labels[]");
    return { ...Object.fromEntries((labels ?? []).map((l) => [l.label, l.value])), [RUN_LABEL]: runId };
}

export interface RealNetwork {
    /** The name the mocks gave (what the container's inputs refer to). */
    declaredName: string;
    realName: string;
    network: Docker.Network;
}

export async function createDeclaredNetwork(resource: RecordedResource, runId: string, realName: string): Promise<RealNetwork> {
    const n = resource.plain;
    refuseUnknown("network", n, "Network");
    for (const c of n.ipamConfigs ?? []) refuseUnknown("ipamConfig", c, "Network.ipamConfigs[]");
    const network = await docker().createNetwork({
        Name: realName,
        Driver: n.driver ?? "bridge",
        Internal: n.internal === true,
        Labels: labelsOf(n.labels, runId),
        ...(n.ipamConfigs ? { IPAM: { Driver: "default", Config: n.ipamConfigs.map((c: any) => ({ Subnet: c.subnet, Gateway: c.gateway, IPRange: c.ipRange })) } } : {}),
    });
    return { declaredName: resource.physicalName ?? n.name, realName, network };
}

/** Builds the provider's one-file tar for an upload. */
export async function uploadTar(upload: { file: string; content: string; owner?: string; group?: string; permissions?: string; executable?: boolean }): Promise<Buffer> {
    refuseUnknown("upload", upload as unknown as Record<string, unknown>, "Container.uploads[]");
    const pack = tar.pack();
    const content = Buffer.from(upload.content, "utf8");
    const mode = upload.permissions !== undefined ? parseInt(upload.permissions, 8) : upload.executable ? 0o744 : 0o644;
    pack.entry({ name: upload.file, mode, uid: Number(upload.owner ?? 0), gid: Number(upload.group ?? 0), size: content.length, mtime: new Date() }, content);
    pack.finalize();
    const chunks: Buffer[] = [];
    for await (const chunk of pack) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
}

export interface RealContainer {
    container: Docker.Container;
    id: string;
    declared: Record<string, any>;
}

export async function createDeclaredContainer(resource: RecordedResource, runId: string, networks: RealNetwork[]): Promise<RealContainer> {
    const c = resource.plain;
    refuseUnknown("container", c, "Container");
    if (c.name !== undefined) throw new Error("the component must not fix a container name (replacements would collide)");
    for (const p of c.ports ?? []) refuseUnknown("port", p, "Container.ports[]");
    for (const u of c.ulimits ?? []) refuseUnknown("ulimit", u, "Container.ulimits[]");
    for (const n of c.networksAdvanced ?? []) refuseUnknown("networksAdvanced", n, "Container.networksAdvanced[]");
    refuseUnknown("healthcheck", c.healthcheck, "Container.healthcheck");
    refuseUnknown("capabilities", c.capabilities, "Container.capabilities");
    const realNetwork = (declared: string) => networks.find((n) => n.declaredName === declared)?.realName ?? declared;

    const exposed: Record<string, object> = {};
    const bindings: Record<string, { HostIp?: string; HostPort?: string }[]> = {};
    for (const p of c.ports ?? []) {
        const key = `${p.internal}/${p.protocol ?? "tcp"}`;
        exposed[key] = {};
        (bindings[key] ??= []).push({ HostIp: p.ip ?? "0.0.0.0", HostPort: p.external !== undefined ? String(p.external) : "" });
    }
    const d = docker();
    const container = await d.createContainer({
        Image: TEST_IMAGE, // the one swap
        Entrypoint: c.entrypoints,
        Cmd: c.command,
        User: c.user,
        WorkingDir: c.workingDir,
        Labels: labelsOf(c.labels, runId),
        StopSignal: c.stopSignal,
        ExposedPorts: Object.keys(exposed).length ? exposed : undefined,
        Healthcheck: c.healthcheck ? {
            Test: c.healthcheck.tests,
            Interval: durationNs(c.healthcheck.interval),
            Timeout: durationNs(c.healthcheck.timeout),
            StartPeriod: durationNs(c.healthcheck.startPeriod),
            Retries: c.healthcheck.retries,
        } : undefined,
        HostConfig: {
            RestartPolicy: { Name: c.restart ?? "no", MaximumRetryCount: 0 },
            Tmpfs: c.tmpfs,
            PortBindings: Object.keys(bindings).length ? bindings : undefined,
            Ulimits: c.ulimits?.map((u: any) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })),
            CapAdd: c.capabilities?.adds,
            CapDrop: c.capabilities?.drops,
            SecurityOpt: c.securityOpts,
            Memory: c.memory !== undefined ? c.memory * 1024 * 1024 : undefined,
            MemorySwap: c.memorySwap !== undefined ? (c.memorySwap > 0 ? c.memorySwap * 1024 * 1024 : c.memorySwap) : undefined,
            NetworkMode: c.networkMode !== undefined ? realNetwork(c.networkMode) : undefined,
            Init: false,
        },
        NetworkingConfig: {},
    });
    try {
        if (c.networksAdvanced?.length) {
            await d.getNetwork("bridge").disconnect({ Container: container.id }).catch((e: { message?: string }) => {
                if (!/is not connected to the network bridge/.test(e.message ?? "")) throw e;
            });
            for (const n of c.networksAdvanced) {
                await d.getNetwork(realNetwork(n.name)).connect({
                    Container: container.id,
                    EndpointConfig: { Aliases: n.aliases, IPAMConfig: n.ipv4Address ? { IPv4Address: n.ipv4Address } : {} },
                });
            }
        }
        for (const upload of c.uploads ?? []) await container.putArchive(await uploadTar(upload), { path: "/" });
        await container.start();
        if (c.wait) await waitHealthy(container, (c.waitTimeout ?? 60) * 1000);
        const state = (await container.inspect()).State;
        if (c.mustRun !== false && !state.Running) throw new Error(`container is not running: ${JSON.stringify(state)}`);
    } catch (e) {
        await container.remove({ force: true }).catch(() => undefined);
        throw e;
    }
    return { container, id: container.id, declared: c };
}

export async function waitHealthy(container: Docker.Container, timeoutMs: number): Promise<number> {
    const started = Date.now();
    for (;;) {
        const state = (await container.inspect()).State;
        if (state.Health?.Status === "healthy") return Date.now() - started;
        if (Date.now() - started > timeoutMs) throw new Error(`not healthy after ${timeoutMs} ms: ${JSON.stringify(state.Health ?? state)}`);
        await sleep(250);
    }
}

/** Stops (with the declared grace) and removes, as the provider's delete does. */
export async function removeDeclaredContainer(real: RealContainer): Promise<void> {
    await real.container.stop({ t: real.declared.destroyGraceSeconds ?? 0 }).catch(() => undefined);
    await real.container.remove({ force: true, v: true }).catch(() => undefined);
}
