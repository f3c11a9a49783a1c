// Serving cost: the key host's generated config vs bare nginx vs a node:https server, same JWKS bytes,
// same ECDSA P-256 certificate, on loopback. Servers on core 0, load generators on core 1, candidates
// interleaved, each run repeated; judged by server CPU time per request (/proc/<pid>/task/*/schedstat).
//   npm run bench:serving [-- --seconds 5 --reps 5]
import { generateKeyPairSync } from "node:crypto";
import { makeTlsFixture } from "../test/support/tlsFixtures";
import { type Candidate, startBareNginx, startKeyHost, startNodeServer } from "./lib/candidates";
import { fmt, stats } from "./lib/cpu";
import { measure, type Measurement, type Mode } from "./lib/load";
import { numberArg, requireBenchTools, writeResult } from "./lib/report";

/** A realistic public JWKS: two RSA-2048 generations (node:crypto exports the JWKs). */
export function sampleJwks(): string {
    const keys = [0, 1].map((i) => ({ ...generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ format: "jwk" }), kid: `k${i}`, alg: "RS256", use: "sig" }));
    return `${JSON.stringify({ keys })}\n`;
}

export function latency(ms: Measurement[]): string {
    const med = (pick: (m: Measurement) => number | undefined) => stats(ms.map((m) => pick(m) ?? NaN)).median;
    return ms[0].p50Ms !== undefined ? `${fmt(med((m) => m.p50Ms), 2)} / ${fmt(med((m) => m.p99Ms), 2)}` : `${fmt(med((m) => m.meanMs), 2)} (mean)`;
}

export function resumedShare(ms: Measurement[]): string {
    return ms[0].resumed !== undefined ? `${fmt(100 * stats(ms.map((m) => (m.resumed ?? 0) / m.requests)).median, 0)}%` : "-";
}

export async function main(): Promise<void> {
    requireBenchTools();
    const seconds = numberArg("seconds", 5);
    const reps = numberArg("reps", 5);
    const tls = makeTlsFixture(["kong-keys"], [], "ec");
    const jwks = sampleJwks();
    const candidates: Candidate[] = [await startKeyHost(tls, jwks, 0), await startBareNginx(tls, jwks, 0), await startNodeServer(tls, jwks, 0)];
    const modes: Mode[] = ["keep-alive", "new connection, full handshake", "new connection, resumed"];
    const results: Record<string, Record<string, Measurement[]>> = {};
    try {
        for (const mode of modes) {
            results[mode] = {};
            for (let rep = 0; rep < reps; rep++) {
                // Interleave, rotating the order each repetition.
                for (let i = 0; i < candidates.length; i++) {
                    const c = candidates[(i + rep) % candidates.length];
                    await measure(c, mode, 1, 1); // warm-up
                    (results[mode][c.name] ??= []).push(await measure(c, mode, seconds, 1));
                    process.stderr.write(".");
                }
            }
        }
    } finally {
        for (const c of candidates) await c.stop();
    }
    process.stderr.write("\n");

    const rows: string[] = ["| mode | server | CPU µs/request min / median / max | req/s median | latency ms: p50 / p99 (wrk) or mean (s_time) | resumed |", "| --- | --- | --- | --- | --- | --- |"];
    const perRequest = (m: Measurement) => m.cpuNs / 1000 / m.requests;
    const median = (mode: Mode, name: string) => stats(results[mode][name].map(perRequest)).median;
    for (const mode of modes) {
        for (const c of candidates) {
            const ms = results[mode][c.name];
            const cpu = stats(ms.map(perRequest));
            const rps = stats(ms.map((m) => m.requests / m.seconds)).median;
            rows.push(`| ${mode} | ${c.name} | ${fmt(cpu.min)} / ${fmt(cpu.median)} / ${fmt(cpu.max)} | ${fmt(rps, 0)} | ${latency(ms)} | ${resumedShare(ms)} |`);
        }
    }
    const targets: string[] = [];
    for (const mode of modes) {
        const ratio = median(mode, "key host") / median(mode, "bare nginx");
        targets.push(`key host / bare nginx CPU per request, ${mode}: ${fmt(ratio, 2)}x (target <= 1.05x): ${ratio <= 1.05 ? "met" : "MISSED"}`);
    }
    for (const mode of ["new connection, full handshake", "new connection, resumed"] as Mode[]) {
        const ratio = median(mode, "key host") / median(mode, "node:https");
        targets.push(`key host / node:https CPU per new TLS connection, ${mode}: ${fmt(ratio, 2)}x (target <= 0.7x): ${ratio <= 0.7 ? "met" : "MISSED"}`);
    }
    const text = [`Serving (${reps} runs x ${seconds} s per cell, servers on core 0, load on core 1)`, "", ...rows, "", ...targets.map((t) => `- ${t}`)].join("\n");
    console.log(text);
    writeResult("serving", text);
}

if (require.main === module) main().catch((e) => { console.error(e); process.exitCode = 1; });
