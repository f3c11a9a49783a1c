import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KongSigningKeyHostArgs, type KeysetArgs, SigningAlgorithm } from "../components/args";
import { buildUnderMocks, containerOf, type Recorded } from "./support/component";
import { buildClientImage, runClient, startLoopClient } from "./support/docker/clients";
import { cleanupRun, requireTestImage, sleep } from "./support/docker/engine";
import { deployDeclared, type DeployedKeyHost } from "./support/docker/keyHost";
import { createDeclaredContainer, removeDeclaredContainer } from "./support/docker/providerCreate";
import { freePort } from "./support/hostNginx";
import { httpsRequest } from "./support/https";
import { valueOf } from "./support/outputs";
import { planBetween, summary } from "./support/plan";

// A real rotation: each step's plan is applied to the engine the way `pulumi up` applies a replace
// (create the new key host and wait until healthy, then stop and remove the old one), while a
// Kong-like and an upstream-like client request continuously on the network and this host requests
// the published public port.
const runId = `rr${randomBytes(3).toString("hex")}`;
const SUBNET = "172.16.203.0/24";
const KONG_IP = "172.16.203.10";
const UPSTREAM_IP = "172.16.203.20";
const CHECK_IP = "172.16.203.30";

let publicPort: number;
const argsFor = (access: KeysetArgs): KongSigningKeyHostArgs => ({
    keysets: { access, channel: { algorithm: SigningAlgorithm.ES256, generations: ["2026-11"] } },
    kongSources: [KONG_IP], docker: { subnet: SUBNET, publicPort },
});

let deployed: DeployedKeyHost;
let current: Recorded;
let ca: string;
let urls: { private: string; public: string };

beforeAll(async () => {
    await requireTestImage();
    buildClientImage();
    publicPort = await freePort();
    const { host, mocks } = await buildUnderMocks("kong-keys", argsFor({ generations: ["2026-11"] }));
    current = mocks;
    ca = await valueOf(host.caCertPem);
    urls = { private: (await valueOf(host.privateKeysetUrls)).access, public: (await valueOf(host.publicJwksUrls)).access };
    deployed = await deployDeclared(mocks, runId);
}, 180_000);

afterAll(async () => { await cleanupRun(runId); }, 120_000);

/** Applies one step's plan to the engine; only the key host may be replaced. Returns the plan summary. */
async function applyStep(access: KeysetArgs): Promise<{ plan: string[]; kids: Record<string, string>; overlapMs: number }> {
    const { host, mocks } = await buildUnderMocks("kong-keys", argsFor(access));
    const plan = planBetween(current, mocks);
    for (const entry of plan.filter((e) => e.op !== "same")) {
        const engineSide = entry.type.startsWith("docker:");
        if (engineSide && !(entry.op === "replace" && entry.name === "kong-keys-host")) throw new Error(`unexpected engine change: ${entry.op} ${entry.name}`);
    }
    const started = Date.now();
    const next = await createDeclaredContainer(containerOf(mocks), runId, deployed.networks); // waits until healthy
    const overlapMs = Date.now() - started;
    await removeDeclaredContainer(deployed.host);
    deployed = { ...deployed, host: next };
    current = mocks;
    return { plan: summary(plan), kids: await valueOf(host.activeKids), overlapMs };
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

describe("a real rotation on the local Docker engine", () => {
    it("pre-publish, promote, retire with clients requesting throughout: no failed request", async () => {
        const kong = await startLoopClient({ runId, network: deployed.kongNetwork, ip: KONG_IP, spec: { role: "kong", url: urls.private, ca, intervalMs: 100 } });
        const upstream = await startLoopClient({ runId, network: deployed.kongNetwork, ip: UPSTREAM_IP, spec: { role: "upstream", url: urls.public, ca, intervalMs: 100 } });
        const published = publishedLoop();
        await sleep(1500);
        const firstKid = (await kong.events())[0].kid as string;

        const step1 = await applyStep({ generations: ["2026-11", "2026-12"], active: "2026-11" });
        await sleep(1500);
        const step2 = await applyStep({ generations: ["2026-11", "2026-12"], active: "2026-12" });
        await sleep(1500);
        const kongEvents = await kong.events();
        const tokenOld = kongEvents.find((e) => e.kid === firstKid)!.token as string;
        const tokenNew = kongEvents.find((e) => e.kid === step2.kids.access)?.token as string;
        expect(tokenNew, "Kong saw the promoted key").toBeTruthy();
        const afterPromote = await runClient({ runId, network: deployed.kongNetwork, ip: CHECK_IP, spec: { mode: "upstream", publicUrl: urls.public, ca, tokens: [tokenOld, tokenNew] } });
        const step3 = await applyStep({ generations: ["2026-12"] });
        await sleep(1500);
        const afterRetire = await runClient({ runId, network: deployed.kongNetwork, ip: CHECK_IP, spec: { mode: "upstream", publicUrl: urls.public, ca, tokens: [tokenOld, tokenNew] } });
        const dns = await runClient({ runId, network: deployed.kongNetwork, ip: CHECK_IP, spec: { mode: "dns", name: "kong-keys" } });

        const kongSummary = await kong.stop();
        const upstreamSummary = await upstream.stop();
        const publishedSummary = await published.stop();
        const report = {
            plans: { prePublish: step1.plan, promote: step2.plan, retire: step3.plan },
            overlapMs: [step1.overlapMs, step2.overlapMs, step3.overlapMs],
            kong: { total: kongSummary.total, failed: kongSummary.failures.length, failures: kongSummary.failures.slice(0, 5) },
            upstream: { total: upstreamSummary.total, failed: upstreamSummary.failures.length, failures: upstreamSummary.failures.slice(0, 5) },
            publishedPort: { total: publishedSummary.total, failed: publishedSummary.failures.length, failures: publishedSummary.failures.slice(0, 5) },
            dockerDnsTtl: dns.answers?.map((a: { ttl: number }) => a.ttl),
        };
        console.log(`real rotation: ${JSON.stringify(report, null, 2)}`);

        expect(step1.plan).toEqual(["create kong-keys-signing-key-access.2026-12", "replace kong-keys-host [uploads]"]);
        expect(step2.plan).toEqual(["replace kong-keys-host [uploads]"]);
        expect(step3.plan).toEqual(["delete kong-keys-signing-key-access.2026-11", "replace kong-keys-host [uploads]"]);
        // Kong signed with the old key until the promotion, then with the new one.
        expect(kongSummary.kids).toEqual([firstKid, step2.kids.access]);
        expect(step1.kids.access).toBe(firstKid);
        // Upstreams saw the new key before Kong could sign with it (pre-publish).
        expect(upstreamSummary.kids).toEqual([firstKid, step2.kids.access]);
        expect(afterPromote.verified.map((v: { ok: boolean }) => v.ok)).toEqual([true, true]);
        expect(afterRetire.verified[0]).toMatchObject({ ok: false, error: "ERR_JWKS_NO_MATCHING_KEY" });
        expect(afterRetire.verified[1]).toMatchObject({ ok: true });
        for (const side of [kongSummary, upstreamSummary, publishedSummary]) expect(side.total).toBeGreaterThan(100);
        expect(report.kong.failed + report.upstream.failed + report.publishedPort.failed).toBe(0);
    }, 300_000);
});
