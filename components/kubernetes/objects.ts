/**
 * The Kubernetes objects of a key host, as plain data: no resources here, so each rule (what is secret,
 * who may connect, what a pod may do) is testable alone. `keyHostDeployment.ts` wires them.
 */
import { CONFIG_DIR, HEALTH_PATH, HEALTH_PORT, KONG_LISTENER_PORT, NGINX_BINARY, PUBLIC_LISTENER_PORT, SCRATCH_DIR, files } from "../layout";
import type { ResolvedKubernetes } from "./settings";

/** The label every object carries, and the pair that selects one instance's pods. */
export const APP_NAME = "kong-signing-key-host";
export const PORT_NAMES = { kong: "kong", public: "public", health: "health" } as const;

export function selectorLabels(k: ResolvedKubernetes): Record<string, string> {
    // The Service name is unique in its namespace, and a valid label value, unlike any component name.
    return { "app.kubernetes.io/name": APP_NAME, "app.kubernetes.io/instance": k.serviceName };
}

export function objectLabels(k: ResolvedKubernetes): Record<string, string> {
    return { ...selectorLabels(k), "app.kubernetes.io/component": "key-host", "app.kubernetes.io/managed-by": "pulumi" };
}

/**
 * The Secret/ConfigMap key of a served file: its path under CONFIG_DIR with "/" as "_" (keys allow only
 * `[-._a-zA-Z0-9]`). No served path has "_" of its own (keyset names are DNS labels), so keys are unique.
 */
export function fileKey(path: string): string {
    const relative = pathInConfigDir(path);
    if (relative.includes("_")) throw new Error(`${path}: "_" would make keys ambiguous`);
    return relative.replaceAll("/", "_");
}

/** A served file's path relative to CONFIG_DIR, where the volume is mounted. */
function pathInConfigDir(path: string): string {
    if (!path.startsWith(`${CONFIG_DIR}/`)) throw new Error(`${path} is not under ${CONFIG_DIR}`);
    return path.slice(CONFIG_DIR.length + 1);
}

export interface FileRef { readonly path: string; readonly secret: boolean; readonly mode: number }

/**
 * One read-only volume at CONFIG_DIR, projected from the Secret (private files) and the ConfigMap (the
 * rest), each file at its path with its mode. Projected files are root-owned with the pod's fsGroup as
 * group: nginx (uid and gid of `user`) reads the 0440 ones through that group and can change none.
 */
export function configVolume<Name>(secretName: Name, configMapName: Name, served: readonly FileRef[]) {
    const items = (secret: boolean) => served.filter((f) => f.secret === secret)
        .map((f) => ({ key: fileKey(f.path), path: pathInConfigDir(f.path), mode: f.mode }));
    return {
        name: "config",
        projected: {
            defaultMode: 0o444,
            sources: [
                { secret: { name: secretName, items: items(true) } },
                { configMap: { name: configMapName, items: items(false) } },
            ],
        },
    };
}

/** Pod Security `restricted`, and then some: non-root, no token, no privilege, RuntimeDefault seccomp. */
export function podSecurityContext(k: ResolvedKubernetes) {
    return {
        runAsNonRoot: true,
        runAsUser: k.uid,
        runAsGroup: k.gid,
        fsGroup: k.gid,
        seccompProfile: { type: "RuntimeDefault" },
    };
}

export function containerSecurityContext() {
    return {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        privileged: false,
        capabilities: { drop: ["ALL"] },
    };
}

/** Seconds a stopping pod keeps serving while the endpoints controller and kube-proxy drop it. */
export const PRE_STOP_SECONDS = 5;

/** The Deployment's spec. `configVolume` and `annotations` are what change at a rotation. */
export function deploymentSpec<Name>(k: ResolvedKubernetes, volume: ReturnType<typeof configVolume<Name>>, image: unknown, annotations: Record<string, unknown>) {
    const probe = (periodSeconds: number, failureThreshold: number) => ({
        httpGet: { path: HEALTH_PATH, port: PORT_NAMES.health },
        periodSeconds, timeoutSeconds: 2, failureThreshold,
    });
    return {
        replicas: k.replicas,
        selector: { matchLabels: selectorLabels(k) },
        // Surge first, never below `replicas` ready: a rotation never leaves Kong fewer hosts.
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        revisionHistoryLimit: 3,
        template: {
            metadata: { labels: objectLabels(k), annotations },
            spec: {
                automountServiceAccountToken: false,
                enableServiceLinks: false,
                securityContext: podSecurityContext(k),
                terminationGracePeriodSeconds: PRE_STOP_SECONDS + 10,
                // Spread over nodes where there are several; a one-node cluster still schedules them.
                topologySpreadConstraints: [{
                    maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway",
                    labelSelector: { matchLabels: selectorLabels(k) },
                }],
                containers: [{
                    name: "nginx",
                    image,
                    imagePullPolicy: k.imagePullPolicy,
                    command: [NGINX_BINARY, "-e", "stderr", "-c", files.nginxConf],
                    ports: [
                        { name: PORT_NAMES.kong, containerPort: KONG_LISTENER_PORT, protocol: "TCP" },
                        { name: PORT_NAMES.public, containerPort: PUBLIC_LISTENER_PORT, protocol: "TCP" },
                        { name: PORT_NAMES.health, containerPort: HEALTH_PORT, protocol: "TCP" },
                    ],
                    readinessProbe: probe(2, 2),
                    livenessProbe: probe(10, 3),
                    resources: { requests: { ...k.requests }, limits: { ...k.limits } },
                    securityContext: containerSecurityContext(),
                    // Keep serving while the pod leaves the Service's endpoints (no exec: the image needs no shell).
                    lifecycle: { preStop: { sleep: { seconds: PRE_STOP_SECONDS } } },
                    volumeMounts: [
                        { name: "config", mountPath: CONFIG_DIR, readOnly: true },
                        { name: "scratch", mountPath: SCRATCH_DIR },
                    ],
                }],
                volumes: [volume, { name: "scratch", emptyDir: { medium: "Memory", sizeLimit: "16Mi" } }],
            },
        },
    };
}

export function serviceSpec(k: ResolvedKubernetes) {
    return {
        type: "ClusterIP",
        selector: selectorLabels(k),
        ports: [
            { name: PORT_NAMES.kong, port: KONG_LISTENER_PORT, targetPort: PORT_NAMES.kong, protocol: "TCP" },
            { name: PORT_NAMES.public, port: PUBLIC_LISTENER_PORT, targetPort: PORT_NAMES.public, protocol: "TCP" },
        ],
    };
}

/** At most one pod down at a time from voluntary disruptions (node drains). */
export function podDisruptionBudgetSpec(k: ResolvedKubernetes) {
    return { maxUnavailable: 1, selector: { matchLabels: selectorLabels(k) } };
}

/**
 * Kong's pods (in the key host's namespace, or in the namespaces `kongNamespaceLabels` selects) to the
 * private port; the public readers to the public port; nothing else in, nothing out (nginx needs no egress).
 * The kubelet's probes come from the node, which NetworkPolicy does not govern.
 */
export function networkPolicySpec(k: ResolvedKubernetes) {
    const kongNamespace = k.kongNamespaceLabels
        ? { matchLabels: { ...k.kongNamespaceLabels } }
        : { matchLabels: { "kubernetes.io/metadata.name": k.namespace } };
    return {
        podSelector: { matchLabels: selectorLabels(k) },
        policyTypes: ["Ingress", "Egress"],
        ingress: [
            {
                from: [{ namespaceSelector: kongNamespace, podSelector: { matchLabels: { ...k.kongPodLabels } } }],
                ports: [{ port: KONG_LISTENER_PORT, protocol: "TCP" }],
            },
            {
                from: [{ namespaceSelector: { matchLabels: { ...k.publicNamespaceLabels } }, podSelector: { matchLabels: { ...k.publicPodLabels } } }],
                ports: [{ port: PUBLIC_LISTENER_PORT, protocol: "TCP" }],
            },
        ],
        egress: [],
    };
}
