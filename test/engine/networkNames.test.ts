import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupRun, docker, RUN_LABEL } from "../support/docker/engine";
import { ExampleStack } from "../support/engine/exampleStack";

// Issue 20, class 7, on the real engine, the real docker provider and the real Docker engine: Docker takes
// a network reference by name, full id or unique id prefix, so `docker.networks: ["d"]` could mean the
// default bridge and a hex string `none`. The component looks each one up and joins networks by name only.
const runId = `nn${randomBytes(3).toString("hex")}`;
const NETWORK = `kskh-${runId}-kong`;
const program = `import * as pulumi from "@pulumi/pulumi";
import { KongSigningKeyHost } from "./components";
const config = new pulumi.Config();
const keys = new KongSigningKeyHost("kong-keys", {
    keysets: { access: { generations: ["2026-11"] } },
    kongSources: ["172.16.202.0/24"],
    docker: { networks: config.requireObject<string[]>("networks") },
});
export const kongNetworkNames = keys.kongNetworkNames;
`;
const stack = new ExampleStack(runId, { program });
let networkId: string;

/**
 * The shortest prefix of `id` no other network id starts with (what Docker resolves uniquely) and that
 * has a letter: stack config would read an all-digit prefix ("4") as a number.
 */
function uniquePrefix(id: string, others: string[]): string {
    for (let length = 1; length <= id.length; length++) {
        const prefix = id.slice(0, length);
        if (/[a-f]/.test(prefix) && !others.some((other) => other !== id && other.startsWith(prefix))) return prefix;
    }
    return id;
}

beforeAll(async () => {
    const created = await docker().createNetwork({ Name: NETWORK, Driver: "bridge", Internal: true, Labels: { [RUN_LABEL]: runId } });
    networkId = created.id;
    await stack.init({ networks: [NETWORK] });
}, 120_000);

afterAll(async () => {
    await stack.destroy();
    await cleanupRun(runId);
}, 120_000);

describe("docker.networks on the real Docker engine", () => {
    const refused = async (reference: string, resolvedName: string) => {
        const preview = await stack.previewWithConfig({ networks: [reference] }, { networks: [NETWORK] });
        const text = preview.stdout + preview.stderr;
        expect(preview.code, text).not.toBe(0);
        expect(text).toContain(`docker.networks: "${reference}" is the id (or an id prefix) of the network "${resolvedName}", not a name`);
        // Nothing was planned: the refusal comes before any container.
        expect(preview.stdout).not.toMatch(/\+ +docker:index:Container /);
    };

    it("refuses a unique id prefix of the default bridge: the preview fails naming docker.networks", async () => {
        const networks = await docker().listNetworks();
        const bridge = networks.find((n) => n.Name === "bridge")!;
        const prefix = uniquePrefix(bridge.Id, networks.map((n) => n.Id));
        // Docker itself takes the prefix for the default bridge: the attack is real.
        expect((await docker().getNetwork(prefix).inspect()).Name).toBe("bridge");
        await refused(prefix, "bridge");
    }, 120_000);

    it("refuses the full id of `none`: the preview fails naming docker.networks", async () => {
        const none = (await docker().listNetworks()).find((n) => n.Name === "none")!;
        await refused(none.Id, "none");
    }, 120_000);

    it("refuses the full id of a user-defined network: the preview fails naming docker.networks", async () => {
        await refused(networkId, NETWORK);
    }, 120_000);

    it("accepts the network by its name", async () => {
        const preview = await stack.cli(["preview", "--non-interactive", "--stack", stack.stack], { allowFailure: true });
        expect(preview.code, preview.stdout + preview.stderr).toBe(0);
        expect(preview.stdout).toMatch(/\+ +docker:index:Container /);
        // The name the component reports is the one the real provider's lookup gave back.
        expect(preview.stdout).toContain(`"${NETWORK}"`);
    }, 120_000);
});
