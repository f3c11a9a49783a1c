// TLS handshake cost: the key host's generated config with an ECDSA P-256 versus an RSA-2048 server
// certificate, server CPU per full handshake (a new connection per request, no resumption).
//   npm run bench:handshake [-- --seconds 5 --reps 5]
import { makeTlsFixture } from "../test/support/tlsFixtures";
import { type Candidate, startKeyHost } from "./lib/candidates";
import { fmt, stats } from "./lib/cpu";
import { measure, type Measurement } from "./lib/load";
import { numberArg, requireBenchTools, writeResult } from "./lib/report";
import { latency, resumedShare, sampleJwks } from "./serving";

export async function main(): Promise<void> {
    requireBenchTools();
    const seconds = numberArg("seconds", 5);
    const reps = numberArg("reps", 5);
    const jwks = sampleJwks();
    const ecdsa = { ...(await startKeyHost(makeTlsFixture(["kong-keys"], [], "ec"), jwks, 0)), name: "ECDSA P-256" };
    const rsa = { ...(await startKeyHost(makeTlsFixture(["kong-keys"], [], "rsa"), jwks, 0)), name: "RSA 2048" };
    const candidates: Candidate[] = [ecdsa, rsa];
    const results: Record<string, Measurement[]> = {};
    try {
        for (let rep = 0; rep < reps; rep++) {
            for (let i = 0; i < candidates.length; i++) {
                const c = candidates[(i + rep) % candidates.length];
                await measure(c, "new connection, full handshake", 1, 1);
                (results[c.name] ??= []).push(await measure(c, "new connection, full handshake", seconds, 1));
                process.stderr.write(".");
            }
        }
    } finally {
        for (const c of candidates) await c.stop();
    }
    process.stderr.write("\n");
    const perHandshake = (m: Measurement) => m.cpuNs / 1000 / m.requests;
    const rows = ["| server certificate | CPU µs/handshake min / median / max | handshakes/s median | latency ms | resumed |", "| --- | --- | --- | --- | --- |"];
    for (const c of candidates) {
        const ms = results[c.name];
        const cpu = stats(ms.map(perHandshake));
        rows.push(`| ${c.name} | ${fmt(cpu.min)} / ${fmt(cpu.median)} / ${fmt(cpu.max)} | ${fmt(stats(ms.map((m) => m.requests / m.seconds)).median, 0)} | ${latency(ms)} | ${resumedShare(ms)} |`);
    }
    const ratio = stats(results["ECDSA P-256"].map(perHandshake)).median / stats(results["RSA 2048"].map(perHandshake)).median;
    const text = [`TLS handshake (${reps} runs x ${seconds} s each, key host config, server on core 0, load on core 1)`, "", ...rows, "",
        `- ECDSA / RSA server CPU per full handshake: ${fmt(ratio, 2)}x (target <= 0.6x): ${ratio <= 0.6 ? "met" : "MISSED"}`].join("\n");
    console.log(text);
    writeResult("handshake", text);
}

if (require.main === module) main().catch((e) => { console.error(e); process.exitCode = 1; });
