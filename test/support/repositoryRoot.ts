import * as fs from "node:fs";
import * as path from "node:path";

/** The repository root above `dir`, also from the benchmarks' build under .state/bench-build. */
export function findRoot(dir: string): string {
    if (fs.existsSync(path.join(dir, "Pulumi.yaml")) && fs.existsSync(path.join(dir, "package.json"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no Pulumi.yaml above ${dir}`);
    return findRoot(parent);
}
