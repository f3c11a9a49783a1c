import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildClientImage, runClient, startLoopClient } from "../support/docker/clients";
import { cleanupRun, requireTestImage, sleep, TEST_IMAGE } from "../support/docker/engine";
import { deploymentOf } from "../support/engine/deployment";
import { ExampleStack, type PreviewJson, urnName } from "../support/engine/exampleStack";
import { freePort } from "../support/hostNginx";
import { httpsRequest } from "../support/https";

// Rotation as users do it: change the example stack's config, read `pulumi preview --diff`, run
// `pulumi up` — on the real engine and providers, while a Kong-like and an upstream-like client request
// continuously on the network and this host requests the published public port. The whole subnet is
// allowed here, so the Docker host (the network's gateway, inside it) must still be refused.
const runId = `rt${randomBytes(3).toString("hex")}`;
const SUBNET = "172.16.203.0/24";
const KONG_IP = "172.16.203.10";
const UPSTREAM_IP = "172.16.203.20";
const CHECK_IP = "172.16.203.30";

const stack = new ExampleStack(runId);
let publicPort: number;
let kongNetwork: string;
let ca: string;
let urls: { private: string; public: string };

beforeAll(async () => {
    await requireTestImage();
    buildClientImage();
    publicPort = await freePort();
    await stack.init({
        kongSources: [SUBNET], subnet: SUBNET, publicPort, image: TEST_IMAGE,
        accessGenerations: ["2026-11"], channelGenerations: ["2026-11"],
    });
    await stack.up();
    const out = await stack.outputs();
    kongNetwork = out.kongNetworkNames[0];
    ca = out.caCertPem;
    urls = { private: out.privateKeysetUrls.access, public: out.publicJwksUrls.access };
}, 600_000);

afterAll(async () => {
    await cleanupRun(runId);
    await stack.destroy();
    stack.removeFolder();
}, 300_000);

/** kid -> "keyset/generation", from the public JWKS outputs seen so far. */
const kidLabels = new Map<string, string>();
async function learnKids(generations: Record<string, string[]>): Promise<Record<string, any>> {
    const out = await stack.outputs();
    for (const [keyset, gens] of Object.entries(generations)) {
        out.publicJwks[keyset].keys.forEach((k: { kid: string }, i: number) => kidLabels.set(k.kid, `${keyset}/${gens[i]}`));
    }
    return out;
}

/** The engine's plan in one line per changed resource: "op name [reasons]". */
function planSummary(preview: PreviewJson): string[] {
    return preview.steps.filter((s) => s.op !== "same")
        .map((s) => `${s.op} ${urnName(s.urn)}${s.diffReasons?.length ? ` [${s.diffReasons.join(", ")}]` : ""}`);
}

/**
 * `pulumi preview --diff` as a reviewer reads it, made stable: no URNs, ids or provider references,
 * the random suffixes of auto-named containers replaced, kids replaced by keyset/generation.
 */
function normalizePreview(text: string): string {
    let out = text.split("\n")
        .filter((l) => !/^\s*\[(id|provider)=/.test(l) && l.trim() !== "" && !/^Previewing update|^\s*View in Browser/.test(l))
        .map((l) => l.replace(/\[urn=urn:pulumi:[^\]]*::([^:\]]+)\]/, "[urn=…::$1]"))
        .join("\n")
        .replace(/(kong-keys-[a-z-]+)-[0-9a-f]{7}\b/g, "$1-<random>")
        // Public key material differs every run (the display may also cut it short with "...").
        .split("\n").map((l) => (/^\s*[~+-]?\s*(n|x|y)\s*:/.test(l) ? l.replace(/"[A-Za-z0-9_-]{16,}(\.\.\.)?"/g, '"…"') : l)).join("\n");
    for (const [kid, label] of kidLabels) out = out.split(kid).join(`<${label}>`);
    return out;
}

function publishedLoop() {
    let stop = false;
    const result = { total: 0, failures: [] as { t: number; error?: string; status?: number }[] };
    const started = Date.now();
    const done = (async () => {
        while (!stop) {
            const t = Date.now() - started;
            try {
                const { status } = await httpsRequest({ port: publicPort, path: "/public/access/jwks.json", ca, servername: "kong-keys" });
                result.total += 1;
                if (status !== 200) result.failures.push({ t, status });
            } catch (e) {
                result.total += 1;
                result.failures.push({ t, error: (e as NodeJS.ErrnoException).code ?? String(e) });
            }
            await sleep(100);
        }
        return result;
    })();
    return { stop: async () => { stop = true; return done; } };
}

interface Step { title: string; config: Record<string, unknown>; generations: string[] }
const STEPS: Step[] = [
    { title: "Step 1 - pre-publish: accessGenerations [\"2026-11\", \"2026-12\"], accessActive \"2026-11\"", config: { accessGenerations: ["2026-11", "2026-12"], accessActive: "2026-11" }, generations: ["2026-11", "2026-12"] },
    { title: "Step 2 - promote: accessActive \"2026-12\"", config: { accessActive: "2026-12" }, generations: ["2026-11", "2026-12"] },
    { title: "Step 3 - retire: accessGenerations [\"2026-12\"], accessActive unset", config: { accessGenerations: ["2026-12"], accessActive: undefined }, generations: ["2026-12"] },
];

describe("rotation on the real engine (pre-publish -> promote -> retire)", () => {
    it("previews each step as one small diff, then applies it with clients requesting throughout: no failed request", async () => {
        const base = await learnKids({ access: ["2026-11"], channel: ["2026-11"] });
        const firstKid = base.activeKids.access as string;
        const kong = await startLoopClient({ runId, network: kongNetwork, ip: KONG_IP, spec: { role: "kong", url: urls.private, ca, intervalMs: 100 } });
        const upstream = await startLoopClient({ runId, network: kongNetwork, ip: UPSTREAM_IP, spec: { role: "upstream", url: urls.public, ca, intervalMs: 100 } });
        const published = publishedLoop();
        await sleep(1500);

        const plans: string[][] = [];
        const previews: string[] = [];
        const upSeconds: number[] = [];
        const outputs: Record<string, any>[] = [];
        let tokenOld = "";
        for (const step of STEPS) {
            await stack.setConfig(step.config);
            plans.push(planSummary(await stack.previewJson()));
            const text = await stack.previewText();
            const started = Date.now();
            await stack.up();
            upSeconds.push((Date.now() - started) / 1000);
            outputs.push(await learnKids({ access: step.generations, channel: ["2026-11"] }));
            previews.push(`# ${step.title}\n${normalizePreview(text)}`);
            await sleep(1500);
            if (step === STEPS[1]) tokenOld = (await kong.events()).find((e) => e.kid === firstKid)!.token as string;
        }
        const [prePublish, promote, retire] = outputs;
        const kongEvents = await kong.events();
        const tokenNew = kongEvents.find((e) => e.kid === promote.activeKids.access)?.token as string;
        const afterRetire = await runClient({ runId, network: kongNetwork, ip: CHECK_IP, spec: { mode: "upstream", publicUrl: urls.public, ca, tokens: [tokenOld, tokenNew] } });
        const kongSummary = await kong.stop();
        const upstreamSummary = await upstream.stop();
        const publishedSummary = await published.stop();
        const report = {
            plans, upSeconds,
            kong: { total: kongSummary.total, failed: kongSummary.failures.length, failures: kongSummary.failures.slice(0, 5) },
            upstream: { total: upstreamSummary.total, failed: upstreamSummary.failures.length, failures: upstreamSummary.failures.slice(0, 5) },
            publishedPort: { total: publishedSummary.total, failed: publishedSummary.failures.length, failures: publishedSummary.failures.slice(0, 5) },
        };
        console.log(`rotation on the real engine: ${JSON.stringify(report, null, 2)}`);

        // The engine's plans: each step creates, moves or deletes one key and replaces only the key host
        // (its uploads, and the labels that state them in clear); the CA, certificates, networks, the
        // channel keyset and the proxy stay as they are.
        expect(plans).toEqual([
            ["create kong-keys-signing-key-access.2026-12", "replace kong-keys-host [labels, uploads]"],
            ["replace kong-keys-host [labels, uploads]"],
            ["replace kong-keys-host [labels, uploads]", "delete kong-keys-signing-key-access.2026-11"],
        ]);
        // What each step changes is readable in the diff itself, next to the secret uploads: the key
        // host's label for the keyset leaves with its old value and comes back with the new one.
        const labelChange = (preview: string, before: string, after: string) => {
            expect(preview).toMatch(new RegExp(`- +value *: "${before}"`));
            expect(preview).toMatch(new RegExp(`\\+ +value *: "${after}"`));
        };
        labelChange(previews[0], "published 2026-11; active 2026-11", "published 2026-11,2026-12; active 2026-11");
        labelChange(previews[1], "published 2026-11,2026-12; active 2026-11", "published 2026-11,2026-12; active 2026-12");
        labelChange(previews[2], "published 2026-11,2026-12; active 2026-12", "published 2026-12; active 2026-12");
        for (const preview of previews) expect(preview).not.toMatch(/PRIVATE KEY|"d"\s*:|BEGIN CERTIFICATE/);

        // Outputs a reviewer reads: pre-publish adds a public key, promote moves the active kid, retire drops the old key.
        const labels = (o: Record<string, any>) => o.publicJwks.access.keys.map((k: { kid: string }) => kidLabels.get(k.kid));
        expect(labels(prePublish)).toEqual(["access/2026-11", "access/2026-12"]);
        expect(kidLabels.get(prePublish.activeKids.access)).toBe("access/2026-11");
        expect(kidLabels.get(promote.activeKids.access)).toBe("access/2026-12");
        expect(labels(retire)).toEqual(["access/2026-12"]);
        expect(retire.publicJwks.channel).toEqual(base.publicJwks.channel);
        expect(retire.caCertPem).toBe(base.caCertPem);

        // Kong signed with the old key until the promotion, then with the new one; upstreams had it first.
        expect(kongSummary.kids).toEqual([firstKid, promote.activeKids.access]);
        expect(upstreamSummary.kids).toEqual([firstKid, promote.activeKids.access]);
        expect(afterRetire.verified[0]).toMatchObject({ ok: false, error: "ERR_JWKS_NO_MATCHING_KEY" });
        expect(afterRetire.verified[1]).toMatchObject({ ok: true });
        for (const side of [kongSummary, upstreamSummary, publishedSummary]) expect(side.total).toBeGreaterThan(100);
        expect(report.kong.failed + report.upstream.failed + report.publishedPort.failed).toBe(0);

        // The README's runbook quotes these real previews.
        const text = previews.join("\n\n") + "\n";
        console.log(text);
        await expect(text).toMatchFileSnapshot("../golden/rotation-preview.txt");
        expect(fs.readFileSync(path.resolve(__dirname, "..", "..", "README.md"), "utf8")).toContain(text.trim());
    }, 600_000);

    it("issues a new server certificate with the published port up throughout: the proxy stays the same container", async () => {
        const before = await deploymentOf(stack, kongNetwork);
        const fingerprint = async () => (await httpsRequest({ port: publicPort, path: "/public/access/jwks.json", ca, servername: "kong-keys" })).serverCertFingerprint;
        const certBefore = await fingerprint();
        // A changed validity makes the tls provider issue a new certificate, as a renewal does.
        await stack.setConfig({ certValidityHours: 2000 });
        const plan = planSummary(await stack.previewJson());
        const published = publishedLoop();
        await sleep(1000);
        const started = Date.now();
        await stack.up();
        const upSeconds = (Date.now() - started) / 1000;
        await sleep(1500);
        const result = await published.stop();
        const after = await deploymentOf(stack, kongNetwork);
        console.log(`certificate renewal: ${JSON.stringify({ plan, upSeconds, published: { total: result.total, failed: result.failures.length } })}`);
        expect(plan).toEqual(["replace kong-keys-server-cert [validityPeriodHours]", "replace kong-keys-host [uploads]"]);
        expect(after.host.id).not.toBe(before.host.id);
        expect(after.proxy!.id).toBe(before.proxy!.id);
        expect(await fingerprint()).not.toBe(certBefore); // upstreams see the key host's new certificate through the proxy
        expect(result.total).toBeGreaterThan(20); // requests every 100 ms throughout the up
        expect(result.failures).toEqual([]);
    }, 300_000);

    it("previews two keysets rotating in one step, and a hostname change as more than a rotation", async () => {
        await stack.setConfig({ accessGenerations: ["2026-12", "2027-01"], accessActive: "2026-12", channelGenerations: ["2026-11", "2026-12"], channelActive: "2026-11" });
        const both = planSummary(await stack.previewJson());
        expect(both.filter((l) => l.startsWith("create kong-keys-signing-key")).sort()).toEqual([
            "create kong-keys-signing-key-access.2027-01", "create kong-keys-signing-key-channel.2026-12"]);
        expect(both.every((l) => l.includes("signing-key") || l.includes("kong-keys-host "))).toBe(true);
        await stack.setConfig({ accessGenerations: ["2026-12"], accessActive: undefined, channelGenerations: ["2026-11"], channelActive: undefined, hostname: "keys2" });
        const moved = planSummary(await stack.previewJson());
        expect(moved.some((l) => l.includes("kong-keys-server-csr"))).toBe(true);
        expect(moved.some((l) => l.includes("kong-keys-public-proxy"))).toBe(true);
        await stack.setConfig({ hostname: undefined });
    }, 300_000);

    it("refuses the Docker host, which reaches the network as its gateway inside the allowed subnet", async () => {
        const deployed = await deploymentOf(stack, kongNetwork);
        const res = await httpsRequest({ host: deployed.address, port: 8443, path: "/private/access/jwks.json", ca, servername: "kong-keys" });
        expect(res.status).toBe(403);
        expect(res.body).not.toMatch(/"d"\s*:/);
        const kong = await runClient({ runId, network: kongNetwork, ip: "172.16.203.77", spec: { mode: "kong", privateUrl: urls.private, ca } });
        expect(kong).toMatchObject({ status: 200, hasPrivate: true });
    }, 120_000);
});
