import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildUnderMocks } from "./support/component";
import { buildClientImage, runClient } from "./support/docker/clients";
import { cleanupRun, requireTestImage } from "./support/docker/engine";
import { deployDeclared, type DeployedKeyHost } from "./support/docker/keyHost";
import { httpsRequest } from "./support/https";
import { valueOf } from "./support/outputs";

// Defaults (no Kong auth, nothing published) with the whole dedicated subnet allowed: the gateway —
// the Docker host itself — lies inside it and must still be refused.
const runId = `rdd${randomBytes(3).toString("hex")}`;
const SUBNET = "172.16.202.0/24";
let deployed: DeployedKeyHost;
let ca: string;
let privateUrl: string;
let publicUrl: string;

beforeAll(async () => {
    await requireTestImage();
    buildClientImage();
    const { host, mocks } = await buildUnderMocks("kong-keys", {
        keysets: { access: { generations: ["2026-11"] } }, kongSources: [SUBNET], docker: { subnet: SUBNET },
    });
    ca = await valueOf(host.caCertPem);
    privateUrl = (await valueOf(host.privateKeysetUrls)).access;
    publicUrl = (await valueOf(host.publicJwksUrls)).access;
    deployed = await deployDeclared(mocks, runId);
}, 180_000);

afterAll(async () => { await cleanupRun(runId); }, 120_000);

describe("defaults on a real engine, whole subnet allowed", () => {
    it("serves Kong anywhere in the subnet with no extra credentials", async () => {
        const kong = await runClient({ runId, network: deployed.kongNetwork, ip: "172.16.202.77", spec: { mode: "kong", privateUrl, ca } });
        expect(kong).toMatchObject({ status: 200, hasPrivate: true });
        const upstream = await runClient({ runId, network: deployed.kongNetwork, ip: "172.16.202.78", spec: { mode: "upstream", publicUrl, ca, tokens: [kong.token] } });
        expect(upstream.verified[0]).toMatchObject({ ok: true });
    });

    it("refuses the Docker host, which reaches the network as its gateway", async () => {
        const res = await httpsRequest({ host: deployed.address, port: 8443, path: "/private/access/jwks.json", ca, servername: "kong-keys" });
        expect(res.status).toBe(403);
        expect(res.body).not.toMatch(/"d"\s*:/);
        const inspect = await deployed.host.container.inspect();
        expect(inspect.NetworkSettings.Ports).toEqual({}); // nothing published by default
    });
});
