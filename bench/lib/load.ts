import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { type Candidate, JWKS_PATH } from "./candidates";
import { cpuNs } from "./cpu";

const run = promisify(execFile);

export type Mode = "keep-alive" | "new connection, full handshake" | "new connection, resumed";

export interface Measurement {
    requests: number;
    cpuNs: number;
    seconds: number;
    /** Latency percentiles where the load tool reports them (wrk), else the mean. */
    p50Ms?: number;
    p99Ms?: number;
    meanMs?: number;
    /** Share of connections that resumed a TLS session (handshake modes). */
    resumed?: number;
}

function wrkMs(text: string, pct: string): number {
    const m = new RegExp(`^\\s*${pct}%\\s+([\\d.]+)(us|ms|s)`, "m").exec(text);
    if (!m) return NaN;
    return Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2] as "us" | "ms" | "s"];
}

const S_TIME_CLIENTS = 4;

/**
 * One timed run of a load tool pinned to `loadCpu`, with the server's CPU time read around it.
 * Keep-alive: wrk (16 connections). New connections: `openssl s_time`, four at once, `-new` (a full
 * handshake every time) or `-reuse` (resuming the first session). wrk is not used for new connections:
 * with `Connection: close` it resumes TLS sessions, so it never measures a full handshake.
 */
export async function measure(candidate: Candidate, mode: Mode, seconds: number, loadCpu: number): Promise<Measurement> {
    const pids = candidate.pids();
    const before = cpuNs(pids);
    const t0 = process.hrtime.bigint();
    let result: Omit<Measurement, "cpuNs" | "seconds">;
    if (mode === "keep-alive") {
        const { stdout } = await run("taskset", ["-c", String(loadCpu), "wrk", "-t1", "-c16", `-d${seconds}s`, "--latency", `https://127.0.0.1:${candidate.port}${JWKS_PATH}`]);
        const requests = Number(/(\d+) requests in/.exec(stdout)?.[1]);
        const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
        if (!requests || non2xx) throw new Error(`wrk: ${stdout}`);
        result = { requests, p50Ms: wrkMs(stdout, "50"), p99Ms: wrkMs(stdout, "99") };
    } else {
        const flag = mode === "new connection, resumed" ? "-reuse" : "-new";
        const outs = await Promise.all(Array.from({ length: S_TIME_CLIENTS }, () => run("taskset", ["-c", String(loadCpu),
            "openssl", "s_time", "-connect", `127.0.0.1:${candidate.port}`, "-www", JWKS_PATH, flag, "-time", String(seconds)])));
        let requests = 0;
        let resumed = 0;
        for (const { stdout } of outs) {
            const m = /(\d+) connections in [\d.]+ real seconds, (\d+) bytes read per connection/.exec(stdout);
            if (!m || Number(m[2]) < 200) throw new Error(`s_time: ${stdout}`);
            requests += Number(m[1]);
            // s_time prints one character per connection: "r" when the session was resumed.
            const progress = stdout.split("\n").filter((line) => /^[r*t3]+$/.test(line)).join("");
            resumed += (progress.match(/r/g) ?? []).length;
        }
        result = { requests, resumed };
    }
    const cpu = cpuNs(pids) - before;
    const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
    // s_time reports no latencies: the mean follows from its clients' wall time over their connections.
    const meanMs = result.p50Ms === undefined ? (elapsed * 1000 * S_TIME_CLIENTS) / result.requests : undefined;
    return { ...result, ...(meanMs !== undefined ? { meanMs } : {}), cpuNs: cpu, seconds: elapsed };
}
