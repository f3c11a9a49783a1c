import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { type KongSigningKeyHostArgs, type KeysetArgs, SigningAlgorithm } from "../components/args";
import { buildUnderMocks, type Recorded } from "./support/component";
import { isSecret, valueOf } from "./support/outputs";
import { counts, planBetween, renderPreview, summary } from "./support/plan";

const channel: KeysetArgs = { algorithm: SigningAlgorithm.ES256, generations: ["2026-11"] };
const stack = (keysets: Record<string, KeysetArgs>): KongSigningKeyHostArgs => ({
    keysets, kongSources: ["172.30.10.0/24"], docker: { subnet: "172.30.10.0/24", publicPort: 19443 },
});

interface Run {
    mocks: Recorded;
    outputs: { publicJwks: Record<string, { keys: { kid: string }[] }>; activeKids: Record<string, string>; privateJwks: Record<string, { keys: { kid: string }[] }> };
}

/** kid -> "keyset/generation", learned from every run (kids differ per test process). */
const kidLabels = new Map<string, string>();

async function run(args: KongSigningKeyHostArgs): Promise<Run> {
    const { host, mocks } = await buildUnderMocks("kong-keys", args);
    const publicJwks = await valueOf(host.publicJwks);
    for (const [name, keyset] of Object.entries(args.keysets)) {
        publicJwks[name].keys.forEach((k, i) => kidLabels.set(k.kid, `${name}/${keyset.generations[i]}`));
    }
    expect(await isSecret(host.publicJwks)).toBe(false);
    expect(await isSecret(host.activeKids)).toBe(false);
    return { mocks, outputs: { publicJwks, activeKids: await valueOf(host.activeKids), privateJwks: await valueOf(host.privateJwks) } };
}

const label = (kid: string) => kidLabels.get(kid) ?? kid;
const preview = (a: Run, b: Run) => renderPreview(planBetween(a.mocks, b.mocks),
    { publicJwks: a.outputs.publicJwks, activeKids: a.outputs.activeKids }, { publicJwks: b.outputs.publicJwks, activeKids: b.outputs.activeKids }, label);

describe("rotation plans (pre-publish -> promote -> retire), compared by URN", () => {
    it("each step adds, moves or removes one key and replaces only the key host", async () => {
        const base = await run(stack({ access: { generations: ["2026-11"] }, channel }));
        const prePublish = await run(stack({ access: { generations: ["2026-11", "2026-12"], active: "2026-11" }, channel }));
        const promote = await run(stack({ access: { generations: ["2026-11", "2026-12"], active: "2026-12" }, channel }));
        const retire = await run(stack({ access: { generations: ["2026-12"] }, channel }));

        const step1 = planBetween(base.mocks, prePublish.mocks);
        const step2 = planBetween(prePublish.mocks, promote.mocks);
        const step3 = planBetween(promote.mocks, retire.mocks);
        expect(summary(step1)).toEqual(["create kong-keys-signing-key-access.2026-12", "replace kong-keys-host [uploads]"]);
        expect(summary(step2)).toEqual(["replace kong-keys-host [uploads]"]);
        expect(summary(step3)).toEqual(["delete kong-keys-signing-key-access.2026-11", "replace kong-keys-host [uploads]"]);
        for (const step of [step1, step2, step3]) {
            // CA, certificates, networks, the other keyset and the public-port proxy keep names and inputs.
            for (const name of ["kong-keys-ca-cert", "kong-keys-server-cert", "kong-keys-kong-net", "kong-keys-public-net", "kong-keys-public-link", "kong-keys-public-proxy", "kong-keys-signing-key-channel.2026-11"]) {
                expect(step.find((e) => e.name === name)?.op, name).toBe("same");
            }
        }
        expect(counts(step1)).toMatchObject({ create: 1, replace: 1, delete: 0, update: 0 });

        // What a reviewer sees in the outputs.
        const kids = (r: Run, keyset: string) => r.outputs.publicJwks[keyset].keys.map((k) => label(k.kid));
        expect(kids(prePublish, "access")).toEqual(["access/2026-11", "access/2026-12"]);
        expect(label(prePublish.outputs.activeKids.access)).toBe("access/2026-11");
        expect(prePublish.outputs.privateJwks).toEqual(base.outputs.privateJwks); // pre-publish signs with nothing new
        expect(label(promote.outputs.activeKids.access)).toBe("access/2026-12");
        expect(promote.outputs.publicJwks).toEqual(prePublish.outputs.publicJwks);
        expect(kids(retire, "access")).toEqual(["access/2026-12"]);
        expect(retire.outputs.activeKids).toEqual(promote.outputs.activeKids);
        expect(retire.outputs.publicJwks.channel).toEqual(base.outputs.publicJwks.channel);

        const text = [
            "# Step 1 - pre-publish: generations [\"2026-11\", \"2026-12\"], active \"2026-11\"", preview(base, prePublish), "",
            "# Step 2 - promote: active \"2026-12\"", preview(prePublish, promote), "",
            "# Step 3 - retire: generations [\"2026-12\"]", preview(promote, retire), "",
        ].join("\n");
        console.log(text);
        await expect(text).toMatchFileSnapshot("./golden/rotation-preview.txt");
        // The README's runbook quotes this run, so it cannot drift from the component.
        expect(fs.readFileSync(path.resolve(__dirname, "..", "README.md"), "utf8")).toContain(text.trim());
    });

    it("rotates two keysets in one step", async () => {
        const base = await run(stack({ access: { generations: ["2026-11"] }, channel }));
        const both = await run(stack({
            access: { generations: ["2026-11", "2026-12"], active: "2026-11" },
            channel: { ...channel, generations: ["2026-11", "2026-12"], active: "2026-11" },
        }));
        expect(summary(planBetween(base.mocks, both.mocks))).toEqual([
            "create kong-keys-signing-key-access.2026-12", "create kong-keys-signing-key-channel.2026-12", "replace kong-keys-host [uploads]"]);
        expect(both.outputs.activeKids).toEqual(base.outputs.activeKids);
    });

    it("adds and removes a whole keyset without touching the public-port proxy", async () => {
        const base = await run(stack({ access: { generations: ["2026-11"] }, channel }));
        const added = await run(stack({ access: { generations: ["2026-11"] }, channel, partner: { algorithm: SigningAlgorithm.EdDSA, generations: ["2026-11"] } }));
        expect(summary(planBetween(base.mocks, added.mocks))).toEqual(["create kong-keys-signing-key-partner.2026-11", "replace kong-keys-host [uploads]"]);
        const removed = await run(stack({ access: { generations: ["2026-11"] } }));
        const plan = planBetween(base.mocks, removed.mocks);
        expect(summary(plan)).toEqual(["delete kong-keys-signing-key-channel.2026-11", "replace kong-keys-host [uploads]"]);
        expect(plan.find((e) => e.name === "kong-keys-public-proxy")?.op).toBe("same");
        expect(Object.keys(removed.outputs.publicJwks)).toEqual(["access"]);
    });

    it("sees a change that is not a rotation as one (the plan can fail)", async () => {
        const base = await run(stack({ access: { generations: ["2026-11"] }, channel }));
        const moved = await run({ ...stack({ access: { generations: ["2026-11"] }, channel }), hostname: "keys2" });
        const plan = planBetween(base.mocks, moved.mocks);
        expect(plan.find((e) => e.name === "kong-keys-server-csr")?.op).toBe("replace");
        expect(plan.find((e) => e.name === "kong-keys-public-proxy")?.op).toBe("replace");
    });
});
