// What `kong-signing-key-host-sweep` removes and what it reports: pure, from the stack's state and what
// Docker says about its containers (scripts/sweep.js gathers both). See README, "When things go wrong".
// @ts-check
"use strict";
const { createHash } = require("node:crypto");

const LABEL_PREFIX = "io.github.kong-signing-key-host";
const CONTAINER_TYPE = "docker:index/container:Container";
const PRIVATE_KEY_TYPE = "tls:index/privateKey:PrivateKey";

/** components/docker/instanceLabel.ts computes the same (the tests compare them). */
function instanceLabelValue(publicKeyPem) {
    return createHash("sha256").update(String(publicKeyPem).trim()).digest("hex").slice(0, 16);
}

/**
 * The key host containers the state owns — every container resource, including an old one a replacement
 * has not deleted yet (`delete: true`) — the instances its keys name (a container's `instance` label is
 * one of them: even after an interrupted first `up`, the server key exists before any container), and the
 * pending operations that make the state unsure.
 * @param {any} deployment  `pulumi stack export` → `.deployment`
 */
function stateContainers(deployment) {
    const resources = deployment.resources ?? [];
    const containers = resources
        .filter((r) => r.type === CONTAINER_TYPE && r.id)
        .map((r) => {
            const outputs = r.outputs ?? {};
            const labels = Object.fromEntries((outputs.labels ?? []).map((l) => [l.label, l.value]));
            const networks = (outputs.networksAdvanced ?? []).map((n) => ({ name: n.name, aliases: n.aliases ?? [] }));
            return { urn: r.urn, id: r.id, name: outputs.name, labels, networks, provider: r.provider, replaced: r.delete === true };
        });
    const instances = resources.filter((r) => r.type === PRIVATE_KEY_TYPE && r.outputs?.publicKeyPem)
        .map((r) => instanceLabelValue(r.outputs.publicKeyPem));
    const pending = (deployment.pending_operations ?? []).map((p) => ({ type: p.type, urn: p.resource?.urn, resourceType: p.resource?.type }));
    return { containers, instances, pending };
}

/**
 * @param {{ stack: string,
 *   state: { containers: { id: string, urn?: string, labels: Record<string, string>, networks: { name: string, aliases: string[] }[], replaced?: boolean }[], instances: string[] },
 *   listedBeforeState: string[],
 *   docker: { id: string, name: string, labels: Record<string, string>, networks: Record<string, { aliases: string[] }> }[] }} input
 *   `listedBeforeState`: ids of the stack's labelled containers, listed before the state was read (a
 *   container an `up` creates after that listing is the `up`'s, never the sweep's); `docker`: every
 *   container the sweep inspected (those and the ones on the key hosts' networks).
 * @returns {{ remove: { id: string, name: string, why: string }[], foreign: { id: string, name: string, why: string }[],
 *   detached: { id: string, name: string, why: string }[] }}
 */
function sweepPlan({ stack, state, listedBeforeState, docker }) {
    const owned = new Set(state.containers.map((c) => c.id));
    // Ours: this stack's label and an instance of this state's (another backend's stack of the same name
    // has other keys).
    const ours = (c) => c.labels[`${LABEL_PREFIX}.stack`] === stack && state.instances.includes(c.labels[`${LABEL_PREFIX}.instance`]);
    // Who answers to a key host's name: (network, alias) pairs of the key hosts the state owns.
    const served = new Map();
    for (const c of state.containers) {
        if (c.labels[`${LABEL_PREFIX}.role`] !== "key-host") continue;
        for (const n of c.networks) for (const alias of n.aliases) served.set(JSON.stringify([n.name, alias]), c);
    }
    const remove = [];
    const foreign = [];
    for (const c of docker) {
        if (owned.has(c.id)) continue;
        const impersonates = Object.entries(c.networks).flatMap(([network, n]) =>
            (n.aliases ?? []).filter((alias) => served.has(JSON.stringify([network, alias]))).map((alias) => `"${alias}" on ${network}`));
        if (ours(c) && listedBeforeState.includes(c.id)) {
            const role = c.labels[`${LABEL_PREFIX}.role`] ?? "container";
            remove.push({ id: c.id, name: c.name, why: `${role} of component "${c.labels[`${LABEL_PREFIX}.component`]}" that the state does not own` +
                (impersonates.length ? `, answering to ${impersonates.join(", ")}` : "") });
        } else if (impersonates.length && !ours(c)) {
            foreign.push({ id: c.id, name: c.name, why: `not this stack's, yet answers to ${impersonates.join(", ")} like the stack's key host` });
        }
    }
    // The state's own key hosts, as Docker has them: a network (or its alias) taken away out of band is
    // drift the docker provider's refresh does not report, and Kong on that network cannot reach the key host.
    const detached = [];
    const byId = new Map(docker.map((c) => [c.id, c]));
    for (const c of state.containers) {
        if (c.replaced || c.labels[`${LABEL_PREFIX}.role`] !== "key-host") continue;
        const live = byId.get(c.id);
        if (!live) continue; // gone altogether: `pulumi refresh` reports that
        const missing = c.networks.filter((n) => !live.networks[n.name] || n.aliases.some((a) => !(live.networks[n.name].aliases ?? []).includes(a)));
        if (missing.length) {
            detached.push({ id: c.id, name: live.name, why: `not on ${missing.map((n) => `${n.name} as "${n.aliases.join('", "')}"`).join(", ")} as the state declares ` +
                `(changed out of band; pulumi refresh does not see it): pulumi up --replace '${c.urn}'` });
        }
    }
    return { remove, foreign, detached };
}

module.exports = { LABEL_PREFIX, instanceLabelValue, stateContainers, sweepPlan };
