import type { Recorded } from "./component";
import type { RecordedResource } from "./realCryptoMocks";

/**
 * What `pulumi preview` would do between two runs of a program, computed from the inputs the two runs
 * registered: same URN and inputs = same; new URN = create; gone URN = delete; changed inputs = update,
 * or replace when a changed input is one the provider cannot update in place.
 */
export type Operation = "create" | "delete" | "update" | "replace" | "same";

export interface PlanEntry {
    urn: string;
    type: string;
    name: string;
    op: Operation;
    /** Top-level inputs that differ. */
    changed: string[];
}

const COMPONENT_TYPE = "kong-signing-key-host:index:KongSigningKeyHost";

/** Inputs each provider can change in place; any other changed input forces a replacement. */
const UPDATABLE: Record<string, readonly string[]> = {
    // tls resources are immutable: every input is ForceNew.
    "tls:index/privateKey:PrivateKey": [],
    "tls:index/selfSignedCert:SelfSignedCert": [],
    "tls:index/certRequest:CertRequest": [],
    "tls:index/locallySignedCert:LocallySignedCert": [],
    "docker:index/network:Network": [],
    // The Docker provider's container update applies only these; `uploads` and the rest are ForceNew.
    "docker:index/container:Container": ["restart", "maxRetryCount", "cpuShares", "memory", "cpuSet", "memorySwap",
        "destroyGraceSeconds", "mustRun", "wait", "waitTimeout"],
    [COMPONENT_TYPE]: [],
};

export function urnOf(stack: string, project: string, r: { type: string; name: string }): string {
    const parent = r.type === COMPONENT_TYPE ? "" : `${COMPONENT_TYPE}$`;
    return `urn:pulumi:${stack}::${project}::${parent}${r.type}::${r.name}`;
}

export function planBetween(before: Recorded, after: Recorded, stack = "dev", project = "kong-signing-key-host"): PlanEntry[] {
    const key = (r: RecordedResource) => urnOf(stack, project, r);
    const old = new Map(before.resources.map((r) => [key(r), r]));
    const now = new Map(after.resources.map((r) => [key(r), r]));
    const entries: PlanEntry[] = [];
    for (const [urn, r] of now) {
        const previous = old.get(urn);
        if (!previous) {
            entries.push({ urn, type: r.type, name: r.name, op: "create", changed: [] });
            continue;
        }
        const names = new Set([...Object.keys(previous.plain), ...Object.keys(r.plain)]);
        const changed = [...names].filter((k) => JSON.stringify(previous.plain[k]) !== JSON.stringify(r.plain[k])).sort();
        const updatable = UPDATABLE[r.type];
        if (!updatable) throw new Error(`plan: no replace rules for ${r.type}`);
        const op: Operation = changed.length === 0 ? "same" : changed.every((k) => updatable.includes(k)) ? "update" : "replace";
        entries.push({ urn, type: r.type, name: r.name, op, changed });
    }
    for (const [urn, r] of old) if (!now.has(urn)) entries.push({ urn, type: r.type, name: r.name, op: "delete", changed: [] });
    return entries.sort((a, b) => a.urn.localeCompare(b.urn));
}

/** The plan without unchanged resources, as `op name [changed]` lines. */
export function summary(plan: PlanEntry[]): string[] {
    return plan.filter((e) => e.op !== "same").map((e) => `${e.op} ${e.name}${e.changed.length ? ` [${e.changed.join(", ")}]` : ""}`).sort();
}

export function counts(plan: PlanEntry[]): Record<Operation, number> {
    const out: Record<Operation, number> = { create: 0, delete: 0, update: 0, replace: 0, same: 0 };
    for (const e of plan) out[e.op] += 1;
    return out;
}

const SYMBOL: Record<Operation, string> = { create: "+ ", delete: "- ", update: "~ ", replace: "+-", same: "  " };

/**
 * A `pulumi preview --diff`-style rendering: changed resources with the inputs that changed, and the
 * non-secret outputs that changed. `label` turns values that differ per run (kids) into stable words.
 */
export function renderPreview(plan: PlanEntry[], outputsBefore: Record<string, unknown>, outputsAfter: Record<string, unknown>, label: (value: string) => string): string {
    const lines: string[] = [];
    const c = counts(plan);
    const componentChanged = plan.some((e) => e.op !== "same");
    lines.push(`  pulumi:pulumi:Stack: (same)`);
    lines.push(`    ${componentChanged ? "~" : " "} ${COMPONENT_TYPE}: (${componentChanged ? "update" : "same"}) kong-keys`);
    for (const e of plan.filter((p) => p.op !== "same" && p.type !== COMPONENT_TYPE)) {
        lines.push(`        ${SYMBOL[e.op]}${e.type}: (${e.op}) ${e.name}`);
        for (const k of e.changed) lines.push(`            ~ ${k}${e.type.endsWith("Container") && k === "uploads" ? ": content of one or more uploaded files [secret]" : ""}`);
    }
    lines.push("    Outputs:");
    for (const name of Object.keys(outputsAfter)) {
        const before = JSON.stringify(outputsBefore[name]);
        const after = JSON.stringify(outputsAfter[name]);
        if (before === after) continue;
        lines.push(`      ~ ${name}: ${describeChange(outputsBefore[name], outputsAfter[name], label)}`);
    }
    lines.push(`    Resources: ${c.create} to create, ${c.update} to update, ${c.replace} to replace, ${c.delete} to delete, ${c.same} unchanged`);
    return lines.join("\n");
}

function describeChange(before: unknown, after: unknown, label: (value: string) => string): string {
    const kidsOf = (v: unknown): Record<string, string[]> => Object.fromEntries(Object.entries((v ?? {}) as Record<string, { keys?: { kid: string }[] } | string>)
        .map(([k, set]) => [k, typeof set === "string" ? [set] : (set.keys ?? []).map((j) => j.kid)]));
    const b = kidsOf(before);
    const a = kidsOf(after);
    const parts: string[] = [];
    for (const keyset of new Set([...Object.keys(b), ...Object.keys(a)])) {
        const added = (a[keyset] ?? []).filter((kid) => !(b[keyset] ?? []).includes(kid)).map(label);
        const removed = (b[keyset] ?? []).filter((kid) => !(a[keyset] ?? []).includes(kid)).map(label);
        if (added.length || removed.length) parts.push(`${keyset} ${[...added.map((x) => `+${x}`), ...removed.map((x) => `-${x}`)].join(" ")}`);
    }
    return parts.join("; ");
}
