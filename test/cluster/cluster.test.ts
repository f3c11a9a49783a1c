import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clusterEnv, curlPodManifest, kubectl, kubectlOk, podResult } from "../support/cluster";
import { TEST_IMAGE } from "../support/docker/engine";
import { ExampleStack } from "../support/engine/exampleStack";

// The cluster scripts/cluster.sh runs (or the one KUBECONFIG reaches): Pod Security admission, cluster
// DNS, NetworkPolicy enforcement, and the real Pulumi engine with the kubernetes plugin. Traffic goes only
// to this test's own pods and Services, in bounded retries.
const runId = `kc${randomBytes(3).toString("hex")}`;
const NS = `${runId}-a`;
const OTHER_NS = `${runId}-b`;
const STACK_NS = `${runId}-stack`;

const restrictedNamespace = (name: string) => JSON.stringify({
    apiVersion: "v1", kind: "Namespace",
    metadata: { name, labels: { "pod-security.kubernetes.io/enforce": "restricted", "io.github.kong-signing-key-host.test-run": runId } },
});

/** nginx from the local image, Pod Security `restricted`: non-root, read-only root, no capabilities. */
const webManifest = (namespace: string) => [
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "web", namespace }, data: {
        "nginx.conf": "pid /tmp/nginx.pid;\nevents {}\nhttp {\n  client_body_temp_path /tmp/body; proxy_temp_path /tmp/proxy; fastcgi_temp_path /tmp/fcgi; " +
            "uwsgi_temp_path /tmp/uwsgi; scgi_temp_path /tmp/scgi;\n  access_log off;\n  server { listen 8080; location / { return 200 \"web\\n\"; } }\n}\n",
    } },
    { apiVersion: "v1", kind: "Pod", metadata: { name: "web", namespace, labels: { app: "web" } }, spec: {
        securityContext: { runAsNonRoot: true, runAsUser: 101, runAsGroup: 101, seccompProfile: { type: "RuntimeDefault" } },
        containers: [{
            name: "nginx", image: TEST_IMAGE, imagePullPolicy: "Never",
            command: ["/usr/sbin/nginx", "-e", "stderr", "-g", "daemon off;", "-c", "/etc/web/nginx.conf"],
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
            volumeMounts: [{ name: "conf", mountPath: "/etc/web" }, { name: "tmp", mountPath: "/tmp" }],
            readinessProbe: { httpGet: { path: "/", port: 8080 }, periodSeconds: 1 },
        }],
        volumes: [{ name: "conf", configMap: { name: "web" } }, { name: "tmp", emptyDir: {} }],
    } },
    { apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace }, spec: { selector: { app: "web" }, ports: [{ port: 80, targetPort: 8080 }] } },
].map((o) => JSON.stringify(o)).join("\n---\n");

const WEB_URL = `http://web.${NS}.svc.cluster.local/`;
let podCount = 0;

/** A curl pod that fetches the web Service by its DNS name, retrying (bounded) while policies settle. */
async function fetchFrom(namespace: string, labels: Record<string, string>, retries: number): Promise<{ phase: string; log: string }> {
    const name = `curl-${++podCount}`;
    kubectlOk(["apply", "-f", "-"], curlPodManifest({
        name, namespace, labels, image: TEST_IMAGE,
        args: ["-sS", "--max-time", "2", "--retry", String(retries), "--retry-delay", "1", "--retry-all-errors", WEB_URL],
    }));
    return podResult(namespace, name);
}

beforeAll(() => {
    clusterEnv();
    for (const ns of [NS, OTHER_NS, STACK_NS]) kubectlOk(["apply", "-f", "-"], restrictedNamespace(ns));
}, 120_000);

afterAll(() => {
    kubectl(["delete", "namespace", NS, OTHER_NS, STACK_NS, "--wait=true", "--timeout=120s"]);
}, 180_000);

describe("a cluster on this machine (scripts/cluster.sh)", () => {
    it("admits a hardened nginx pod under Pod Security `restricted` and refuses a privileged one", async () => {
        kubectlOk(["apply", "-f", "-"], webManifest(NS));
        kubectlOk(["-n", NS, "wait", "--for=condition=Ready", "pod/web", "--timeout=120s"]);
        const privileged = kubectl(["apply", "-f", "-"], JSON.stringify({
            apiVersion: "v1", kind: "Pod", metadata: { name: "privileged", namespace: NS },
            spec: { containers: [{ name: "c", image: TEST_IMAGE, imagePullPolicy: "Never", securityContext: { privileged: true } }] },
        }));
        expect(privileged.status).not.toBe(0);
        expect(privileged.stderr).toMatch(/violates PodSecurity "restricted:latest": privileged/);
        const web = JSON.parse(kubectlOk(["-n", NS, "get", "pod", "web", "-o", "json"]));
        expect(web.status.containerStatuses[0].ready).toBe(true);
        expect(web.spec.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    }, 180_000);

    it("resolves a Service's name through cluster DNS from another pod, which it then answers", async () => {
        const result = await fetchFrom(NS, { app: "dns-check" }, 5);
        // (A first try may fail while the new pod's address settles; curl then says so before the answer.)
        expect(result.phase).toBe("Succeeded");
        expect(result.log).toMatch(/(^|\n)web\n$/);
    }, 180_000);

    it("enforces NetworkPolicy: only the admitted pods connect; without the policy every pod does", async () => {
        const kong = { app: "kong" };
        const without = await Promise.all([fetchFrom(NS, kong, 5), fetchFrom(NS, { app: "other" }, 5), fetchFrom(OTHER_NS, kong, 5)]);
        expect(without.map((r) => r.phase)).toEqual(["Succeeded", "Succeeded", "Succeeded"]);

        kubectlOk(["apply", "-f", "-"], JSON.stringify({
            apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "web-from-kong", namespace: NS },
            spec: { podSelector: { matchLabels: { app: "web" } }, policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: { matchLabels: kong } }], ports: [{ port: 8080 }] }] },
        }));
        // A new pod's address reaches the enforcer a moment after the pod starts: the admitted one retries
        // until it is let in; the others fail every try.
        const withPolicy = await Promise.all([fetchFrom(NS, kong, 10), fetchFrom(NS, { app: "other" }, 10), fetchFrom(OTHER_NS, kong, 10)]);
        expect(withPolicy.map((r) => r.phase)).toEqual(["Succeeded", "Failed", "Failed"]);
        expect(withPolicy[0].log).toContain("web");
        for (const denied of withPolicy.slice(1)) expect(denied.log).toMatch(/curl: \((7|28)\)/);
    }, 300_000);
});

describe("the real Pulumi engine with the kubernetes plugin", () => {
    const stack = new ExampleStack(`${runId}-k8s`, {
        program: `import * as k8s from "@pulumi/kubernetes";
const namespace = "${STACK_NS}";
const labels = { app: "stack-web" };
const conf = new k8s.core.v1.ConfigMap("web", { metadata: { namespace }, data: { "nginx.conf":
    "pid /tmp/nginx.pid;\\nevents {}\\nhttp {\\n  client_body_temp_path /tmp/body; proxy_temp_path /tmp/proxy; fastcgi_temp_path /tmp/fcgi; uwsgi_temp_path /tmp/uwsgi; scgi_temp_path /tmp/scgi;\\n  access_log off;\\n  server { listen 8080; location / { return 200 \\"stack\\\\n\\"; } }\\n}\\n" } });
const deployment = new k8s.apps.v1.Deployment("web", {
    metadata: { namespace },
    spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
            metadata: { labels },
            spec: {
                securityContext: { runAsNonRoot: true, runAsUser: 101, runAsGroup: 101, seccompProfile: { type: "RuntimeDefault" } },
                containers: [{
                    name: "nginx", image: "${TEST_IMAGE}", imagePullPolicy: "Never",
                    command: ["/usr/sbin/nginx", "-e", "stderr", "-g", "daemon off;", "-c", "/etc/web/nginx.conf"],
                    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                    readinessProbe: { httpGet: { path: "/", port: 8080 }, periodSeconds: 1 },
                    volumeMounts: [{ name: "conf", mountPath: "/etc/web" }, { name: "tmp", mountPath: "/tmp" }],
                }],
                volumes: [{ name: "conf", configMap: { name: conf.metadata.name } }, { name: "tmp", emptyDir: {} }],
            },
        },
    },
});
const service = new k8s.core.v1.Service("web", { metadata: { namespace }, spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }] } }, { dependsOn: [deployment] });
export const deploymentName = deployment.metadata.name;
export const serviceName = service.metadata.name;
export const readyReplicas = deployment.status.readyReplicas;
`,
    });

    beforeAll(async () => {
        Object.assign(stack.extraEnv, { KUBECONFIG: clusterEnv().KUBECONFIG });
        await stack.init({});
    }, 120_000);

    afterAll(async () => {
        await stack.cli(["destroy", "--yes", "--non-interactive", "--skip-preview", "--stack", stack.stack], { allowFailure: true });
        stack.removeFolder();
    }, 300_000);

    it("`pulumi up` waits for the rollout, a second `up` changes nothing, `destroy` leaves nothing in the namespace", async () => {
        const started = Date.now();
        await stack.up();
        const upSeconds = (Date.now() - started) / 1000;
        const out = await stack.outputs();
        expect(out.readyReplicas).toBe(2); // the provider waited for the rollout before it reported the Deployment created
        const deployment = JSON.parse(kubectlOk(["-n", STACK_NS, "get", "deployment", out.deploymentName, "-o", "json"]));
        expect(deployment.status.readyReplicas).toBe(2);
        const fetched = await (async () => {
            const name = "stack-check";
            kubectlOk(["apply", "-f", "-"], curlPodManifest({ name, namespace: STACK_NS, labels: { app: "check" }, image: TEST_IMAGE,
                args: ["-sS", "--max-time", "2", "--retry", "5", "--retry-delay", "1", "--retry-all-errors", `http://${out.serviceName}.${STACK_NS}.svc.cluster.local/`] }));
            const r = await podResult(STACK_NS, name);
            kubectlOk(["-n", STACK_NS, "delete", "pod", name, "--wait=true"]);
            return r;
        })();
        expect(fetched.phase).toBe("Succeeded");
        expect(fetched.log).toMatch(/(^|\n)stack\n$/);

        const second = await stack.cli(["up", "--expect-no-changes", "--yes", "--non-interactive", "--skip-preview", "--stack", stack.stack], { allowFailure: true });
        expect(second.code, second.stdout.slice(-2000)).toBe(0);

        await stack.cli(["destroy", "--yes", "--non-interactive", "--skip-preview", "--stack", stack.stack]);
        const left = kubectlOk(["-n", STACK_NS, "get", "deployments,replicasets,pods,services,configmaps", "-o", "name"]).split("\n").filter(Boolean);
        console.log(`kubernetes stack: up ${upSeconds} s; left after destroy: ${JSON.stringify(left)}`);
        // Kubernetes itself puts the cluster's CA bundle in every namespace.
        expect(left).toEqual(["configmap/kube-root-ca.crt"]);
    }, 400_000);
});

describe("scripts/cluster.sh", () => {
    const script = path.resolve(__dirname, "..", "..", "scripts", "cluster.sh");
    const processesOf = (binary: string) => execFileSync("ps", ["-eo", "args"], { encoding: "utf8" }).split("\n").filter((l) => l.startsWith(`${binary} `) || l.includes(`/bin/${binary} `)).length;

    it("`up` a second time leaves one cluster", () => {
        const before = ["kube-apiserver", "kubelet", "etcd"].map(processesOf);
        const again = spawnSync("bash", [script, "up"], { encoding: "utf8", env: { ...process.env, KUBECONFIG: "" } });
        expect(again.status, again.stderr).toBe(0);
        expect(["kube-apiserver", "kubelet", "etcd"].map(processesOf)).toEqual(before);
        expect(before.every((n) => n <= 1)).toBe(true);
    }, 120_000);

    it("uses a cluster that KUBECONFIG already reaches, and builds or starts nothing", () => {
        const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kskh-kubeconfig-")), "config");
        fs.copyFileSync(clusterEnv().KUBECONFIG!, copy);
        const r = spawnSync("bash", [script, "up"], { encoding: "utf8", env: { ...clusterEnv(), KUBECONFIG: copy } });
        expect(r.status, r.stderr).toBe(0);
        expect(r.stderr).toContain(`using the cluster in KUBECONFIG (${copy})`);
        expect(r.stderr).not.toMatch(/building|starting/);
        fs.rmSync(path.dirname(copy), { recursive: true, force: true });
    }, 60_000);
});
