import { createHash, randomBytes } from "node:crypto";
import * as tar from "tar-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KongSigningKeyHostArgs, SigningAlgorithm } from "../components/args";
import { files } from "../components/layout";
import { buildUnderMocks, containerOf, type Recorded } from "./support/component";
import { RUN_LABEL, cleanupRun, containerLogs, demuxLogs, docker, requireTestImage, sleep } from "./support/docker/engine";
import { httpsRequest } from "./support/https";
import { buildClientImage, runClient } from "./support/docker/clients";
import { deployDeclared, type DeployedKeyHost } from "./support/docker/keyHost";
import { createDeclaredContainer, waitHealthy } from "./support/docker/providerCreate";
import { freePort } from "./support/hostNginx";
import { isSecret, valueOf } from "./support/outputs";
import { makeTlsFixture } from "./support/tlsFixtures";
import { credentialAttacks, outsiderAttacks } from "./docker/attacks";

// One run id labels everything this file creates; afterAll removes it all, also after failures.
// Fixed test subnets come from 172.16.0.0/16, which Docker's default address pools never hand out, so
// they cannot collide with the auto-assigned subnets of other networks (the publish network's).
const runId = `rd${randomBytes(3).toString("hex")}`;
const SUBNET = "172.16.201.0/24";
const KONG_IP = "172.16.201.10";
const UPSTREAM_IP = "172.16.201.20";
const ATTACKER_IP = "172.16.201.30";
const PASSWORD = randomBytes(18).toString("base64url");

let recorded: Recorded;
let deployed: DeployedKeyHost;
let publicPort: number;
let outputs: {
    ca: string; privateUrls: Record<string, string>; publicUrls: Record<string, string>; activeKids: Record<string, string>;
    clientCert: string; clientKey: string; hostname: string;
};

const kongSpec = (keyset: string, extra: Record<string, unknown> = {}) => ({
    mode: "kong", privateUrl: outputs.privateUrls[keyset], ca: outputs.ca, cert: outputs.clientCert, key: outputs.clientKey,
    headers: { authorization: `Basic ${Buffer.from(`kong:${PASSWORD}`).toString("base64")}` }, ...extra,
});

beforeAll(async () => {
    await requireTestImage();
    buildClientImage();
    publicPort = await freePort();
    const args: KongSigningKeyHostArgs = {
        keysets: {
            access: { algorithm: SigningAlgorithm.RS256, generations: ["2026-11", "2026-12"], active: "2026-11" },
            channel: { algorithm: SigningAlgorithm.ES256, generations: ["2026-11"] },
        },
        kongSources: [KONG_IP],
        kongAuth: { clientCertificate: true, basicAuth: { username: "kong", password: PASSWORD } },
        docker: { subnet: SUBNET, publicPort },
    };
    const built = await buildUnderMocks("kong-keys", args);
    recorded = built.mocks;
    const h = built.host;
    outputs = {
        ca: await valueOf(h.caCertPem), privateUrls: await valueOf(h.privateKeysetUrls), publicUrls: await valueOf(h.publicJwksUrls),
        activeKids: await valueOf(h.activeKids), clientCert: (await valueOf(h.kongClientCertPem))!, clientKey: (await valueOf(h.kongClientKeyPem))!,
        hostname: await valueOf(h.hostname),
    };
    expect(await isSecret(h.kongClientKeyPem)).toBe(true);
    deployed = await deployDeclared(recorded, runId);
}, 180_000);

afterAll(async () => {
    await cleanupRun(runId);
}, 120_000);

describe("the declared key host on a real Docker engine", () => {
    it("gives a Kong-like client (allowed address, client certificate, Basic auth) the private keyset to sign with", async () => {
        for (const keyset of ["access", "channel"]) {
            const kong = await runClient({ runId, network: deployed.kongNetwork, ip: KONG_IP, spec: kongSpec(keyset) });
            expect(kong).toMatchObject({ status: 200, contentType: "application/jwk-set+json", keys: 1, hasPrivate: true, kid: outputs.activeKids[keyset] });
        }
    });

    it("lets an upstream-like client verify Kong's token by the public JWKS URL, and refuses it the private keyset", async () => {
        const kong = await runClient({ runId, network: deployed.kongNetwork, ip: KONG_IP, spec: kongSpec("access") });
        const upstream = await runClient({
            runId, network: deployed.kongNetwork, ip: UPSTREAM_IP,
            spec: { mode: "upstream", publicUrl: outputs.publicUrls.access, privateUrl: outputs.privateUrls.access, ca: outputs.ca, tokens: [kong.token] },
        });
        expect(upstream.verified).toEqual([{ ok: true, sub: "kong-test", kid: outputs.activeKids.access }]);
        expect(upstream).toMatchObject({ publicStatus: 200, publicHasPrivate: false, privateStatus: 403, privateLeak: false });
    });

    it("leaks no private key to any of the attack matrix's requests", async () => {
        const foreign = makeTlsFixture(["intruder"]);
        const context = {
            hostname: outputs.hostname, kongPort: 8443, publicPort: 9443, keyset: "access", kongAddress: KONG_IP,
            kongCert: { cert: outputs.clientCert, key: outputs.clientKey },
            foreignCert: { cert: foreign.serverCertPem, key: foreign.serverKeyPem },
            basicAuth: { username: "kong", password: PASSWORD },
        };
        const outsider = outsiderAttacks(context);
        const credential = credentialAttacks(context);
        const fromOutsider = await runClient<{ results: { name: string; status?: number; leak: boolean; error?: string }[] }>({
            runId, network: deployed.kongNetwork, ip: ATTACKER_IP, timeoutMs: 180_000,
            spec: { mode: "attack", host: deployed.address, servername: outputs.hostname, ca: outputs.ca, attacks: outsider },
        });
        const fromKongAddress = await runClient<{ results: { name: string; status?: number; leak: boolean; error?: string }[] }>({
            runId, network: deployed.kongNetwork, ip: KONG_IP, timeoutMs: 120_000,
            spec: { mode: "attack", host: deployed.address, servername: outputs.hostname, ca: outputs.ca, attacks: credential },
        });
        // The host-published port, from this host: Docker's proxy shows the gateway as the client.
        const published = await Promise.all(["/private/access/jwks.json", "//private/access/jwks.json", "/public/../private/access/jwks.json"].map(async (path) => {
            const res = await hostGet(publicPort, path);
            return { name: `published port: ${path}`, status: res.status, leak: /"d"\s*:/.test(res.body) };
        }));
        // This host straight to the container's address: it arrives as the network's gateway, which is
        // denied before the allowed subnet even though it lies inside it.
        const direct = await hostGet(8443, "/private/access/jwks.json", deployed.address).then(
            (res) => ({ name: "docker host via gateway", status: res.status, leak: /"d"\s*:/.test(res.body) }),
            (e: Error) => ({ name: "docker host via gateway", status: undefined, leak: false, error: e.message }));
        const results = [...fromOutsider.results, ...fromKongAddress.results, ...published, direct];
        const leaks = results.filter((r) => r.leak);
        console.log(`attack matrix: ${results.length} requests, ${leaks.length} leaks`);
        console.table(results.map((r) => ({ attack: r.name, status: r.status ?? "-", error: (r as { error?: string }).error ?? "", leak: r.leak })));
        expect(results.length).toBeGreaterThanOrEqual(40);
        expect(leaks).toEqual([]);
        // The matrix can fail: the same client from Kong's address with the right credentials gets the key.
        const control = await runClient({ runId, network: deployed.kongNetwork, ip: KONG_IP, spec: kongSpec("access") });
        expect(control.hasPrivate).toBe(true);
        // Expected refusals, not accidents: outsiders get 403 on the plain path, wrong credentials 400/401/403.
        const byName = Object.fromEntries(results.map((r) => [r.name, r]));
        expect(byName["path: plain"].status).toBe(403);
        expect(byName["method: POST"].status).toBe(405);
        expect(byName["listener: public-only port"].status).toBe(404);
        expect(byName["basic: wrong password"].status).toBe(401);
        expect(byName["mtls: no client certificate"].status).toBe(403);
        expect(byName["mtls: certificate from another CA"].status).toBe(400);
        expect(byName["tls: TLS 1.0"].status).toBeUndefined();
        expect(byName["published port: /private/access/jwks.json"].status).toBe(404);
        expect([403, undefined]).toContain(byName["docker host via gateway"].status);
    }, 300_000);

    it("refuses to create a container with a declared field the harness does not apply", async () => {
        const container = containerOf(recorded);
        const drifted = { ...container, plain: { ...container.plain, privileged: true } };
        await expect(createDeclaredContainer(drifted, runId, deployed.networks)).rejects.toThrow(/harness does not apply Container\.privileged/);
        const mine = await docker().listContainers({ all: true, filters: JSON.stringify({ label: [`${RUN_LABEL}=${runId}`, "io.github.kong-signing-key-host.component=kong-keys"] }) });
        expect(mine).toHaveLength(2); // only the key host and its public-port proxy from beforeAll
    });

    it("serves public keys on the published port to this host", async () => {
        const res = await hostGet(publicPort, "/public/channel/jwks.json");
        expect(res.status).toBe(200);
        expect(JSON.parse(res.body).keys[0].kid).toBe(outputs.activeKids.channel);
    });

    it("runs as a non-root user that cannot change what it serves, without capabilities or new privileges", async () => {
        const c = deployed.host.container;
        const status = await execIn(c, ["curl", "-s", "file:///proc/1/status"]);
        expect(status.stdout).toMatch(/^Uid:\s+101\s+101\s+101\s+101$/m);
        expect(status.stdout).toMatch(/^Gid:\s+101\s+101\s+101\s+101$/m);
        expect(status.stdout).toMatch(/^CapEff:\s+0+$/m);
        expect(status.stdout).toMatch(/^CapBnd:\s+0+$/m);
        expect(status.stdout).toMatch(/^NoNewPrivs:\s+1$/m);
        // Try to overwrite a served file and to add one, as the nginx user.
        const overwrite = await execIn(c, ["curl", "-sS", "-o", files.privateJwks("access"), "file:///proc/1/status"]);
        expect(overwrite.exitCode).not.toBe(0);
        const add = await execIn(c, ["curl", "-sS", "-o", "/etc/kong-keys/private/extra.json", "file:///proc/1/status"]);
        expect(add.exitCode).not.toBe(0);
        // Ownership and modes as uploaded: root-owned, nginx group, private 0440.
        const entries = await archiveEntries(c, "/etc/kong-keys");
        const entry = (path: string) => entries.find((e) => e.name === path.replace(/^\/etc\//, ""));
        expect(entry(files.privateJwks("access"))).toMatchObject({ uid: 0, gid: 101, mode: 0o440 });
        expect(entry(files.serverKey)).toMatchObject({ uid: 0, gid: 101, mode: 0o440 });
        expect(entry(files.publicJwks("access"))).toMatchObject({ uid: 0, gid: 101, mode: 0o444 });
        const inspect = await c.inspect();
        expect(inspect.HostConfig.CapDrop).toEqual(["ALL"]);
        expect(inspect.HostConfig.SecurityOpt).toEqual(["no-new-privileges:true"]);
        expect(inspect.Config.User).toBe("101:101");
        expect(inspect.NetworkSettings.Ports ?? {}).toEqual({}); // the key host publishes nothing
        const proxy = await deployed.proxy!.container.inspect();
        expect(Object.keys(proxy.NetworkSettings.Ports ?? {})).toEqual(["9443/tcp"]);
        expect(proxy.Config.User).toBe("101:101");
        expect(proxy.State.Health?.Status).toBe("healthy");
        expect(inspect.State.Health?.Status).toBe("healthy");
        // And what it served is still what the component declared.
        const kong = await runClient({ runId, network: deployed.kongNetwork, ip: KONG_IP, spec: kongSpec("access") });
        expect(kong.sha256).toBe(sha256(declaredUpload(files.privateJwks("access"))));
    });

    it("comes back after kill -9 of nginx, serving byte-identical keysets", async () => {
        const c = deployed.host.container;
        const before = await c.inspect();
        const kongBefore = await runClient({ runId, network: deployed.kongNetwork, ip: KONG_IP, spec: kongSpec("access") });
        const publicBefore = await hostGet(publicPort, "/public/access/jwks.json");
        process.kill(before.State.Pid, "SIGKILL"); // the nginx master this test's container runs
        const deadline = Date.now() + 60_000;
        let after = await c.inspect();
        while (after.RestartCount === before.RestartCount || !after.State.Running) {
            if (Date.now() > deadline) throw new Error(`not restarted: ${JSON.stringify(after.State)}`);
            await sleep(200);
            after = await c.inspect();
        }
        await waitHealthy(c, 60_000);
        const kongAfter = await runClient({ runId, network: deployed.kongNetwork, ip: KONG_IP, spec: kongSpec("access") });
        const publicAfter = await hostGet(publicPort, "/public/access/jwks.json");
        expect(after.RestartCount).toBe(before.RestartCount + 1);
        expect(after.State.Pid).not.toBe(before.State.Pid);
        expect(kongAfter.status).toBe(200);
        expect(kongAfter.sha256).toBe(kongBefore.sha256);
        expect(sha256(publicAfter.body)).toBe(sha256(publicBefore.body));
    }, 150_000);

    it("logs private fetches (an audit trail) and nothing private", async () => {
        const { stdout, stderr } = await containerLogs(deployed.host.container);
        expect(stdout).toMatch(new RegExp(`${KONG_IP.replace(/\./g, "\\.")} .*"GET /private/access/jwks.json" 200 .* client_cert=SUCCESS user=kong`));
        expect(stdout + stderr).not.toContain(PASSWORD);
        expect(stdout + stderr).not.toMatch(/PRIVATE KEY|"d":/);
    });
});

function declaredUpload(file: string): string {
    const container = containerOf(recorded);
    return (container.plain.uploads as { file: string; content: string }[]).find((u) => u.file === file)!.content;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** A request from this host (the test process), trusting only the component's CA. */
const hostGet = (port: number, path: string, host = "127.0.0.1") => httpsRequest({ host, port, path, ca: outputs.ca, servername: outputs.hostname });

async function execIn(container: import("dockerode").Container, cmd: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({ hijack: true, stdin: false });
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
        stream.on("data", (d: Buffer) => chunks.push(d));
        stream.on("end", () => resolve());
        stream.on("error", reject);
    });
    const { stdout, stderr } = demuxLogs(Buffer.concat(chunks));
    const info = await exec.inspect();
    return { exitCode: info.ExitCode ?? -1, stdout, stderr };
}

async function archiveEntries(container: import("dockerode").Container, path: string): Promise<{ name: string; uid: number; gid: number; mode: number }[]> {
    const stream = await container.getArchive({ path });
    const extract = tar.extract();
    const entries: { name: string; uid: number; gid: number; mode: number }[] = [];
    extract.on("entry", (header, body, next) => {
        entries.push({ name: header.name, uid: header.uid ?? -1, gid: header.gid ?? -1, mode: (header.mode ?? 0) & 0o7777 });
        body.on("end", next);
        body.resume();
    });
    await new Promise<void>((resolve, reject) => {
        extract.on("finish", () => resolve());
        extract.on("error", reject);
        stream.pipe(extract);
    });
    return entries;
}

