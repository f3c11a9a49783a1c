import { describe, expect, it } from "vitest";
import type { KongSigningKeyHostArgs } from "../components/args";
import { InputErrorCode } from "../components/errors";
import { CONFIG_DIR, files } from "../components/layout";
import { configVolume, deploymentSpec, fileKey, networkPolicySpec, selectorLabels } from "../components/kubernetes/objects";
import { resolveSettings } from "../components/settings";
import { KongSigningKeyHost } from "../components/kongSigningKeyHost";
import { freshMocks, Recorded } from "./support/component";
import { inputErrorOf } from "./support/inputErrors";
import { isSecret, valueOf } from "./support/outputs";
import { privateStrings } from "./support/privateStrings";

const base: KongSigningKeyHostArgs = {
    keysets: { access: { generations: ["2026-11", "2026-12"], active: "2026-11" }, channel: { generations: ["2026-11"] } },
    kubernetes: { namespace: "kong", kongPodLabels: { "app.kubernetes.io/name": "kong" } },
};
const withK8s = (k: Record<string, unknown>, rest: Partial<KongSigningKeyHostArgs> = {}): KongSigningKeyHostArgs =>
    ({ ...base, ...rest, kubernetes: { ...base.kubernetes!, ...k } as KongSigningKeyHostArgs["kubernetes"] });

describe("kubernetes settings", () => {
    it("resolves defaults: Service DNS names, ports of their own, mTLS on, two replicas", () => {
        const s = resolveSettings("kong-keys", base);
        expect(s.target).toBe("kubernetes");
        expect(s.hostname).toBe("kong-keys.kong.svc.cluster.local");
        expect(s.privateBaseUrl).toBe("https://kong-keys.kong.svc.cluster.local:8443");
        expect(s.publicBaseUrl).toBe("https://kong-keys.kong.svc.cluster.local:9443");
        expect(s.tls.dnsNames).toEqual(["kong-keys.kong.svc.cluster.local", "kong-keys.kong.svc", "kong-keys.kong"]);
        expect(s.kongSources).toEqual([]);
        expect(s.kongAuth.clientCertificate).toBe(true);
        expect(s.kubernetes).toMatchObject({ replicas: 2, serviceName: "kong-keys", uid: 101, gid: 101, imagePullPolicy: "IfNotPresent", requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "64Mi" } });
        // Basic auth alone is a choice: then no certificate is issued.
        const basic = resolveSettings("kong-keys", withK8s({}, { kongAuth: { basicAuth: { username: "kong", password: "0123456789abcdef" } } }));
        expect(basic.kongAuth).toEqual({ clientCertificate: false, basicAuthUsername: "kong" });
        const named = resolveSettings("kong-keys", withK8s({ serviceName: "keys", clusterDomain: "corp.internal", replicas: 3 }));
        expect(named.privateBaseUrl).toBe("https://keys.kong.svc.corp.internal:8443");
    });

    it.each<[string, KongSigningKeyHostArgs, InputErrorCode, string, RegExp]>([
        ["docker and kubernetes", { ...base, docker: {} }, InputErrorCode.Conflict, "kubernetes", /docker are both set/],
        ["kongSources", { ...base, kongSources: ["10.0.0.0/24"] }, InputErrorCode.Conflict, "kongSources", /kongPodLabels/],
        ["hostname", { ...base, hostname: "keys" }, InputErrorCode.Conflict, "hostname", /serviceName/],
        ["no namespace", withK8s({ namespace: undefined }), InputErrorCode.Missing, "kubernetes.namespace", /namespace/],
        ["a bad namespace", withK8s({ namespace: "Kong" }), InputErrorCode.Invalid, "kubernetes.namespace", /DNS label/],
        ["no Kong labels", withK8s({ kongPodLabels: undefined }), InputErrorCode.Missing, "kubernetes.kongPodLabels", /at least one label/],
        ["empty Kong labels (every pod)", withK8s({ kongPodLabels: {} }), InputErrorCode.Exposure, "kubernetes.kongPodLabels", /every pod/],
        ["empty Kong namespace labels (every namespace)", withK8s({ kongNamespaceLabels: {} }), InputErrorCode.Exposure, "kubernetes.kongNamespaceLabels", /every namespace/],
        ["a bad label key", withK8s({ kongPodLabels: { "-app": "kong" } }), InputErrorCode.Invalid, "kubernetes.kongPodLabels", /key "-app"/],
        ["a bad label prefix", withK8s({ kongPodLabels: { "Example.com/app": "kong" } }), InputErrorCode.Invalid, "kubernetes.kongPodLabels", /prefix/],
        ["a bad label value", withK8s({ publicPodLabels: { app: "a b" } }), InputErrorCode.Invalid, "kubernetes.publicPodLabels", /value "a b"/],
        ["a long label value", withK8s({ kongPodLabels: { app: "a".repeat(64) } }), InputErrorCode.Invalid, "kubernetes.kongPodLabels", /at most 63/],
        ["a Service name with a dot", withK8s({ serviceName: "kong.keys" }), InputErrorCode.Invalid, "kubernetes.serviceName", /DNS label/],
        ["a Service name starting with a digit", withK8s({ serviceName: "1keys" }), InputErrorCode.Invalid, "kubernetes.serviceName", /start with a letter/],
        ["a numeric cluster domain", withK8s({ clusterDomain: "cluster.1" }), InputErrorCode.Invalid, "kubernetes.clusterDomain", /IPv4/],
        ["no replicas", withK8s({ replicas: 0 }), InputErrorCode.Invalid, "kubernetes.replicas", /from 1 to 20/],
        ["fractional replicas", withK8s({ replicas: 1.5 }), InputErrorCode.Invalid, "kubernetes.replicas", /whole number/],
        ["a pull policy", withK8s({ imagePullPolicy: "always" }), InputErrorCode.Invalid, "kubernetes.imagePullPolicy", /IfNotPresent/],
        ["a quantity", withK8s({ resources: { limits: { memory: "64 MB" } } }), InputErrorCode.Invalid, "kubernetes.resources.limits", /quantity/],
        ["a resource name", withK8s({ resources: { requests: { gpu: "1" } } }), InputErrorCode.Invalid, "kubernetes.resources.requests", /"gpu"/],
        ["root", withK8s({ user: "0:101" }), InputErrorCode.Exposure, "kubernetes.user", /root/],
        ["a user name", withK8s({ user: "nginx" }), InputErrorCode.Invalid, "kubernetes.user", /numeric/],
        ["no Kong authentication", withK8s({}, { kongAuth: { clientCertificate: false } }), InputErrorCode.Exposure, "kongAuth.clientCertificate", /must authenticate/],
        ["default mTLS on a Kong without certificate references", withK8s({}, { jwtSigner: { kongVersion: "3.9" } }), InputErrorCode.Unsupported, "kongAuth.clientCertificate", /3\.10/],
    ])("refuses %s, naming the field", (_label, args, code, field, message) => {
        const error = inputErrorOf(() => resolveSettings("kong-keys", args))!;
        expect(error.code).toBe(code);
        expect(error.field).toBe(field);
        expect(error.message).toMatch(message);
    });

    it("refuses a component name its Kubernetes objects cannot be named after", () => {
        const error = inputErrorOf(() => resolveSettings("Kong_Keys", withK8s({ serviceName: "keys" })))!;
        expect(error.field).toBe("kubernetes");
        expect(error.message).toMatch(/component name/);
    });

    it("keeps Docker unchanged: kongSources still required there", () => {
        const error = inputErrorOf(() => resolveSettings("kong-keys", { keysets: base.keysets }))!;
        expect(error.field).toBe("kongSources");
        expect(resolveSettings("kong-keys", { keysets: base.keysets, kongSources: ["172.30.10.0/24"] }).target).toBe("docker");
    });
});

describe("kubernetes objects (pure)", () => {
    const k = resolveSettings("kong-keys", withK8s({ kongNamespaceLabels: { team: "gateway" }, publicPodLabels: { role: "upstream" } })).kubernetes!;

    it("keys each served file uniquely, and projects it at its path with its mode", () => {
        const served = [
            { path: files.nginxConf, secret: false, mode: 0o444 },
            { path: files.serverKey, secret: true, mode: 0o440 },
            { path: files.privateJwks("access"), secret: true, mode: 0o440 },
            { path: files.publicJwks("access"), secret: false, mode: 0o444 },
        ];
        expect(served.map((f) => fileKey(f.path))).toEqual(["nginx.conf", "tls_server.key", "private_access.jwks.json", "public_access.jwks.json"]);
        expect(() => fileKey("/etc/passwd")).toThrow(/not under/);
        const volume = configVolume("s", "c", served);
        expect(volume.projected.sources).toEqual([
            { secret: { name: "s", items: [{ key: "tls_server.key", path: "tls/server.key", mode: 0o440 }, { key: "private_access.jwks.json", path: "private/access.jwks.json", mode: 0o440 }] } },
            { configMap: { name: "c", items: [{ key: "nginx.conf", path: "nginx.conf", mode: 0o444 }, { key: "public_access.jwks.json", path: "public/access.jwks.json", mode: 0o444 }] } },
        ]);
    });

    it("admits Kong's pods (in the namespaces named) to 8443 only, the public readers to 9443 only, and no egress", () => {
        const policy = networkPolicySpec(k);
        expect(policy.podSelector.matchLabels).toEqual(selectorLabels(k));
        expect(policy.policyTypes).toEqual(["Ingress", "Egress"]);
        expect(policy.egress).toEqual([]);
        expect(policy.ingress).toEqual([
            { from: [{ namespaceSelector: { matchLabels: { team: "gateway" } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "kong" } } }], ports: [{ port: 8443, protocol: "TCP" }] },
            { from: [{ namespaceSelector: { matchLabels: {} }, podSelector: { matchLabels: { role: "upstream" } } }], ports: [{ port: 9443, protocol: "TCP" }] },
        ]);
        // Without namespace labels, Kong is looked for in the key host's namespace only.
        const local = networkPolicySpec(resolveSettings("kong-keys", base).kubernetes!);
        expect(local.ingress[0].from[0].namespaceSelector).toEqual({ matchLabels: { "kubernetes.io/metadata.name": "kong" } });
    });

    it("runs pods that Pod Security `restricted` admits, rolling surge-first", () => {
        const spec = deploymentSpec(k, configVolume("s", "c", []), "nginx:x", {});
        expect(spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
        const pod = spec.template.spec;
        expect(pod.automountServiceAccountToken).toBe(false);
        expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 101, runAsGroup: 101, fsGroup: 101, seccompProfile: { type: "RuntimeDefault" } });
        const [container] = pod.containers;
        expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, privileged: false, capabilities: { drop: ["ALL"] } });
        expect(container.volumeMounts).toContainEqual({ name: "config", mountPath: CONFIG_DIR, readOnly: true });
        expect(container.readinessProbe.httpGet).toEqual({ path: "/healthz", port: "health" });
        expect(container.resources).toEqual({ requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "64Mi" } });
        expect(pod.topologySpreadConstraints[0]).toMatchObject({ topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway" });
    });
});


/** Builds under mocks and waits until the Deployment (the last child to register) is recorded. */
async function buildOnKubernetes(args: KongSigningKeyHostArgs) {
    const mocks = await freshMocks();
    const host = new KongSigningKeyHost("kong-keys", args);
    await Promise.all([valueOf(host.serviceName), valueOf(host.publicJwks), valueOf(host.caCertPem)]);
    const deadline = Date.now() + 10_000;
    while (!mocks.resources.some((r) => r.type === "kubernetes:apps/v1:Deployment")) {
        if (Date.now() > deadline) throw new Error("no Deployment registered");
        await new Promise((r) => setTimeout(r, 20));
    }
    return { host, mocks: new Recorded([...mocks.resources]) };
}

describe("the component on Kubernetes (under mocks)", () => {
    const withBasic = withK8s({}, { kongAuth: { clientCertificate: true, basicAuth: { username: "kong", password: "correct-horse-battery-staple" } } });

    it("declares a Secret, a ConfigMap, a NetworkPolicy, a Deployment, a Service and a PodDisruptionBudget, and no Docker resource", async () => {
        const { host, mocks } = await buildOnKubernetes(base);
        const types = mocks.resources.map((r) => r.type).filter((t) => !t.startsWith("tls:") && t !== "kong-signing-key-host:index:KongSigningKeyHost");
        expect(types.sort()).toEqual([
            "kubernetes:apps/v1:Deployment", "kubernetes:core/v1:ConfigMap", "kubernetes:core/v1:Secret", "kubernetes:core/v1:Service",
            "kubernetes:networking.k8s.io/v1:NetworkPolicy", "kubernetes:policy/v1:PodDisruptionBudget",
        ]);
        expect(await valueOf(host.serviceName)).toBe("kong-keys");
        expect(await valueOf(host.kubernetesNamespace)).toBe("kong");
        expect(await valueOf(host.containerName)).toBeUndefined();
        expect(await valueOf(host.kongNetworkNames)).toEqual([]);
        expect(await valueOf(host.privateKeysetUrls)).toEqual({
            access: "https://kong-keys.kong.svc.cluster.local:8443/private/access/jwks.json",
            channel: "https://kong-keys.kong.svc.cluster.local:8443/private/channel/jwks.json",
        });
        // mTLS by default: a client certificate, named in the fragment.
        expect(await valueOf(host.kongClientCertPem)).toMatch(/BEGIN CERTIFICATE/);
        expect((await valueOf(host.jwtSignerConfig)).access_token_keyset_client_certificate).toBeDefined();
    });

    it("puts every private file in the Secret (secret all the way), the rest in the ConfigMap, and mounts both", async () => {
        const { mocks } = await buildOnKubernetes(withBasic);
        const leaks = mocks.resources.flatMap((r) => privateStrings(r.inputs).filter((p) => !p.secret).map((p) => `${r.type} ${r.name}${p.at}`));
        expect(leaks).toEqual([]);
        const [secret] = mocks.byType("kubernetes:core/v1:Secret");
        const [configMap] = mocks.byType("kubernetes:core/v1:ConfigMap");
        expect(Object.keys(secret.plain.stringData as object).sort()).toEqual(["htpasswd", "private_access.jwks.json", "private_channel.jwks.json", "tls_server.key"]);
        expect(privateStrings(secret.inputs).length).toBeGreaterThanOrEqual(4);
        expect(Object.keys(configMap.plain.data as object).sort()).toEqual([
            "nginx.conf", "public_access.jwks.json", "public_channel.jwks.json", "tls_ca.crt", "tls_kong-client-ca.crt", "tls_server.crt"]);
        expect(JSON.stringify(configMap.plain.data)).not.toMatch(/PRIVATE KEY|"d":/);
        expect(secret.plain.immutable).toBe(true);
        expect(configMap.plain.immutable).toBe(true);
        const [deployment] = mocks.byType("kubernetes:apps/v1:Deployment");
        const volume = (deployment.plain as any).spec.template.spec.volumes.find((v: any) => v.name === "config");
        expect(volume.projected.sources[0].secret.name).toBe(secret.physicalName);
        expect(volume.projected.sources[1].configMap.name).toBe(configMap.physicalName);
        // What a rotation changes shows in clear on the pod template.
        const annotations = (deployment.plain as any).spec.template.metadata.annotations;
        expect(annotations["io.github.kong-signing-key-host/keyset.access"]).toBe("published 2026-11,2026-12; active 2026-11");
        expect(annotations["io.github.kong-signing-key-host/public-files"]).toMatch(/^[0-9a-f]{16}$/);
    });

    it("keeps the outputs' secrecy as on Docker", async () => {
        const { host } = await buildOnKubernetes(withBasic);
        expect(await isSecret(host.privateJwks)).toBe(true);
        expect(await isSecret(host.kongClientKeyPem)).toBe(true);
        expect(await isSecret(host.jwtSignerConfig)).toBe(true);
        for (const output of [host.publicJwks, host.serviceName, host.kubernetesNamespace, host.privateKeysetUrls, host.hostname]) {
            expect(await isSecret(output)).toBe(false);
        }
    });
});
