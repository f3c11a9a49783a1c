import { execFileSync } from "node:child_process";

/**
 * The environment a `bash <script> --env` prints as `export NAME=value` lines (scripts/engine.sh,
 * scripts/cluster.sh), applied on top of `base`: what `source <(bash <script> --env)` gives a shell.
 * Throws with the script's stderr when it fails.
 */
export function scriptEnv(script: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
    const exports = execFileSync("bash", [script, "--env"], { encoding: "utf8", env: base, stdio: ["ignore", "pipe", "pipe"] });
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const line of exports.split("\n")) {
        const m = /^export ([A-Z_]+)=(.*)$/.exec(line);
        // The value as bash reads it (quoted by printf %q, and "$PATH" expanded against what is set so far).
        if (m) env[m[1]] = execFileSync("bash", ["-c", `printf %s ${m[2]}`], { encoding: "utf8", env });
    }
    return env;
}
