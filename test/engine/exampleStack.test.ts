import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { files } from "../../components/layout";
import { credentialAttacks, FORGED_LOG_LINE, outsiderAttacks } from "../docker/attacks";
import { buildClientImage, runClient } from "../support/docker/clients";
import { cleanupRun, containerLogs, docker, requireTestImage, sleep, TEST_IMAGE } from "../support/docker/engine";
import { archiveEntries, execIn, waitHealthy } from "../support/docker/inspect";
import { deploymentOf, type Deployment } from "../support/engine/deployment";
import { ExampleStack } from "../support/engine/exampleStack";
import { freePort } from "../support/hostNginx";
import { type KongOutputs, type MissingPiece, pluginFetchSpec, rotateFetchSpec } from "../support/kongFromOutputs";
import { httpsRequest } from "../support/https";
import { makeTlsFixture } from "../support/tlsFixtures";

// The repository's example stack, run by the real Pulumi engine (CLI, language host, docker and tls
// providers: scripts/engine.sh) on the local Docker engine, then attacked and inspected as deployed.
// Test subnets come from 172.16.0.0/16, which Docker's default address pools never hand out.
const runId = `es${randomBytes(3).toString("hex")}`;
const SUBNET = "172.16.201.0/24";
const KONG_IP = "172.16.201.10";
const UPSTREAM_IP = "172.16.201.20";
const ATTACKER_IP = "172.16.201.30";
// Colons, a hash and a multi-byte character: the password nginx must check byte for byte (htpasswd {SSHA}).
// A leading "-" always (1 in 64 random base64url passwords start with one): `pulumi config set` must take it
// as the value, not as a flag.
const PASSWORD = `-${randomBytes(12).toString("base64url")}:#é:${randomBytes(6).toString("hex")}`;

const stack = new ExampleStack(runId);
let publicPort: number;
let deployed: Deployment;
let upSeconds: number;
let volumesBefore: string[];
let outputs: {
    caCertPem: string; privateKeysetUrls: Record<string, string>; publicJwksUrls: Record<string, string>;
    activeKids: Record<string, string>; kongClientCertPem: string; kongClientKeyPem: string; hostname: string;
    kongNetworkNames: string[]; privateJwks: Record<string, { keys: Record<string, string>[] }>;
} & KongOutputs;

const kongSpec = (keyset: string, extra: Record<string, unknown> = {}) => ({
    mode: "kong", privateUrl: outputs.privateKeysetUrls[keyset], ca: outputs.caCertPem, cert: outputs.kongClientCertPem, key: outputs.kongClientKeyPem,
    headers: { authorization: `Basic ${Buffer.from(`kong:${PASSWORD}`).toString("base64")}` }, ...extra,
});

beforeAll(async () => {
    await requireTestImage();
    buildClientImage();
    publicPort = await freePort();
    volumesBefore = ((await docker().listVolumes()).Volumes ?? []).map((v) => v.Name);
    await stack.init({
        kongSources: [KONG_IP], subnet: SUBNET, publicPort, image: TEST_IMAGE, kongClientCertificate: true,
        accessGenerations: ["2026-11", "2026-12"], accessActive: "2026-11", channelGenerations: ["2026-11"],
    }, { kongBasicAuthPassword: PASSWORD });
    const started = Date.now();
    await stack.up();
    upSeconds = (Date.now() - started) / 1000;
    outputs = await stack.outputs(true) as typeof outputs;
    deployed = await deploymentOf(stack, outputs.kongNetworkNames[0]);
}, 600_000);

afterAll(async () => {
    await cleanupRun(runId); // the client containers
    await stack.destroy(); // a no-op when the last test destroyed it
    stack.removeFolder();
}, 300_000);

describe("the example stack, deployed by `pulumi up` on the real engine", () => {
    it("gives a Kong-like client (allowed address, client certificate, Basic auth) the private keyset to sign with", async () => {
        console.log(`pulumi up of the example stack: ${upSeconds.toFixed(1)} s`);
        for (const keyset of ["access", "channel"]) {
            const kong = await runClient({ runId, network: deployed.kongNetwork, ip: KONG_IP, spec: kongSpec(keyset) });
            expect(kong).toMatchObject({ status: 200, contentType: "application/jwk-set+json", keys: 1, hasPrivate: true, kid: outputs.activeKids[keyset] });
        }
    });

    it("with mTLS and Basic auth, a Kong-like client using only the Kong outputs (certificate payload, fragment, rotate body) fetches each keyset, and none without any one piece", async () => {
        // The certificate entity's id is the component's: the fragment and the rotate bodies name it.
        const id = outputs.kongClientCertificate!.id;
        expect(outputs.jwtSignerConfig.access_token_keyset_client_certificate).toEqual({ id });
        expect(outputs.jwtSignerConfig.access_token_endpoints_ssl_verify).toBe(true);
        const fetch = (spec: Record<string, unknown>) => runClient({ runId, network: deployed.kongNetwork, ip: KONG_IP, spec });
        const results: Record<string, number> = {};
        for (const [label, spec] of [
            ["plugin config, access", pluginFetchSpec(outputs, "access_token")],
            ["plugin config, channel", pluginFetchSpec(outputs, "channel_token")],
            ["rotate request, access", rotateFetchSpec(outputs, "access")],
            ["rotate request, channel", rotateFetchSpec(outputs, "channel")],
            ...(["certificate entity", "certificate reference", "username", "password"] as MissingPiece[]).flatMap((missing) => [
                [`plugin config without the ${missing}`, pluginFetchSpec(outputs, "access_token", missing)],
                [`rotate request without the ${missing}`, rotateFetchSpec(outputs, "access", missing)],
            ]),
        ] as [string, Record<string, unknown>][]) {
            const result = await fetch(spec);
            results[label] = result.status;
            if (result.status === 200) expect(result.hasPrivate, label).toBe(true);
        }
        console.log(`Kong-like client from the outputs: ${JSON.stringify(results)}`);
        for (const [label, status] of Object.entries(results)) {
            if (label.includes("without")) expect(status, label).not.toBe(200);
            else expect(status, label).toBe(200);
        }
        // nginx: no certificate at all → 403 (mTLS guard), wrong or no password → 401.
        expect(results["plugin config without the certificate entity"]).toBe(403);
        expect(results["rotate request without the password"]).toBe(401);
    }, 300_000);

    it("lets an upstream-like client verify Kong's token by the public JWKS URL, and refuses it the private keyset", async () => {
        const kong = await runClient({ runId, network: deployed.kongNetwork, ip: KONG_IP, spec: kongSpec("access") });
        const upstream = await runClient({
            runId, network: deployed.kongNetwork, ip: UPSTREAM_IP,
            spec: { mode: "upstream", publicUrl: outputs.publicJwksUrls.access, privateUrl: outputs.privateKeysetUrls.access, ca: outputs.caCertPem, tokens: [kong.token] },
        });
        expect(upstream.verified).toEqual([{ ok: true, sub: "kong-test", kid: outputs.activeKids.access }]);
        expect(upstream).toMatchObject({ publicStatus: 200, publicHasPrivate: false, privateStatus: 403, privateLeak: false });
    });

    it("leaks no private key to any of the attack matrix's requests", async () => {
        const foreign = makeTlsFixture(["intruder"]);
        const context = {
            hostname: outputs.hostname, kongPort: 8443, publicPort: 9443, keyset: "access", kongAddress: KONG_IP,
            kongCert: { cert: outputs.kongClientCertPem, key: outputs.kongClientKeyPem },
            foreignCert: { cert: foreign.serverCertPem, key: foreign.serverKeyPem },
            basicAuth: { username: "kong", password: PASSWORD },
        };
        type Results = { results: { name: string; status?: number; leak: boolean; error?: string }[] };
        const fromOutsider = await runClient<Results>({
            runId, network: deployed.kongNetwork, ip: ATTACKER_IP, timeoutMs: 180_000,
            spec: { mode: "attack", host: deployed.address, servername: outputs.hostname, ca: outputs.caCertPem, attacks: outsiderAttacks(context) },
        });
        const fromKongAddress = await runClient<Results>({
            runId, network: deployed.kongNetwork, ip: KONG_IP, timeoutMs: 120_000,
            spec: { mode: "attack", host: deployed.address, servername: outputs.hostname, ca: outputs.caCertPem, attacks: credentialAttacks(context) },
        });
        // The host-published port, from this host: Docker's proxy shows the gateway as the client.
        const published = await Promise.all(["/private/access/jwks.json", "//private/access/jwks.json", "/public/../private/access/jwks.json"].map(async (path) => {
            const res = await hostGet(publicPort, path);
            return { name: `published port: ${path}`, status: res.status, leak: /"d"\s*:/.test(res.body) };
        }));
        // This host straight to the container's address: it arrives as the network's gateway.
        const direct = await hostGet(8443, "/private/access/jwks.json", deployed.address).then(
            (res) => ({ name: "docker host via gateway", status: res.status, leak: /"d"\s*:/.test(res.body) }),
            (e: Error) => ({ name: "docker host via gateway", status: undefined, leak: false, error: e.message }));
        const results = [...fromOutsider.results, ...fromKongAddress.results, ...published, direct];
        const leaks = results.filter((r) => r.leak);
        console.log(`attack matrix on the engine-made key host: ${results.length} requests, ${leaks.length} leaks`);
        expect(results.length).toBeGreaterThanOrEqual(40);
        expect(leaks).toEqual([]);
        // The matrix can fail: the same client from Kong's address with the right credentials gets the key.
        const control = await runClient({ runId, network: deployed.kongNetwork, ip: KONG_IP, spec: kongSpec("access") });
        expect(control.hasPrivate).toBe(true);
        const byName = Object.fromEntries(results.map((r) => [r.name, r]));
        expect(byName["path: plain"].status).toBe(403);
        expect(byName["method: POST"].status).toBe(405);
        expect(byName["listener: public-only port"].status).toBe(404);
        expect(byName["basic: wrong password"].status).toBe(401);
        expect(byName["basic: password cut at its first colon"].status).toBe(401);
        expect(byName["basic: username forging a log line"].status).toBe(401);
        expect(byName["mtls: no client certificate"].status).toBe(403);
        expect(byName["mtls: certificate from another CA"].status).toBe(400);
        expect(byName["tls: TLS 1.0"].status).toBeUndefined();
        expect(byName["published port: /private/access/jwks.json"].status).toBe(404);
        expect([403, undefined]).toContain(byName["docker host via gateway"].status);
    }, 300_000);

    it("serves public keys on the published port to this host", async () => {
        const res = await hostGet(publicPort, "/public/channel/jwks.json");
        expect(res.status).toBe(200);
        expect(JSON.parse(res.body).keys[0].kid).toBe(outputs.activeKids.channel);
    });

    it("runs as a non-root user that cannot change what it serves, without capabilities or new privileges", async () => {
        const c = deployed.host;
        const status = await execIn(c, ["curl", "-s", "file:///proc/1/status"]);
        expect(status.stdout).toMatch(/^Uid:\s+101\s+101\s+101\s+101$/m);
        expect(status.stdout).toMatch(/^Gid:\s+101\s+101\s+101\s+101$/m);
        expect(status.stdout).toMatch(/^Groups:\s+0 101\s*$/m); // plus the root group, to read root-owned 0440 files
        expect(status.stdout).toMatch(/^CapEff:\s+0+$/m);
        expect(status.stdout).toMatch(/^CapBnd:\s+0+$/m);
        expect(status.stdout).toMatch(/^NoNewPrivs:\s+1$/m);
        const overwrite = await execIn(c, ["curl", "-sS", "-o", files.privateJwks("access"), "file:///proc/1/status"]);
        expect(overwrite.exitCode).not.toBe(0);
        const add = await execIn(c, ["curl", "-sS", "-o", "/etc/kong-keys/private/extra.json", "file:///proc/1/status"]);
        expect(add.exitCode).not.toBe(0);
        // As the real provider uploads them: root-owned, private 0440, public 0444.
        const entries = await archiveEntries(c, "/etc/kong-keys");
        const entry = (path: string) => entries.find((e) => e.name === path.replace(/^\/etc\//, ""));
        expect(entry(files.privateJwks("access"))).toMatchObject({ uid: 0, gid: 0, mode: 0o440 });
        expect(entry(files.serverKey)).toMatchObject({ uid: 0, gid: 0, mode: 0o440 });
        expect(entry(files.publicJwks("access"))).toMatchObject({ uid: 0, gid: 0, mode: 0o444 });
        const inspect = await c.inspect();
        expect(inspect.HostConfig.CapDrop).toEqual(["ALL"]);
        expect(inspect.HostConfig.SecurityOpt).toEqual(["no-new-privileges:true"]);
        expect(inspect.HostConfig.GroupAdd).toEqual(["0"]);
        expect(inspect.Config.User).toBe("101:101");
        expect(inspect.Config.Image).toBe(TEST_IMAGE);
        expect(inspect.NetworkSettings.Ports ?? {}).toEqual({}); // the key host publishes nothing
        expect(inspect.State.Health?.Status).toBe("healthy");
        const proxy = await deployed.proxy!.inspect();
        expect(Object.keys(proxy.NetworkSettings.Ports ?? {})).toEqual(["9443/tcp"]);
        expect(proxy.Config.User).toBe("101:101");
        expect(proxy.State.Health?.Status).toBe("healthy");
        // What it serves is the uploaded file, and that is the stack's (secret) output.
        const kong = await runClient({ runId, network: deployed.kongNetwork, ip: KONG_IP, spec: kongSpec("access") });
        const served = await execIn(c, ["curl", "-s", `file://${files.privateJwks("access")}`]);
        expect(kong.sha256).toBe(sha256(served.stdout));
        expect(JSON.parse(served.stdout)).toEqual(outputs.privateJwks.access);
    });

    it("comes back after kill -9 of nginx, serving byte-identical keysets", async () => {
        const c = deployed.host;
        const before = await c.inspect();
        const kongBefore = await runClient({ runId, network: deployed.kongNetwork, ip: KONG_IP, spec: kongSpec("access") });
        const publicBefore = await hostGet(publicPort, "/public/access/jwks.json");
        process.kill(before.State.Pid, "SIGKILL"); // the nginx master of the container this test's stack made
        const killedAt = Date.now();
        const deadline = Date.now() + 60_000;
        let after = await c.inspect();
        while (after.RestartCount === before.RestartCount || !after.State.Running) {
            if (Date.now() > deadline) throw new Error(`not restarted: ${JSON.stringify(after.State)}`);
            await sleep(200);
            after = await c.inspect();
        }
        const restartedMs = Date.now() - killedAt;
        await waitHealthy(c, 60_000);
        console.log(`nginx kill -9: restarted by Docker after ${restartedMs} ms, healthy after ${Date.now() - killedAt} ms`);
        const kongAfter = await runClient({ runId, network: deployed.kongNetwork, ip: KONG_IP, spec: kongSpec("access") });
        const publicAfter = await hostGet(publicPort, "/public/access/jwks.json");
        expect(after.RestartCount).toBe(before.RestartCount + 1);
        expect(kongAfter.sha256).toBe(kongBefore.sha256);
        expect(sha256(publicAfter.body)).toBe(sha256(publicBefore.body));
    }, 150_000);

    it("logs private fetches (an audit trail) and nothing private", async () => {
        const { stdout, stderr } = await containerLogs(deployed.host);
        expect(stdout).toMatch(new RegExp(`${KONG_IP.replace(/\./g, "\\.")} .*"GET /private/access/jwks.json" 200 .* client_cert=SUCCESS user="kong"`));
        expect(stdout + stderr).not.toContain(PASSWORD);
        // The attack matrix's forged line is in the audit trail only escaped, inside the quoted user field.
        expect((stdout + stderr).split("\n").filter((l) => l.startsWith(FORGED_LOG_LINE.slice(0, 10)))).toEqual([]);
        expect(stdout).toContain(`user="kong\\x0A${FORGED_LOG_LINE.slice(0, 10)}`);
        expect(stdout + stderr).not.toMatch(/PRIVATE KEY|"d":/);
    });

    it("refuses a source range that lets the world in before any resource: the preview fails naming the field", async () => {
        const preview = await stack.previewWithConfig({ kongSources: ["0.0.0.0/1"] }, { kongSources: [KONG_IP] });
        expect(preview.code).not.toBe(0);
        expect(preview.stdout + preview.stderr).toMatch(/kongSources: "0\.0\.0\.0\/1" is not inside private-use space/);
        expect(preview.stdout).not.toMatch(/\+ .*(create|replace)|- .*delete/);
    }, 120_000);

    it("plans no change on a second run and finds no drift on refresh", async () => {
        // --expect-no-changes makes the CLI fail on any planned step (a perpetual diff on uploads would).
        const preview = await stack.cli(["preview", "--expect-no-changes", "--non-interactive", "--stack", stack.stack], { allowFailure: true });
        expect(preview.code, preview.stdout + preview.stderr).toBe(0);
        const json = await stack.previewJson();
        expect(json.steps.filter((s) => s.op !== "same")).toEqual([]);
        const refresh = await stack.cli(["refresh", "--yes", "--expect-no-changes", "--non-interactive", "--skip-preview", "--stack", stack.stack], { allowFailure: true });
        expect(refresh.code, refresh.stdout + refresh.stderr).toBe(0);
        const again = await stack.up(["--expect-no-changes"]);
        expect(again.code).toBe(0);
    }, 300_000);

    it("keeps every private key, private JWK member and password out of state and non-secret outputs", async () => {
        const exported = JSON.stringify(await stack.exportState());
        const backend = stack.backendText();
        const privateJwk = outputs.privateJwks.access.keys[0];
        const needles = [PASSWORD, privateJwk.d, privateJwk.p, privateJwk.q, outputs.privateJwks.channel.keys[0].d,
            outputs.kongClientKeyPem.split("\n")[1]].filter(Boolean);
        for (const text of [exported, backend]) {
            expect(text).not.toMatch(/PRIVATE KEY-----/);
            for (const needle of needles) expect(text.includes(needle), `state holds a private value (${needle.slice(0, 6)}…)`).toBe(false);
            expect(text).toContain("4dabf18193072939515e22adb298388d"); // secrets are there, as ciphertext
        }
        const shown = await stack.outputs(false);
        expect(shown.privateJwks).toBe("[secret]");
        expect(shown.kongClientKeyPem).toBe("[secret]");
        expect(shown.publicJwks.access.keys.map((k: { kid: string }) => k.kid)).toHaveLength(2);
        expect(JSON.stringify(shown)).not.toMatch(/"d"\s*:/);
    }, 120_000);

    it("`pulumi destroy` leaves no container, network or volume of the stack behind", async () => {
        const ids = await stack.dockerIds();
        expect(ids.containers).toHaveLength(2);
        expect(ids.networks).toHaveLength(3);
        await stack.cli(["destroy", "--yes", "--non-interactive", "--skip-preview", "--stack", stack.stack]);
        const containers = await docker().listContainers({ all: true });
        const networks = await docker().listNetworks();
        expect(containers.filter((c) => ids.containers.includes(c.Id))).toEqual([]);
        expect(networks.filter((n) => ids.networks.includes(n.Id))).toEqual([]);
        expect((await stack.dockerIds()).containers).toEqual([]);
        const volumesAfter = ((await docker().listVolumes()).Volumes ?? []).map((v) => v.Name);
        expect(volumesAfter.filter((v) => !volumesBefore.includes(v))).toEqual([]);
    }, 300_000);
});

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** A request from this host (the test process), trusting only the stack's CA. */
const hostGet = (port: number, path: string, host = "127.0.0.1") =>
    httpsRequest({ host, port, path, ca: outputs.caCertPem, servername: outputs.hostname });
