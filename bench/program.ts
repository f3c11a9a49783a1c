// Program cost: a fresh process that loads the SDK, sets mocks and runs (a) an empty stack or (b) a
// stack with the component, resolving all its outputs — with 1, 3 (typical: 2 keysets), 10, 25 and 50
// generations across keysets. Runs interleaved, median of N; wall and CPU time from process start.
//   npm run bench:program [-- --runs 15]
import { spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { makeTlsFixture } from "../test/support/tlsFixtures";
import { fmt, stats } from "./lib/cpu";
import { numberArg, writeResult } from "./lib/report";

/** Keysets with `total` generations split over two keysets (RS256 and ES256), as a platform would. */
function keysetsWith(total: number): Record<string, { algorithm?: string; generations: string[] }> {
    const labels = (n: number) => Array.from({ length: n }, (_, i) => `g${i + 1}`);
    if (total === 1) return { access: { generations: ["g1"] } };
    const access = Math.ceil(total / 2);
    return { access: { generations: labels(access) }, channel: { algorithm: "ES256", generations: labels(total - access) } };
}

export async function main(): Promise<void> {
    const runs = numberArg("runs", 15);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kskh-program-"));
    const tls = makeTlsFixture(["kong-keys"]);
    const pool = {
        rsa: Array.from({ length: 8 }, () => generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }) as string),
        ec: generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey.export({ type: "pkcs8", format: "pem" }) as string,
        cert: tls.serverCertPem, csr: tls.serverCertPem,
    };
    const poolFile = path.join(dir, "pool.json");
    fs.writeFileSync(poolFile, JSON.stringify(pool));
    const scenarios: [string, string, string][] = [
        ["empty stack", "empty", "{}"],
        ["1 generation", "component", JSON.stringify(keysetsWith(1))],
        ["typical: 2 keysets, 3 generations", "component", JSON.stringify(keysetsWith(3))],
        ["10 generations", "component", JSON.stringify(keysetsWith(10))],
        ["25 generations", "component", JSON.stringify(keysetsWith(25))],
        ["50 generations", "component", JSON.stringify(keysetsWith(50))],
    ];
    const generationsOf: Record<string, number> = { "1 generation": 1, "typical: 2 keysets, 3 generations": 3, "10 generations": 10, "25 generations": 25, "50 generations": 50 };
    const runner = path.join(__dirname, "lib", "programRun.js");
    const results: Record<string, { wallMs: number; cpuMs: number; programMs: number }[]> = {};
    for (let r = 0; r < runs; r++) {
        for (let i = 0; i < scenarios.length; i++) {
            const [name, kind, keysets] = scenarios[(i + r) % scenarios.length];
            // The SDK complains about promises still pending when the run exits at once; only the JSON counts.
            const out = spawnSync(process.execPath, [runner, kind, keysets, poolFile], { encoding: "utf8" });
            const line = out.stdout.trim().split("\n").pop() ?? "";
            if (!line.startsWith("{")) throw new Error(`program run failed: ${out.stdout}${out.stderr}`);
            (results[name] ??= []).push(JSON.parse(line));
            process.stderr.write(".");
        }
    }
    fs.rmSync(dir, { recursive: true, force: true });
    process.stderr.write("\n");
    const med = (name: string, key: "wallMs" | "cpuMs" | "programMs") => stats(results[name].map((x) => x[key])).median;
    const rows = ["| stack | wall ms min / median / max | CPU ms median | program ms median (after SDK load) | x empty (wall) |", "| --- | --- | --- | --- | --- |"];
    for (const [name] of scenarios) {
        const wall = stats(results[name].map((x) => x.wallMs));
        rows.push(`| ${name} | ${fmt(wall.min, 0)} / ${fmt(wall.median, 0)} / ${fmt(wall.max, 0)} | ${fmt(med(name, "cpuMs"), 0)} | ${fmt(med(name, "programMs"), 0)} | ${fmt(wall.median / med("empty stack", "wallMs"), 2)} |`);
    }
    const typical = med("typical: 2 keysets, 3 generations", "wallMs") / med("empty stack", "wallMs");
    // Growth: least-squares line through (generations, median program ms); linear when it explains the points.
    const points = Object.entries(generationsOf).map(([name, n]) => [n, med(name, "programMs")] as const);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const mx = mean(points.map((p) => p[0]));
    const my = mean(points.map((p) => p[1]));
    const slope = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
    const intercept = my - slope * mx;
    const ssRes = points.reduce((a, [x, y]) => a + (y - (intercept + slope * x)) ** 2, 0);
    const ssTot = points.reduce((a, [, y]) => a + (y - my) ** 2, 0);
    const r2 = 1 - ssRes / ssTot;
    const text = [`Program cost (${runs} fresh processes per stack, interleaved; mocks return precomputed keys and certificates)`, "", ...rows, "",
        `- typical stack / empty stack (wall, process start to all outputs): ${fmt(typical, 2)}x (target <= 1.5x): ${typical <= 1.5 ? "met" : "MISSED"}`,
        `- growth: program ms ~= ${fmt(intercept, 0)} + ${fmt(slope, 2)} x generations, R^2 ${fmt(r2, 3)} (linear when R^2 >= 0.9): ${r2 >= 0.9 ? "met" : "MISSED"}`,
    ].join("\n");
    console.log(text);
    writeResult("program", text);
}

if (require.main === module) main().catch((e) => { console.error(e); process.exitCode = 1; });
