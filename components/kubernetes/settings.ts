import * as pulumi from "@pulumi/pulumi";
import type { Kubernetes } from "../args";
import { fail, InputErrorCode } from "../errors";
import { DNS_LABEL, dnsNameProblem } from "../hostNames";
import { DEFAULT_IMAGE } from "../layout";
import { requireInteger } from "../limits";
import { DEFAULT_USER, resolveUser } from "../userIds";

/** The `kubernetes` argument group with every default resolved. */
export interface ResolvedKubernetes {
    readonly namespace: string;
    readonly kongPodLabels: Readonly<Record<string, string>>;
    /** Undefined: Kong runs in the key host's namespace. */
    readonly kongNamespaceLabels?: Readonly<Record<string, string>>;
    /** Empty: every pod. */
    readonly publicPodLabels: Readonly<Record<string, string>>;
    /** Empty: every namespace. */
    readonly publicNamespaceLabels: Readonly<Record<string, string>>;
    readonly serviceName: string;
    readonly clusterDomain: string;
    /** `<service>.<namespace>.svc.<clusterDomain>`: what URLs and the certificate use. */
    readonly serviceDnsName: string;
    /** The shorter names the same Service answers to inside the cluster (the certificate names them too). */
    readonly shortDnsNames: readonly string[];
    readonly replicas: number;
    readonly image: pulumi.Input<string>;
    readonly imagePullPolicy: string;
    readonly requests: Readonly<Record<string, string>>;
    readonly limits: Readonly<Record<string, string>>;
    readonly uid: number;
    readonly gid: number;
}

export const KUBERNETES_DEFAULTS = {
    replicas: 2,
    clusterDomain: "cluster.local",
    imagePullPolicy: "IfNotPresent",
    requests: { cpu: "10m", memory: "16Mi" },
    limits: { memory: "64Mi" },
} as const;

const PULL_POLICIES = ["Always", "IfNotPresent", "Never"];
const RESOURCE_NAMES = ["cpu", "memory", "ephemeral-storage"];
// Kubernetes quantity grammar (a number, then an optional binary or decimal suffix).
const QUANTITY = /^(\d+(\.\d+)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
// Label keys: an optional DNS-subdomain prefix and '/', then a name; values: 63 characters, alphanumeric ends.
const LABEL_NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?$/;

function quote(value: unknown): string {
    return JSON.stringify(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Why a label key is not one Kubernetes takes; undefined when it is. */
function labelKeyProblem(key: string): string | undefined {
    const slash = key.lastIndexOf("/");
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    if (prefix !== undefined && (prefix.length > 253 || !prefix.split(".").every((l) => DNS_LABEL.test(l)))) {
        return `key ${quote(key)} has a prefix that is not a lowercase DNS subdomain`;
    }
    if (!LABEL_NAME.test(name)) return `key ${quote(key)} must end in a name of 1-63 letters, digits, '-', '_' or '.', alphanumeric at both ends`;
    return undefined;
}

function labels(field: string, value: unknown, options: { required: boolean }): Record<string, string> | undefined {
    if (value === undefined) {
        if (options.required) fail(InputErrorCode.Missing, field, 'needs at least one label, e.g. { "app.kubernetes.io/name": "kong" }');
        return undefined;
    }
    if (!isPlainObject(value)) fail(InputErrorCode.Invalid, field, "must be a map of label keys to values");
    const entries = Object.entries(value);
    if (options.required && entries.length === 0) {
        fail(InputErrorCode.Exposure, field, "is empty, which selects every pod; give the labels of Kong's pods");
    }
    for (const [key, v] of entries) {
        const problem = labelKeyProblem(key);
        if (problem) fail(InputErrorCode.Invalid, field, problem);
        if (typeof v !== "string" || !LABEL_VALUE.test(v)) {
            fail(InputErrorCode.Invalid, field, `value ${quote(v)} of ${quote(key)} must be at most 63 letters, digits, '-', '_' or '.', alphanumeric at both ends`);
        }
    }
    return Object.fromEntries(entries) as Record<string, string>;
}

function quantities(field: string, value: unknown, fallback: Readonly<Record<string, string>>): Record<string, string> {
    if (value === undefined) return { ...fallback };
    if (!isPlainObject(value)) fail(InputErrorCode.Invalid, field, 'must be a map of resource names to quantities, e.g. { cpu: "50m", memory: "32Mi" }');
    for (const [name, q] of Object.entries(value)) {
        if (!RESOURCE_NAMES.includes(name)) fail(InputErrorCode.Invalid, field, `${quote(name)} is not one of ${quote(RESOURCE_NAMES)}`);
        if (typeof q !== "string" || !QUANTITY.test(q)) fail(InputErrorCode.Invalid, field, `${name} (${quote(q)}) must be a Kubernetes quantity, e.g. "50m" or "64Mi"`);
    }
    return Object.fromEntries(Object.entries(value)) as Record<string, string>;
}

/** Validates the `kubernetes` argument group and resolves its defaults. `name` is the component's. */
export function resolveKubernetes(name: string, k: Kubernetes): ResolvedKubernetes {
    if (!isPlainObject(k)) fail(InputErrorCode.Invalid, "kubernetes", "must be an object with at least namespace and kongPodLabels");
    // The Secret and ConfigMap are named after the component (plus a random suffix) by the provider.
    if (!/^[a-z0-9]([a-z0-9.-]{0,200}[a-z0-9])?$/.test(name)) {
        fail(InputErrorCode.Invalid, "kubernetes", `needs a component name of lowercase letters, digits, '-' and '.' (got ${quote(name)}): its Kubernetes objects are named after it`);
    }
    if (typeof k.namespace !== "string" || !DNS_LABEL.test(k.namespace)) {
        fail(k.namespace === undefined ? InputErrorCode.Missing : InputErrorCode.Invalid, "kubernetes.namespace",
            `(${quote(k.namespace)}) must name an existing namespace: a DNS label (lowercase letters, digits and '-', 1-63 characters)`);
    }
    const kongPodLabels = labels("kubernetes.kongPodLabels", k.kongPodLabels, { required: true })!;
    const kongNamespaceLabels = labels("kubernetes.kongNamespaceLabels", k.kongNamespaceLabels, { required: false });
    if (kongNamespaceLabels !== undefined && Object.keys(kongNamespaceLabels).length === 0) {
        fail(InputErrorCode.Exposure, "kubernetes.kongNamespaceLabels", "is empty, which selects every namespace; give the labels of Kong's namespace, or leave it out for the key host's own");
    }
    const serviceName = k.serviceName ?? name;
    if (typeof serviceName !== "string" || !DNS_LABEL.test(serviceName)) {
        fail(InputErrorCode.Invalid, "kubernetes.serviceName",
            `(${quote(serviceName)}) must be a DNS label: lowercase letters, digits and '-', 1-63 characters${k.serviceName === undefined ? " (it defaults to the component name; set kubernetes.serviceName)" : ""}`);
    }
    // A Service name must also start with a letter (RFC 1035 label).
    if (!/^[a-z]/.test(serviceName)) {
        fail(InputErrorCode.Invalid, "kubernetes.serviceName", `(${quote(serviceName)}) must start with a letter (Kubernetes Service names are RFC 1035 labels)${k.serviceName === undefined ? "; set kubernetes.serviceName" : ""}`);
    }
    const clusterDomain = k.clusterDomain ?? KUBERNETES_DEFAULTS.clusterDomain;
    const domainProblem = dnsNameProblem(clusterDomain);
    if (domainProblem) fail(InputErrorCode.Invalid, "kubernetes.clusterDomain", `(${quote(clusterDomain)}) ${domainProblem}`);
    const replicas = requireInteger("kubernetes.replicas", k.replicas, KUBERNETES_DEFAULTS.replicas);
    const imagePullPolicy = k.imagePullPolicy ?? KUBERNETES_DEFAULTS.imagePullPolicy;
    if (!PULL_POLICIES.includes(imagePullPolicy)) {
        fail(InputErrorCode.Invalid, "kubernetes.imagePullPolicy", `(${quote(imagePullPolicy)}) must be one of ${quote(PULL_POLICIES)}`);
    }
    if (k.resources !== undefined && !isPlainObject(k.resources)) fail(InputErrorCode.Invalid, "kubernetes.resources", "must be { requests?, limits? }");
    const requests = quantities("kubernetes.resources.requests", k.resources?.requests, KUBERNETES_DEFAULTS.requests);
    const limits = quantities("kubernetes.resources.limits", k.resources?.limits, KUBERNETES_DEFAULTS.limits);
    const { uid, gid } = resolveUser("kubernetes.user", k.user ?? DEFAULT_USER);
    const serviceDnsName = `${serviceName}.${k.namespace}.svc.${clusterDomain}`;
    return {
        namespace: k.namespace,
        kongPodLabels,
        ...(kongNamespaceLabels ? { kongNamespaceLabels } : {}),
        publicPodLabels: labels("kubernetes.publicPodLabels", k.publicPodLabels, { required: false }) ?? {},
        publicNamespaceLabels: labels("kubernetes.publicNamespaceLabels", k.publicNamespaceLabels, { required: false }) ?? {},
        serviceName,
        clusterDomain,
        serviceDnsName,
        shortDnsNames: [`${serviceName}.${k.namespace}.svc`, `${serviceName}.${k.namespace}`],
        replicas,
        image: k.image ?? DEFAULT_IMAGE,
        imagePullPolicy,
        requests,
        limits,
        uid,
        gid,
    };
}
