import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RUN_LABEL, containerLogs, docker } from "./engine";

const PROBE = path.resolve(__dirname, "..", "..", "docker", "clients", "probe.mjs");
const JOSE_DIR = path.dirname(require.resolve("jose/package.json"));

let clientImage: string | undefined;

/**
 * A small Node image built locally from this host's Node binary and libraries, with jose and the
 * probe script: the Kong-like, upstream-like and attacking clients (no registry needed).
 */
export function buildClientImage(): string {
    if (clientImage) return clientImage;
    const hash = createHash("sha256").update(fs.readFileSync(PROBE)).update(process.version)
        .update(fs.readFileSync(path.join(JOSE_DIR, "package.json"))).digest("hex").slice(0, 12);
    const tag = `kong-signing-key-host-test/node-client:${hash}`;
    try {
        execFileSync("docker", ["image", "inspect", tag], { stdio: "ignore" });
    } catch {
        const ctx = fs.mkdtempSync(path.join(os.tmpdir(), "kskh-client-"));
        try {
            const rootfs = path.join(ctx, "rootfs");
            const copy = (from: string, to = from) => {
                fs.mkdirSync(path.dirname(path.join(rootfs, to)), { recursive: true });
                fs.cpSync(fs.realpathSync(from), path.join(rootfs, to), { recursive: true });
            };
            copy(process.execPath, "/usr/bin/node");
            const libs = execFileSync("ldd", [process.execPath], { encoding: "utf8" }).match(/\/[^\s)]+/g) ?? [];
            for (const lib of new Set(libs)) copy(lib);
            copy(JOSE_DIR, "/app/node_modules/jose");
            copy(PROBE, "/app/probe.mjs");
            fs.mkdirSync(path.join(rootfs, "tmp"), { recursive: true, mode: 0o1777 });
            fs.mkdirSync(path.join(rootfs, "etc"), { recursive: true });
            fs.writeFileSync(path.join(rootfs, "etc", "passwd"), "root:x:0:0::/:/sbin/nologin\nnobody:x:65534:65534::/:/sbin/nologin\n");
            fs.writeFileSync(path.join(ctx, "Dockerfile"), "FROM scratch\nCOPY rootfs/ /\nUSER 65534:65534\nENTRYPOINT [\"/usr/bin/node\", \"/app/probe.mjs\"]\n");
            execFileSync("docker", ["build", "-q", "-t", tag, ctx], { stdio: "ignore", env: { ...process.env, DOCKER_BUILDKIT: "0" } });
        } finally {
            fs.rmSync(ctx, { recursive: true, force: true });
        }
    }
    clientImage = tag;
    return tag;
}

/** Runs one client job in a container with a fixed address on a network; returns its JSON result. */
export async function runClient<T = any>(options: { runId: string; network: string; ip?: string; spec: Record<string, unknown>; timeoutMs?: number }): Promise<T> {
    const d = docker();
    const container = await d.createContainer({
        Image: buildClientImage(),
        Env: [`SPEC=${JSON.stringify(options.spec)}`],
        Labels: { [RUN_LABEL]: options.runId },
        HostConfig: { NetworkMode: options.network, CapDrop: ["ALL"], SecurityOpt: ["no-new-privileges:true"] },
        NetworkingConfig: { EndpointsConfig: { [options.network]: options.ip ? { IPAMConfig: { IPv4Address: options.ip } } : {} } },
    });
    try {
        await container.start();
        const timeout = options.timeoutMs ?? 60_000;
        const waited = await Promise.race([
            container.wait(),
            new Promise((_, reject) => setTimeout(() => reject(new Error(`client did not finish in ${timeout} ms`)), timeout)),
        ]);
        void waited;
        const { stdout, stderr } = await containerLogs(container);
        const line = stdout.trim().split("\n").pop() ?? "";
        try {
            return JSON.parse(line) as T;
        } catch {
            throw new Error(`client printed no JSON: ${stdout}\n${stderr}`);
        }
    } finally {
        await container.remove({ force: true }).catch(() => undefined);
    }
}

/** A long-running client (mode "loop"): start it, read its event lines while it runs, stop it for its summary. */
export async function startLoopClient(options: { runId: string; network: string; ip: string; spec: Record<string, unknown> }) {
    const d = docker();
    const container = await d.createContainer({
        Image: buildClientImage(),
        Env: [`SPEC=${JSON.stringify({ mode: "loop", ...options.spec })}`],
        Labels: { [RUN_LABEL]: options.runId },
        StopSignal: "SIGTERM",
        HostConfig: { NetworkMode: options.network, CapDrop: ["ALL"], SecurityOpt: ["no-new-privileges:true"] },
        NetworkingConfig: { EndpointsConfig: { [options.network]: { IPAMConfig: { IPv4Address: options.ip } } } },
    });
    await container.start();
    const lines = async () => (await containerLogs(container)).stdout.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
    return {
        /** Event lines printed so far. */
        events: async () => (await lines()).filter((l) => l.event),
        /** SIGTERM, wait for exit, return the final summary. */
        stop: async () => {
            await container.stop({ t: 20 });
            const all = await lines();
            await container.remove({ force: true }).catch(() => undefined);
            const last = all.at(-1);
            if (!last?.summary) throw new Error(`loop client ended without a summary: ${JSON.stringify(all.slice(-3))}`);
            return last.summary as { total: number; failures: { t: number; status?: number; error?: string }[]; kids: string[] };
        },
    };
}
