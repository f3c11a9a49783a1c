import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { instanceLabelValue as componentInstanceLabel } from "../components/docker/instanceLabel";
import { type DockerContainer, instanceLabelValue, stateContainers, sweepPlan } from "../scripts/sweepPlan";

// What the sweep decides, from state and Docker as scripts/sweep.js reads them. The real engine and
// Docker run it in test/engine/recovery.test.ts.
const STACK = "organization/kong-signing-key-host/dev";
const publicPem = () => generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ type: "spki", format: "pem" }).toString();
const SERVER_KEY = publicPem();
const INSTANCE = instanceLabelValue(SERVER_KEY);
const label = (k: string, v: string) => ({ label: `io.github.kong-signing-key-host.${k}`, value: v });
const labels = (stack: string, component: string, role: string, instance = INSTANCE) => ({
    "io.github.kong-signing-key-host.stack": stack,
    "io.github.kong-signing-key-host.component": component,
    "io.github.kong-signing-key-host.role": role,
    "io.github.kong-signing-key-host.instance": instance,
});

/** A `pulumi stack export` deployment with a key host (and an old one a replacement left `delete: true`). */
const deployment = {
    resources: [
        { type: "pulumi:pulumi:Stack", urn: "urn:stack" },
        { type: "tls:index/privateKey:PrivateKey", urn: "urn:server-key", id: "k", outputs: { publicKeyPem: SERVER_KEY } },
        {
            type: "docker:index/container:Container", urn: "urn:host", id: "live", delete: false,
            outputs: { name: "kong-keys-host-1", labels: [label("stack", STACK), label("component", "kong-keys"), label("role", "key-host")], networksAdvanced: [{ name: "kong-net", aliases: ["kong-keys"] }] },
        },
        {
            type: "docker:index/container:Container", urn: "urn:host", id: "old", delete: true,
            outputs: { name: "kong-keys-host-0", labels: [label("stack", STACK), label("component", "kong-keys"), label("role", "key-host")], networksAdvanced: [{ name: "kong-net", aliases: ["kong-keys"] }] },
        },
    ],
};
const onKongNet = (id: string, l: Record<string, string>, aliases = ["kong-keys"]): DockerContainer => ({ id, name: `c-${id}`, labels: l, networks: { "kong-net": { aliases } } });

describe("sweep plan", () => {
    const { containers, instances, pending } = stateContainers(deployment);
    const state = { containers, instances };

    it("reads every container the state owns, the one a replacement has not deleted yet included", () => {
        expect(containers.map((c) => [c.id, c.replaced])).toEqual([["live", false], ["old", true]]);
        expect(containers[0].networks).toEqual([{ name: "kong-net", aliases: ["kong-keys"] }]);
        expect(instances).toEqual([INSTANCE]);
        expect(pending).toEqual([]);
        expect(stateContainers({ ...deployment, pending_operations: [{ type: "creating", resource: { urn: "urn:host", type: "docker:index/container:Container" } }] }).pending)
            .toEqual([{ type: "creating", urn: "urn:host", resourceType: "docker:index/container:Container" }]);
    });

    it("removes a key host of this stack that the state does not own, and keeps what it owns", () => {
        const plan = sweepPlan({
            stack: STACK, state, listedBeforeState: ["live", "old", "orphan"],
            docker: [onKongNet("live", labels(STACK, "kong-keys", "key-host")), onKongNet("old", labels(STACK, "kong-keys", "key-host")), onKongNet("orphan", labels(STACK, "kong-keys", "key-host"))],
        });
        expect(plan.remove).toEqual([{ id: "orphan", name: "c-orphan", why: 'key-host of component "kong-keys" that the state does not own, answering to "kong-keys" on kong-net' }]);
        expect(plan.foreign).toEqual([]);
    });

    it("leaves a container of this stack that appeared after the listing (an `up` creating it) alone", () => {
        const plan = sweepPlan({ stack: STACK, state, listedBeforeState: ["live"], docker: [onKongNet("new", labels(STACK, "kong-keys", "key-host"))] });
        expect(plan).toMatchObject({ remove: [], foreign: [] });
    });

    it("reports, never removes, another stack's or an unlabelled container that answers to the key host's name", () => {
        const plan = sweepPlan({
            stack: STACK, state, listedBeforeState: ["live"],
            docker: [
                onKongNet("other-stack", labels("organization/kong-signing-key-host/prod", "kong-keys", "key-host")),
                // Same stack name on another backend: its own keys, so another instance.
                onKongNet("other-backend", labels(STACK, "kong-keys", "key-host", instanceLabelValue(publicPem()))),
                onKongNet("hand-made", {}),
                onKongNet("kong", {}, ["kong"]), // Kong itself, on the same network under its own name
            ],
        });
        expect(plan.remove).toEqual([]);
        expect(plan.foreign.map((f) => [f.id, f.why])).toEqual([
            ["other-stack", 'not this stack\'s, yet answers to "kong-keys" on kong-net like the stack\'s key host'],
            ["other-backend", 'not this stack\'s, yet answers to "kong-keys" on kong-net like the stack\'s key host'],
            ["hand-made", 'not this stack\'s, yet answers to "kong-keys" on kong-net like the stack\'s key host'],
        ]);
    });

    it("removes this stack's orphans on no network of the state (an interrupted first up)", () => {
        const plan = sweepPlan({
            stack: STACK, state: { containers: [], instances }, listedBeforeState: ["first"],
            docker: [{ id: "first", name: "c-first", labels: labels(STACK, "kong-keys", "public-proxy"), networks: { "kong-keys-public-net-1": { aliases: [] } } }],
        });
        expect(plan.remove).toEqual([{ id: "first", name: "c-first", why: 'public-proxy of component "kong-keys" that the state does not own' }]);
    });

    it("names an instance as the component labels it", () => {
        expect(instanceLabelValue(SERVER_KEY)).toBe(componentInstanceLabel(SERVER_KEY));
        expect(instanceLabelValue(`${SERVER_KEY}\n`)).toBe(INSTANCE);
        expect(INSTANCE).toMatch(/^[0-9a-f]{16}$/);
    });

    it("reports the state's key host detached from a network, or from its alias there, as the fix command names", () => {
        const live = (networks: DockerContainer["networks"]) => ({ id: "live", name: "c-live", labels: labels(STACK, "kong-keys", "key-host"), networks });
        const attached = sweepPlan({ stack: STACK, state, listedBeforeState: ["live"], docker: [live({ "kong-net": { aliases: ["kong-keys", "0f3a"] } })] });
        expect(attached.detached).toEqual([]);
        for (const networks of [{}, { "kong-net": { aliases: ["other"] } }] as DockerContainer["networks"][]) {
            const plan = sweepPlan({ stack: STACK, state, listedBeforeState: ["live"], docker: [live(networks)] });
            expect(plan.detached).toEqual([{ id: "live", name: "c-live",
                why: 'not on kong-net as "kong-keys" as the state declares (changed out of band; pulumi refresh does not see it): pulumi up --replace \'urn:host\'' }]);
        }
        // The old container of a replacement is on its way out: not checked.
        expect(sweepPlan({ stack: STACK, state, listedBeforeState: [], docker: [{ ...live({}), id: "old" }] }).detached).toEqual([]);
    });
});

