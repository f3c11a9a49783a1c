import type * as jose from "jose";
import { curlPodManifest, kubectlOk, podResult } from "./cluster";
import { TEST_IMAGE } from "./docker/engine";

// Kong-like and upstream-like clients of a key host on the cluster: curl pods (the local nginx image
// carries curl) with a client certificate or only the CA mounted from a Secret.

/** Labels of Kong's pods in the examples. */
export const KONG = { "app.kubernetes.io/name": "kong" };

/** A namespace under Pod Security `restricted`, labelled with the test run. */
export const restrictedNamespace = (name: string, runId: string) => JSON.stringify({
    apiVersion: "v1", kind: "Namespace",
    metadata: { name, labels: { "pod-security.kubernetes.io/enforce": "restricted", "io.github.kong-signing-key-host.test-run": runId } },
});

/** The example stacks' outputs the clients use. */
export interface KeyHostOutputs {
    privateKeysetUrls: Record<string, string>;
    publicJwksUrls: Record<string, string>;
    privateJwks: Record<string, { keys: jose.JWK[] }>;
    publicJwks: Record<string, { keys: jose.JWK[] }>;
    activeKids: Record<string, string>;
    caCertPem: string;
    kongClientCertificate: { id: string; cert: string; key: string };
    serviceName: string;
    kubernetesNamespace: string;
}

let podCount = 0;
const podName = (what: string) => `${what}-${++podCount}`;

/** Secrets the client pods mount: Kong's (CA + client certificate) and an upstream's (CA only). */
export function clientSecrets(out: KeyHostOutputs, ns: string): void {
    const secret = (name: string, data: Record<string, string>) => JSON.stringify({
        apiVersion: "v1", kind: "Secret", metadata: { name, namespace: ns }, type: "Opaque", stringData: data,
    });
    kubectlOk(["apply", "-f", "-"], secret("kong-client", { "ca.crt": out.caCertPem, "tls.crt": out.kongClientCertificate.cert, "tls.key": out.kongClientCertificate.key }));
    kubectlOk(["apply", "-f", "-"], secret("trust", { "ca.crt": out.caCertPem }));
}

const TLS = (withCert: boolean) => ["--cacert", "/secret/ca.crt", ...(withCert ? ["--cert", "/secret/tls.crt", "--key", "/secret/tls.key"] : [])];

/**
 * One fetch from a pod; prints the body then `status=<code>`. Retries (bounded) only transport errors: a
 * new pod's address reaches the policy enforcer a moment after it starts.
 */
export async function fetchFrom(ns: string, labels: Record<string, string>, url: string, options: { cert: boolean; retries: number }) {
    const name = podName("fetch");
    kubectlOk(["apply", "-f", "-"], curlPodManifest({
        name, namespace: ns, labels, image: TEST_IMAGE, secret: options.cert ? "kong-client" : "trust",
        args: ["-sS", "--max-time", "3", "--retry", String(options.retries), "--retry-delay", "1", "--retry-connrefused",
            ...TLS(options.cert), "-w", "\nstatus=%{http_code}\n", url],
    }));
    const result = await podResult(ns, name, 180_000);
    const status = /status=(\d{3})\s*$/.exec(result.log)?.[1];
    // The body without curl's own lines (a retry's warning, a failed try's error), which share the log.
    const body = result.log.replace(/\nstatus=\d{3}\s*$/, "").split("\n").filter((l) => !/^(curl: \(\d+\)|Warning: )/.test(l)).join("\n");
    return { ...result, status, body };
}

/**
 * A client pod that fetches `url` `count` times at 10 per second, a new connection each time, and
 * prints each status (000: no response). Returns once it runs, and a function that waits for its counts.
 */
export async function startLoop(ns: string, labels: Record<string, string>, url: string, cert: boolean, count: number) {
    const name = podName("loop");
    kubectlOk(["apply", "-f", "-"], curlPodManifest({
        name, namespace: ns, labels, image: TEST_IMAGE, secret: cert ? "kong-client" : "trust",
        args: ["-sS", "--max-time", "5", "--rate", "10/s", "-H", "Connection: close", ...TLS(cert),
            "-o", "/out/#1", "-w", "%{http_code}\n", `${url}?n=[1-${count}]`],
    }));
    kubectlOk(["-n", ns, "wait", "--for=condition=Ready", `pod/${name}`, "--timeout=120s"]);
    return async () => {
        const result = await podResult(ns, name, count * 1000);
        const codes = result.log.split("\n").filter((l) => /^\d{3}$/.test(l));
        // Counted from the first answer: until then the new pod's address may not have reached the enforcer.
        const first = codes.indexOf("200");
        const counted = first < 0 ? [] : codes.slice(first);
        return { warmUp: first < 0 ? codes.length : first, ok: counted.filter((c) => c === "200").length, failed: counted.filter((c) => c !== "200"), total: codes.length };
    };
}
