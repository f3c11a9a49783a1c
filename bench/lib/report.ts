import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** Benchmarks need nginx, wrk and taskset; say how to get them. */
export function requireBenchTools(): void {
    for (const tool of ["nginx", "wrk", "taskset", "openssl"]) {
        try {
            execFileSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" });
        } catch {
            throw new Error(`${tool} is missing: run \`bash scripts/provision.sh\` (installs nginx, wrk, openssl)`);
        }
    }
}

/** Each benchmark's latest table, for bench/RESULTS.md. */
export function writeResult(name: string, text: string): void {
    const dir = path.resolve(__dirname, "..", "..", "..", "..", ".state", "bench-results");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${name}.md`), `${text}\n`);
}

/** `--name value` from the command line as a number, or the fallback. */
export function numberArg(name: string, fallback: number): number {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
