import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";

const loader = path.join(__dirname, "loadProgram.js");

export interface LoadResult {
    error?: string;
    resources: { type: string; name: string; plain: Record<string, any> }[];
    outputs?: Record<string, any>;
    secretOutputs: string[];
}

/** Pulumi.yaml's declared config defaults, as the CLI would pass them to the program. */
export function configDefaults(projectDir: string, project: string): Record<string, string> {
    const doc = yaml.load(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as { config?: Record<string, { default?: unknown }> };
    return Object.fromEntries(Object.entries(doc.config ?? {}).filter(([, v]) => v.default !== undefined)
        .map(([k, v]) => [`${project}:${k}`, typeof v.default === "string" ? v.default : JSON.stringify(v.default)]));
}

/** Runs the program in a child process through `@pulumi/pulumi/cmd/run`, as `pulumi up` loads it. */
export function loadProgram(projectDir: string, config: Record<string, string>): LoadResult {
    const resultFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kskh-load-")), "result.json");
    let stderr = "";
    try {
        execFileSync(process.execPath, [loader, projectDir, resultFile], {
            env: { ...process.env, PULUMI_CONFIG: JSON.stringify(config) }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 240_000,
        });
    } catch (e) {
        stderr = String((e as { stderr?: string }).stderr ?? e);
    }
    if (!fs.existsSync(resultFile)) throw new Error(`program did not load: ${stderr}`);
    const result = JSON.parse(fs.readFileSync(resultFile, "utf8")) as LoadResult;
    fs.rmSync(path.dirname(resultFile), { recursive: true, force: true });
    return { ...result, error: result.error ?? (/error:/.test(stderr) ? stderr : undefined) };
}

