import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { findRoot } from "../repositoryRoot";
import { scriptEnv } from "../scriptEnv";

/** The repository root: the nearest folder up with the example's Pulumi.yaml (also from bench builds). */
const ROOT = findRoot(__dirname);
const SETUP = "bash scripts/engine.sh";

let cachedEnv: NodeJS.ProcessEnv | undefined;

/**
 * The environment that puts the real Pulumi CLI (ours, built from Go modules, or the user's own) first:
 * what `source <(bash scripts/engine.sh --env)` exports. `npm test` builds the engine before vitest
 * starts; here it must already be there.
 */
export function engineEnv(): NodeJS.ProcessEnv {
    if (cachedEnv) return cachedEnv;
    let env: NodeJS.ProcessEnv;
    try {
        env = scriptEnv(path.join(ROOT, "scripts", "engine.sh"), { ...process.env, KSKH_ENGINE_NO_BUILD: "1" });
    } catch (e) {
        throw new Error(`the Pulumi engine is not built: run \`${SETUP}\` (${(e as { stderr?: string }).stderr?.trim() ?? e})`);
    }
    cachedEnv = env;
    return env;
}

/**
 * For the other-language examples: `pulumi package add`/`install` run npm (provider/), pip (Python) and
 * go (Go), here from the caches that scripts/example-deps.sh and scripts/engine.sh filled, never from a
 * registry.
 */
function offlinePackageEnv(): NodeJS.ProcessEnv {
    const wheelhouse = path.join(ROOT, ".state", "wheelhouse");
    if (!fs.existsSync(path.join(wheelhouse, ".complete"))) throw new Error(`no Python wheels for the examples in ${wheelhouse}: run \`bash scripts/example-deps.sh\``);
    return {
        npm_config_offline: "true",
        GOPROXY: "off", // the Go example's modules are the engine build's, in the module cache
        PIP_NO_INDEX: "1",
        PIP_FIND_LINKS: wheelhouse,
    };
}

export interface CliResult {
    code: number;
    stdout: string;
    stderr: string;
}

/** The example stacks in other languages: examples/<language>, using the component package in provider/. */
export type ExampleLanguage = "yaml" | "python" | "go";

/**
 * The repository's example stack (Pulumi.yaml and index.ts, byte for byte) in a folder of its own under
 * .state/engine-tests: its own file backend, stack config and passphrase, so tests never touch the
 * stack of `npm run up`. `components` and `node_modules` are links to the repository's.
 *
 * With `language`, the project is examples/<language> instead, copied to the same relative place
 * (examples/<language>) next to a link to the repository's provider/, so its Pulumi.yaml's
 * `packages: {kong-signing-key-host: ../../provider}` means what it means in the repository.
 */
export class ExampleStack {
    /** The scratch folder: backend/ and the project. */
    readonly home: string;
    /** The project folder, where the CLI runs. */
    readonly dir: string;
    readonly passphrase = randomBytes(12).toString("hex");
    readonly stack = "test";
    /** Added to the CLI's environment (e.g. SSL_CERT_FILE for a test's own git host). */
    readonly extraEnv: NodeJS.ProcessEnv = {};

    /** `program` replaces index.ts (the benchmarks' empty stack); by default it is the example's. */
    readonly language?: ExampleLanguage;

    /**
     * `source`: another project folder of the repository (e.g. a benchmark's stack), copied like an
     * example to examples/<its name>, next to the provider/ link; `language` then says which offline
     * package environment its CLI gets.
     */
    constructor(readonly runId: string, options: { program?: string; language?: ExampleLanguage; source?: string } = {}) {
        this.language = options.language;
        this.home = path.join(ROOT, ".state", "engine-tests", runId);
        fs.rmSync(this.home, { recursive: true, force: true });
        fs.mkdirSync(path.join(this.home, "backend"), { recursive: true });
        if (options.language || options.source) {
            const source = path.join(ROOT, options.source ?? path.join("examples", options.language!));
            this.dir = path.join(this.home, "examples", path.basename(source));
            // What the example's .gitignore names (a generated SDK, a virtualenv) is not the example.
            fs.cpSync(source, this.dir, { recursive: true, filter: (p) => !/\/(sdks|venv|__pycache__)(\/|$)/.test(path.relative(source, p).replace(/^/, "/")) });
            fs.symlinkSync(path.join(ROOT, "provider"), path.join(this.home, "provider"));
            // A TypeScript example imports ../../components and resolves its packages upwards, as in the repository.
            if (fs.existsSync(path.join(this.dir, "index.ts"))) {
                for (const link of ["components", "node_modules"]) fs.symlinkSync(path.join(ROOT, link), path.join(this.home, link));
            }
            return;
        }
        this.dir = this.home;
        for (const file of ["Pulumi.yaml", "index.ts", "tsconfig.json", "package.json"]) {
            fs.copyFileSync(path.join(ROOT, file), path.join(this.dir, file));
        }
        if (options.program !== undefined) fs.writeFileSync(path.join(this.dir, "index.ts"), options.program);
        for (const link of ["components", "node_modules"]) fs.symlinkSync(path.join(ROOT, link), path.join(this.dir, link));
    }

    get env(): NodeJS.ProcessEnv {
        return {
            ...engineEnv(),
            PULUMI_BACKEND_URL: `file://${path.join(this.home, "backend")}`,
            PULUMI_CONFIG_PASSPHRASE: this.passphrase,
            PULUMI_SKIP_CONFIRMATIONS: "true",
            NO_COLOR: "1",
            ...(this.language ? offlinePackageEnv() : {}),
            ...this.extraEnv,
        };
    }

    /**
     * Runs the CLI in the project folder; rejects on a non-zero exit unless `allowFailure`. The rejection quotes
     * the command line with every `redact` value masked, so a secret set through it never reaches a test log.
     */
    cli(args: string[], options: { allowFailure?: boolean; redact?: string[] } = {}): Promise<CliResult> {
        return new Promise((resolve, reject) => {
            const child = spawn("pulumi", args, { cwd: this.dir, env: this.env, stdio: ["ignore", "pipe", "pipe"] });
            let stdout = "";
            let stderr = "";
            child.stdout.on("data", (d: Buffer) => { stdout += d.toString(); });
            child.stderr.on("data", (d: Buffer) => { stderr += d.toString(); });
            child.on("error", reject);
            child.on("close", (code) => {
                const result = { code: code ?? -1, stdout, stderr };
                if (result.code !== 0 && !options.allowFailure) {
                    const shown = args.map((arg) => (options.redact?.includes(arg) ? "[secret]" : arg)).join(" ");
                    reject(new Error(`pulumi ${shown} exited ${result.code}:\n${stdout.slice(-4000)}\n${stderr.slice(-4000)}`));
                } else {
                    resolve(result);
                }
            });
        });
    }

    async init(config: Record<string, unknown>, secrets: Record<string, string> = {}): Promise<void> {
        await this.cli(["stack", "init", this.stack, "--secrets-provider", "passphrase", "--non-interactive"]);
        await this.setConfig(config, secrets);
    }

    /** Sets plain values (arrays element by element) and secrets; a value of undefined removes the key. */
    async setConfig(config: Record<string, unknown>, secrets: Record<string, string> = {}): Promise<void> {
        for (const [key, value] of Object.entries(config)) {
            await this.cli(["config", "rm", key, "--stack", this.stack], { allowFailure: true });
            if (value === undefined) continue;
            if (Array.isArray(value)) {
                for (const [i, item] of value.entries()) {
                    await this.cli(["config", "set", "--path", "--stack", this.stack, "--", `${key}[${i}]`, String(item)]);
                }
            } else {
                await this.cli(["config", "set", "--stack", this.stack, "--", key, String(value)]);
            }
        }
        for (const [key, value] of Object.entries(secrets)) {
            // `--` ends the flags: a value that starts with "-" (1 in 64 random base64url passwords) is a value.
            await this.cli(["config", "set", "--secret", "--stack", this.stack, "--", key, value], { redact: [value] });
        }
    }

    up(extra: string[] = []): Promise<CliResult> {
        return this.cli(["up", "--yes", "--non-interactive", "--skip-preview", "--stack", this.stack, ...extra]);
    }

    /** `pulumi preview` with `config` set, allowed to fail, then `restore` set again. */
    async previewWithConfig(config: Record<string, unknown>, restore: Record<string, unknown>): Promise<CliResult> {
        await this.setConfig(config);
        try {
            return await this.cli(["preview", "--non-interactive", "--stack", this.stack], { allowFailure: true });
        } finally {
            await this.setConfig(restore);
        }
    }

    /** `pulumi preview --diff --json`: the engine's own plan, step by step. */
    async previewJson(extra: string[] = []): Promise<PreviewJson> {
        const { stdout } = await this.cli(["preview", "--diff", "--json", "--non-interactive", "--stack", this.stack, ...extra]);
        return JSON.parse(stdout) as PreviewJson;
    }

    async previewText(extra: string[] = []): Promise<string> {
        return (await this.cli(["preview", "--diff", "--non-interactive", "--stack", this.stack, ...extra])).stdout;
    }

    async outputs(showSecrets = false): Promise<Record<string, any>> {
        const { stdout } = await this.cli(["stack", "output", "--json", "--stack", this.stack, ...(showSecrets ? ["--show-secrets"] : [])]);
        return JSON.parse(stdout);
    }

    async exportState(): Promise<any> {
        const { stdout } = await this.cli(["stack", "export", "--stack", this.stack]);
        return JSON.parse(stdout);
    }

    /** Every file the backend wrote (state, history, backups), concatenated. */
    backendText(): string {
        const out: string[] = [];
        const walk = (dir: string) => {
            for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
                const p = path.join(dir, entry.name);
                if (entry.isDirectory()) walk(p);
                else out.push(fs.readFileSync(p).toString("utf8"));
            }
        };
        walk(path.join(this.home, "backend"));
        return out.join("\n");
    }

    /** Docker ids of the containers and networks the stack's state holds. */
    async dockerIds(): Promise<{ containers: string[]; networks: string[] }> {
        const state = await this.exportState();
        const resources: { type: string; id?: string }[] = state.deployment.resources ?? [];
        return {
            containers: resources.filter((r) => r.type === "docker:index/container:Container" && r.id).map((r) => r.id!),
            networks: resources.filter((r) => r.type === "docker:index/network:Network" && r.id).map((r) => r.id!),
        };
    }

    /** `pulumi destroy`, then removal of whatever the state still named (a failed run), and the folder. */
    async destroy(): Promise<void> {
        const ids = await this.dockerIds().catch(() => ({ containers: [], networks: [] }));
        await this.cli(["destroy", "--yes", "--non-interactive", "--skip-preview", "--stack", this.stack], { allowFailure: true });
        const quietly = (args: string[]) => { try { execFileSync("docker", args, { stdio: "ignore" }); } catch { /* already gone */ } };
        for (const id of ids.containers) quietly(["rm", "-f", id]);
        for (const id of ids.networks) quietly(["network", "rm", id]);
    }

    removeFolder(): void {
        fs.rmSync(this.home, { recursive: true, force: true });
    }
}

/** The parts of `pulumi preview --json` the tests read. */
export interface PreviewJson {
    steps: { op: string; urn: string; diffReasons?: string[]; replaceReasons?: string[]; detailedDiff?: Record<string, { kind: string }>; newState?: { provider?: string } }[];
    changeSummary: Record<string, number>;
    diagnostics?: { message: string; severity: string; urn?: string }[];
}

/** The name part of a URN. */
export const urnName = (urn: string) => urn.split("::").pop()!;
