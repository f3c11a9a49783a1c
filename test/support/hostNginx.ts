import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { CONFIG_DIR, HEALTH_LISTENER, HEALTH_PORT, KONG_LISTENER_PORT, PUBLIC_LISTENER_PORT, SCRATCH_DIR } from "../../components/layout";
import { MODULE_INCLUDES } from "../../components/nginx/renderPublicProxyConfig";
import { requireNginx } from "./requirements";

/** Debian's stream module, which the host's nginx loads as a dynamic module (scripts/provision.sh). */
const HOST_STREAM_MODULE = "/usr/lib/nginx/modules/ngx_stream_module.so";

/**
 * The generated config with only its locations moved for a plain process on this host: the config
 * directory and scratch into a temp dir, listeners onto 127.0.0.1 ports, the public-port proxy's
 * stream listener onto `proxy` and its upstream onto the key host's public port, and the image's module
 * includes (whose relative paths would resolve under the temp prefix) onto the host's stream module.
 * Everything else is verbatim.
 */
export function relocateConfig(conf: string, dir: string, ports: { kong: number; public: number; health?: number; proxy?: number }): string {
    let text = conf;
    for (const glob of MODULE_INCLUDES) text = text.replace(`include ${glob};`, glob === MODULE_INCLUDES[0] ? `load_module ${HOST_STREAM_MODULE};` : "");
    // Scratch first: the temp dir itself may live under /tmp.
    return text
        .split(`${SCRATCH_DIR}/`).join(`${dir}/scratch/`)
        .split(CONFIG_DIR).join(`${dir}/etc`)
        .replace(`listen ${KONG_LISTENER_PORT} ssl`, `listen 127.0.0.1:${ports.kong} ssl`)
        .replace(`listen ${PUBLIC_LISTENER_PORT} ssl`, `listen 127.0.0.1:${ports.public} ssl`)
        // Placeholder ports where only `nginx -t` reads the config (it binds nothing).
        .replace(`listen ${HEALTH_LISTENER};`, `listen 127.0.0.1:${ports.health ?? 65080};`)
        // Kubernetes: the health listener on the pod's every address, for the kubelet's probes.
        .replace(`listen ${HEALTH_PORT};`, `listen 127.0.0.1:${ports.health ?? 65080};`)
        .replace(`listen ${PUBLIC_LISTENER_PORT};`, `listen 127.0.0.1:${ports.proxy ?? 65443};`)
        .replace(/set \$key_host [^;]+;/, `set $key_host 127.0.0.1:${ports.public};`);
}

/** Writes the container's files (container path -> content) under dir, readable by nginx workers. */
export function writeFiles(dir: string, files: Record<string, string>): void {
    for (const [file, content] of Object.entries(files)) {
        const target = path.join(dir, "etc", path.relative(CONFIG_DIR, file));
        fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o755 });
        fs.writeFileSync(target, content, { mode: 0o644 });
    }
}

export async function freePort(): Promise<number> {
    // Each vitest worker (VITEST_POOL_ID) takes ports from its own slice of 20000-29999, below the kernel's
    // ephemeral range: a port one test file picks and releases can then never be handed to another file
    // running at the same time (seen: a host nginx's listener and a published Docker port on one number).
    const slice = Number(process.env.VITEST_POOL_ID ?? 0) % 10;
    for (let tries = 0; tries < 1000; tries++) {
        const port = 20000 + slice * 1000 + (nextPortOffset++ % 1000);
        if (await canBind(port)) return port;
    }
    throw new Error(`no free port in 127.0.0.1:${20000 + slice * 1000}-${20999 + slice * 1000}`);
}

let nextPortOffset = Math.floor(Math.random() * 1000);

function canBind(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const server = net.createServer();
        server.once("error", () => resolve(false));
        server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
}

/**
 * A file for nginx's stdout: the config logs private fetches to /dev/stdout, which Docker gives as a
 * pipe, while Node gives child processes sockets, which cannot be reopened by path.
 */
function stdoutFile(prefix: string): number {
    return fs.openSync(path.join(prefix, "stdout.log"), "a");
}

export function nginxTest(confPath: string, prefix: string): { ok: boolean; output: string } {
    const out = stdoutFile(prefix);
    try {
        const result = spawnSync(requireNginx(), ["-t", "-e", "stderr", "-p", prefix, "-c", confPath], { encoding: "utf8", stdio: ["ignore", out, "pipe"] });
        return { ok: result.status === 0, output: result.stderr };
    } finally {
        fs.closeSync(out);
    }
}

export interface HostNginx {
    readonly dir: string;
    /** PID of the nginx master (taskset execs nginx in place). */
    readonly pid: number;
    /** kong/public: the key host's TLS listeners; health: the loopback health listener; proxy: the stream proxy's. */
    readonly ports: { kong: number; public: number; health: number; proxy: number };
    readonly logs: () => string;
    stop(): Promise<void>;
}

/**
 * Runs nginx with the generated config as a plain process on loopback; stop() ends that PID only.
 * `cpu` pins it (and its workers) to one core, for benchmarks; `keyHostPublicPort` is where a public-port
 * proxy config forwards to (another HostNginx's `ports.public`).
 */
export async function startHostNginx(conf: string, files: Record<string, string>, options: { cpu?: number; keyHostPublicPort?: number } = {}): Promise<HostNginx> {
    requireNginx();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kskh-nginx-"));
    fs.chmodSync(dir, 0o755);
    fs.mkdirSync(path.join(dir, "scratch"), { mode: 0o777 });
    const ports = { kong: await freePort(), public: options.keyHostPublicPort ?? await freePort(), health: await freePort(), proxy: await freePort() };
    writeFiles(dir, files);
    fs.mkdirSync(path.join(dir, "etc"), { recursive: true, mode: 0o755 });
    const confPath = path.join(dir, "etc", "nginx.conf");
    fs.writeFileSync(confPath, relocateConfig(conf, dir, ports), { mode: 0o644 });
    let output = "";
    const out = stdoutFile(dir);
    const args = ["-e", "stderr", "-p", dir, "-c", confPath];
    const child: ChildProcess = options.cpu === undefined
        ? spawn(requireNginx(), args, { stdio: ["ignore", out, "pipe"] })
        : spawn("taskset", ["-c", String(options.cpu), requireNginx(), ...args], { stdio: ["ignore", out, "pipe"] });
    fs.closeSync(out);
    child.stderr!.on("data", (d) => { output += d; });
    const deadline = Date.now() + 10_000;
    for (;;) {
        const up = await new Promise<boolean>((resolve) => {
            // Our configs all have the loopback health listener; the benchmarks' bare nginx has only 8443.
            const probe = conf.includes(`listen ${HEALTH_LISTENER};`) || conf.includes(`listen ${HEALTH_PORT};`) ? ports.health : ports.kong;
            const socket = net.connect(probe, "127.0.0.1", () => { socket.destroy(); resolve(true); });
            socket.on("error", () => resolve(false));
        });
        if (up) break;
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`nginx did not start: ${output}`);
        await new Promise((r) => setTimeout(r, 50));
    }
    return {
        dir,
        pid: child.pid!,
        ports,
        logs: () => output + fs.readFileSync(path.join(dir, "stdout.log"), "utf8"),
        async stop() {
            if (child.exitCode === null) {
                const exited = new Promise((r) => child.once("exit", r));
                child.kill("SIGQUIT");
                await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
                if (child.exitCode === null) child.kill("SIGKILL");
            }
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}

/** Runs `body` against a nginx started for it, and stops that nginx afterwards, also on failure. */
export async function withHostNginx<T>(body: (nginx: HostNginx) => Promise<T>, ...args: Parameters<typeof startHostNginx>): Promise<T> {
    const nginx = await startHostNginx(...args);
    try {
        return await body(nginx);
    } finally {
        await nginx.stop();
    }
}
