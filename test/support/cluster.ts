import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { findRoot } from "./repositoryRoot";
import { scriptEnv } from "./scriptEnv";

const ROOT = findRoot(__dirname);
const SETUP = "bash scripts/cluster.sh up";
let cachedEnv: NodeJS.ProcessEnv | undefined;

/**
 * The environment that reaches the cluster: what `source <(bash scripts/cluster.sh --env)` exports
 * (KUBECONFIG, and kubectl on PATH). `npm test` starts the cluster before vitest; here it must be up.
 */
export function clusterEnv(): NodeJS.ProcessEnv {
    if (cachedEnv) return cachedEnv;
    let env: NodeJS.ProcessEnv;
    try {
        env = scriptEnv(path.join(ROOT, "scripts", "cluster.sh"));
    } catch (e) {
        throw new Error(`no cluster: run \`${SETUP}\` (${(e as { stderr?: string }).stderr?.trim() ?? e})`);
    }
    cachedEnv = env;
    const reach = spawnSync("kubectl", ["get", "--raw", "/readyz"], { env, encoding: "utf8" });
    if (reach.status !== 0) throw new Error(`the cluster does not answer: run \`${SETUP}\` (${reach.stderr.trim()})`);
    return env;
}

export interface KubectlResult { status: number; stdout: string; stderr: string }

/** kubectl against the cluster; `input` is piped (e.g. a manifest for `apply -f -`). */
export function kubectl(args: string[], input?: string): KubectlResult {
    const r = spawnSync("kubectl", args, { env: clusterEnv(), input, encoding: "utf8", timeout: 180_000 });
    return { status: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

/** kubectl that must succeed. */
export function kubectlOk(args: string[], input?: string): string {
    const r = kubectl(args, input);
    if (r.status !== 0) throw new Error(`kubectl ${args.join(" ")} exited ${r.status}: ${r.stderr || r.stdout}`);
    return r.stdout;
}

/**
 * A Pod Security `restricted` compliant curl pod (the local nginx image carries curl), run to its end.
 * `secret`: a Secret mounted read-only at /secret (e.g. a client certificate); /out is scratch for bodies.
 * DNS is asked again after 1 s (glibc's default is 5 s; Kong's own resolver retries after 2 s).
 */
export function curlPodManifest(options: { name: string; namespace: string; labels: Record<string, string>; image: string; args: string[]; secret?: string }): string {
    return JSON.stringify({
        apiVersion: "v1", kind: "Pod",
        metadata: { name: options.name, namespace: options.namespace, labels: options.labels },
        spec: {
            restartPolicy: "Never",
            automountServiceAccountToken: false,
            dnsConfig: { options: [{ name: "timeout", value: "1" }, { name: "attempts", value: "3" }] },
            securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
            containers: [{
                name: "curl", image: options.image, imagePullPolicy: "Never", command: ["/usr/bin/curl", ...options.args],
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                volumeMounts: [
                    { name: "out", mountPath: "/out" },
                    ...(options.secret ? [{ name: "secret", mountPath: "/secret", readOnly: true }] : []),
                ],
            }],
            volumes: [
                { name: "out", emptyDir: { medium: "Memory", sizeLimit: "8Mi" } },
                ...(options.secret ? [{ name: "secret", secret: { secretName: options.secret } }] : []),
            ],
        },
    });
}

/** Waits for a pod to end; its phase (Succeeded/Failed) and log. */
export async function podResult(namespace: string, name: string, timeoutMs = 120_000): Promise<{ phase: string; log: string }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const phase = kubectlOk(["-n", namespace, "get", "pod", name, "-o", "jsonpath={.status.phase}"]).trim();
        if (phase === "Succeeded" || phase === "Failed") {
            return { phase, log: kubectlOk(["-n", namespace, "logs", name]) };
        }
        if (Date.now() > deadline) throw new Error(`pod ${namespace}/${name} still ${phase} after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 500));
    }
}
