import * as fs from "node:fs";

/** Processes whose parent is `pid` (nginx workers of a master). */
export function childrenOf(pid: number): number[] {
    const out: number[] = [];
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
            const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
            if (ppid === pid) out.push(Number(entry));
        } catch {
            // the process ended while we looked
        }
    }
    return out;
}

/** CPU time in nanoseconds of every thread of these processes (/proc/<pid>/task/<tid>/schedstat). */
export function cpuNs(pids: number[]): number {
    let total = 0;
    for (const pid of pids) {
        for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
            total += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
        }
    }
    return total;
}

export function stats(values: number[]): { min: number; median: number; max: number } {
    const sorted = [...values].sort((a, b) => a - b);
    return { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)], max: sorted[sorted.length - 1] };
}

export const fmt = (n: number, digits = 1) => n.toFixed(digits);
