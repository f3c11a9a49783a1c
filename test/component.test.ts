import { X509Certificate, createHash, createPrivateKey } from "node:crypto";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as jose from "jose";
import { describe, expect, it } from "vitest";
import { type KongSigningKeyHostArgs, SigningAlgorithm } from "../components/args";
import { claimNetworkAlias } from "../components/docker/aliasClaims";
import { instanceLabelValue } from "../scripts/sweepPlan";
import { KongSigningKeyHostInputError } from "../components/errors";
import { files } from "../components/layout";
import { configInputFromSettings, renderNginxConfig } from "../components/nginx/renderConfig";
import { renderPublicProxyConfig } from "../components/nginx/renderPublicProxyConfig";
import { resolveSettings } from "../components/settings";
import { buildManyUnderMocks, buildUnderMocks, containerOf, freshMocks, Recorded, uploadOf } from "./support/component";
import { isSecret, valueOf } from "./support/outputs";
import { SECRET_SIG } from "./support/realCryptoMocks";
import { privateStrings } from "./support/privateStrings";

const allAlgorithms: KongSigningKeyHostArgs = {
    keysets: {
        access: { generations: ["2026-11", "2026-12"], active: "2026-11" },
        channel: { algorithm: SigningAlgorithm.ES256, generations: ["2026-11"] },
        rs512: { algorithm: SigningAlgorithm.RS512, generations: ["g1"], rsaBits: 3072 },
        ps256: { algorithm: SigningAlgorithm.PS256, generations: ["g1"] },
        ps384: { algorithm: SigningAlgorithm.PS384, generations: ["g1"] },
        ps512: { algorithm: SigningAlgorithm.PS512, generations: ["g1"] },
        es384: { algorithm: SigningAlgorithm.ES384, generations: ["g1"] },
        es512: { algorithm: SigningAlgorithm.ES512, generations: ["g1", "g2"] },
        ed: { algorithm: "EdDSA" as SigningAlgorithm, generations: ["g1"] },
    },
    kongSources: ["172.30.10.0/24"],
};

const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi"];

describe("signing keys and JWKS", () => {
    it("signs with each private keyset and verifies with the public JWKS, for every algorithm", async () => {
        const { host } = await buildUnderMocks("kong-keys", allAlgorithms);
        const privateJwks = await valueOf(host.privateJwks);
        const publicJwks = await valueOf(host.publicJwks);
        const activeKids = await valueOf(host.activeKids);
        expect(Object.keys(privateJwks).sort()).toEqual(Object.keys(allAlgorithms.keysets).sort());
        for (const [name, keyset] of Object.entries(allAlgorithms.keysets)) {
            const algorithm = keyset.algorithm ?? "RS256";
            // Private: the active key only, with its private members; public: every generation, none.
            expect(privateJwks[name].keys).toHaveLength(1);
            const privateJwk = privateJwks[name].keys[0];
            expect(privateJwk).toMatchObject({ kid: activeKids[name], alg: algorithm, use: "sig" });
            expect(privateJwk.d).toBeTruthy();
            expect(publicJwks[name].keys).toHaveLength(keyset.generations.length);
            for (const jwk of publicJwks[name].keys) {
                for (const member of PRIVATE_MEMBERS) expect(jwk).not.toHaveProperty(member);
                expect(jwk.kid).toBe(await jose.calculateJwkThumbprint(jwk as jose.JWK, "sha256"));
                expect(jwk).toMatchObject({ alg: algorithm, use: "sig" });
            }
            expect(publicJwks[name].keys.map((k) => k.kid)).toContain(activeKids[name]);

            const signingKey = await jose.importJWK(privateJwk as jose.JWK, algorithm);
            const token = await new jose.SignJWT({ sub: "upstream-test" }).setProtectedHeader({ alg: algorithm, kid: privateJwk.kid })
                .setIssuedAt().setExpirationTime("5m").sign(signingKey);
            const { payload, protectedHeader } = await jose.jwtVerify(token, jose.createLocalJWKSet(publicJwks[name] as jose.JSONWebKeySet));
            expect(payload.sub).toBe("upstream-test");
            expect(protectedHeader.kid).toBe(activeKids[name]);
        }
    });

    it("uses the requested RSA size and curves", async () => {
        const { host } = await buildUnderMocks("kong-keys", allAlgorithms);
        const privateJwks = await valueOf(host.privateJwks);
        const bits = (jwk: { n?: string }) => Buffer.from(jwk.n!, "base64url").length * 8;
        expect(bits(privateJwks.access.keys[0])).toBe(2048);
        expect(bits(privateJwks.rs512.keys[0])).toBe(3072);
        expect(privateJwks.channel.keys[0].crv).toBe("P-256");
        expect(privateJwks.es384.keys[0].crv).toBe("P-384");
        expect(privateJwks.es512.keys[0].crv).toBe("P-521");
        expect(privateJwks.ed.keys[0]).toMatchObject({ kty: "OKP", crv: "Ed25519" });
    });

    it("serves exactly the output JWKS: private file = active key, public file = every generation", async () => {
        const { host, mocks } = await buildUnderMocks("kong-keys", allAlgorithms);
        const privateJwks = await valueOf(host.privateJwks);
        const publicJwks = await valueOf(host.publicJwks);
        for (const name of Object.keys(allAlgorithms.keysets)) {
            expect(JSON.parse(uploadOf(mocks, files.privateJwks(name)).content)).toEqual(privateJwks[name]);
            expect(JSON.parse(uploadOf(mocks, files.publicJwks(name)).content)).toEqual(publicJwks[name]);
        }
    });
});


describe("secrets", () => {
    const withEverything: KongSigningKeyHostArgs = {
        ...allAlgorithms,
        kongAuth: { clientCertificate: true, basicAuth: { username: "kong", password: "correct-horse-battery-staple" } },
        docker: { publicPort: 19443 },
    };

    it.each([true, false])("keeps private material secret in every input and output (provider marks secrets: %s)", async (secretOutputs) => {
        const { host, mocks } = await buildUnderMocks("kong-keys", withEverything, { secretOutputs });
        const leaks = mocks.resources.flatMap((r) => privateStrings(r.inputs).filter((p) => !p.secret).map((p) => `${r.type} ${r.name}${p.at}`));
        expect(leaks).toEqual([]);
        // ...and private material did reach the resources (the check above is not vacuous).
        expect(mocks.resources.flatMap((r) => privateStrings(r.inputs)).length).toBeGreaterThan(5);

        expect(await isSecret(host.privateJwks)).toBe(true);
        expect(await isSecret(host.kongClientKeyPem)).toBe(true);
        expect(await isSecret(host.jwtSignerConfig)).toBe(true); // it carries the Basic-auth password
        for (const output of [host.publicJwks, host.activeKids, host.caCertPem, host.privateKeysetUrls, host.publicJwksUrls, host.kongClientCertPem, host.kongRotatePaths, host.hostname]) {
            expect(await isSecret(output)).toBe(false);
        }
        expect(JSON.stringify(await valueOf(host.publicJwks))).not.toMatch(/"d":/);
        expect(await valueOf(host.kongClientCertPem)).toMatch(/BEGIN CERTIFICATE/);
        expect(await valueOf(host.kongClientKeyPem)).toMatch(/PRIVATE KEY/);
    });

    it("leaves the jwt-signer fragment readable when it carries no password", async () => {
        const { host } = await buildUnderMocks("kong-keys", allAlgorithms);
        expect(await isSecret(host.jwtSignerConfig)).toBe(false);
        expect(await valueOf(host.kongClientKeyPem)).toBeUndefined();
    });
});

describe("jwt-signer outputs", () => {
    it("gives Kong the keyset URLs, algorithms, auth fields and reload period", async () => {
        const { host } = await buildUnderMocks("kong-keys", {
            keysets: { access: { generations: ["a"] }, channel: { algorithm: SigningAlgorithm.ES256, generations: ["a"] } },
            kongSources: ["172.30.10.10"],
            kongAuth: { basicAuth: { username: "kong", password: "0123456789abcdef" } },
            jwtSigner: { keysetRotatePeriod: 600 },
        });
        expect(await valueOf(host.privateKeysetUrls)).toEqual({
            access: "https://kong-keys:8443/private/access/jwks.json",
            channel: "https://kong-keys:8443/private/channel/jwks.json",
        });
        expect(await valueOf(host.publicJwksUrls)).toEqual({
            access: "https://kong-keys:8443/public/access/jwks.json",
            channel: "https://kong-keys:8443/public/channel/jwks.json",
        });
        expect(await valueOf(host.jwtSignerConfig)).toEqual({
            access_token_keyset: "https://kong-keys:8443/private/access/jwks.json",
            access_token_signing_algorithm: "RS256",
            access_token_keyset_rotate_period: 600,
            access_token_keyset_client_username: "kong",
            access_token_keyset_client_password: "0123456789abcdef",
            channel_token_keyset: "https://kong-keys:8443/private/channel/jwks.json",
            channel_token_signing_algorithm: "ES256",
            channel_token_keyset_rotate_period: 600,
            channel_token_keyset_client_username: "kong",
            channel_token_keyset_client_password: "0123456789abcdef",
            // Kong 3.13+ (the default kongVersion is 3.14): verify the key host's certificate.
            access_token_endpoints_ssl_verify: true,
            channel_token_endpoints_ssl_verify: true,
        });
        expect((await valueOf(host.kongRotatePaths)).access).toBe("/jwt-signer/jwks/https%3A%2F%2Fkong-keys%3A8443%2Fprivate%2Faccess%2Fjwks.json/rotate");
    });

    it("refuses a Basic-auth password that arrives short through an Output", async () => {
        const pulumi = await import("@pulumi/pulumi");
        await freshMocks();
        const { KongSigningKeyHost } = await import("../components/kongSigningKeyHost");
        const swallow = () => undefined; // the container's uploads fail the same way
        process.on("unhandledRejection", swallow);
        try {
            const host = new KongSigningKeyHost("kong-keys", {
                keysets: { access: { generations: ["a"] } }, kongSources: ["172.30.10.10"],
                kongAuth: { basicAuth: { username: "kong", password: pulumi.secret("short") } },
            });
            await expect((host.jwtSignerConfig as unknown as { promise(): Promise<unknown> }).promise())
                .rejects.toThrow(/kongAuth\.basicAuth\.password: must be 16 to 1024 bytes/);
        } finally {
            await new Promise((r) => setTimeout(r, 100));
            process.off("unhandledRejection", swallow);
        }
    });
});

describe("TLS material", () => {
    it("issues a server certificate for the hostname and extra names, signed by the CA output", async () => {
        const { host, mocks } = await buildUnderMocks("kong-keys", {
            ...allAlgorithms, publicBaseUrl: "https://keys.example.com:9443", tls: { ipAddresses: ["127.0.0.1"] },
        });
        const ca = new X509Certificate(await valueOf(host.caCertPem));
        const [leaf] = uploadOf(mocks, files.serverCert).content.split(/(?<=-----END CERTIFICATE-----)\n/);
        const server = new X509Certificate(leaf);
        expect(ca.ca).toBe(true);
        expect(server.checkIssued(ca)).toBe(true);
        expect(server.verify(ca.publicKey)).toBe(true);
        expect(server.subjectAltName).toContain("DNS:kong-keys");
        expect(server.subjectAltName).toContain("DNS:keys.example.com");
        expect(server.subjectAltName).toContain("IP Address:127.0.0.1");
        expect(server.publicKey.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
        const key = createPrivateKey(uploadOf(mocks, files.serverKey).content);
        expect(server.checkPrivateKey(key)).toBe(true);
    });

    it("uses RSA for the server certificate on request", async () => {
        const { mocks } = await buildUnderMocks("kong-keys", { ...allAlgorithms, tls: { serverKeyAlgorithm: "RSA" as never } });
        const server = new X509Certificate(uploadOf(mocks, files.serverCert).content);
        expect(server.publicKey.asymmetricKeyType).toBe("rsa");
        expect(server.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    });

    it("signs the server certificate with the organisation's CA when given, and Kong's with a client CA of its own", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kskh-orgca-"));
        execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
            "-subj", "/O=Example Org/CN=Example Root", "-days", "30", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign"],
        { cwd: dir, stdio: "ignore" });
        const caCertPem = fs.readFileSync(path.join(dir, "ca.crt"), "utf8");
        const caKeyPem = fs.readFileSync(path.join(dir, "ca.key"), "utf8");
        fs.rmSync(dir, { recursive: true });
        const { host, mocks } = await buildUnderMocks("kong-keys", { ...allAlgorithms, tls: { caCertPem, caKeyPem }, kongAuth: { clientCertificate: true } });
        expect(await valueOf(host.caCertPem)).toBe(caCertPem);
        // The only CA of ours is Kong's client CA: the organisation's never signs Kong's certificate.
        expect(mocks.byType("tls:index/selfSignedCert:SelfSignedCert").map((r) => r.name)).toEqual(["kong-keys-kong-client-ca-cert"]);
        const chain = uploadOf(mocks, files.serverCert).content;
        const [leaf, second] = chain.split(/(?<=-----END CERTIFICATE-----)\n/);
        expect(new X509Certificate(leaf).verify(new X509Certificate(caCertPem).publicKey)).toBe(true);
        expect(second.trim()).toBe(caCertPem.trim());
        const client = new X509Certificate((await valueOf(host.kongClientCertPem))!);
        expect(client.verify(new X509Certificate(caCertPem).publicKey)).toBe(false);
        const clientCa = new X509Certificate(uploadOf(mocks, files.kongClientCaCert).content);
        expect(client.verify(clientCa.publicKey)).toBe(true);
        expect(uploadOf(mocks, files.nginxConf).content).toContain(`ssl_client_certificate ${files.kongClientCaCert};`);
        const csr = mocks.byType("tls:index/locallySignedCert:LocallySignedCert").find((r) => r.name === "kong-keys-kong-client-cert");
        expect(csr?.plain.allowedUses).toContain("client_auth");
        expect(csr?.inputs.caPrivateKeyPem).toHaveProperty(SECRET_SIG);
    });
});

describe("the key host container", () => {
    it("is hardened: non-root, no capabilities, no new privileges, tmpfs scratch, limits, healthcheck", async () => {
        const { mocks } = await buildUnderMocks("kong-keys", { ...allAlgorithms, docker: { publicPort: 19443 } });
        const c = containerOf(mocks).plain;
        expect(c.user).toBe("101:101");
        expect(c.capabilities).toEqual({ drops: ["ALL"] });
        expect(c.securityOpts).toEqual(["no-new-privileges:true"]);
        expect(c.tmpfs).toEqual({ "/tmp": "rw,noexec,nosuid,nodev,size=16m,mode=1777" });
        expect(c.restart).toBe("unless-stopped");
        expect(c.memory).toBe(64);
        expect(c.ulimits).toContainEqual({ name: "nproc", soft: 64, hard: 64 });
        // Every 2 s, on the loopback health listener; no startInterval unless asked (Docker 25+ only).
        expect(c.healthcheck).toEqual({
            tests: ["CMD", "curl", "--fail", "--silent", "--show-error", "--max-time", "2", "http://127.0.0.1:8080/healthz"],
            interval: "2s", timeout: "3s", startPeriod: "10s", retries: 3,
        });
        const proxy = containerOf(mocks, "public-proxy").plain;
        expect(proxy.healthcheck).toEqual(c.healthcheck);
        const tuned = await buildUnderMocks("kong-keys", { ...allAlgorithms, docker: { healthcheckIntervalSeconds: 10, healthcheckStartIntervalMs: 250 } });
        expect(containerOf(tuned.mocks).plain.healthcheck).toMatchObject({ interval: "10s", startInterval: "250ms" });
        expect(c.image).toBe("nginx:1.27-alpine");
        expect(c.entrypoints).toEqual(["/usr/sbin/nginx"]);
        expect(c.command).toEqual(["-e", "stderr", "-c", files.nginxConf]);
        expect(c.name).toBeUndefined(); // no fixed name: replacements can overlap
        expect(c.wait).toBe(true);
    });

    it("publishes only through the public-port proxy, which passes TLS through to the public-only listener", async () => {
        const none = await buildUnderMocks("kong-keys", allAlgorithms);
        expect(containerOf(none.mocks).plain.ports ?? []).toEqual([]);
        expect(none.mocks.byType("docker:index/container:Container")).toHaveLength(1);
        const published = await buildUnderMocks("kong-keys", { ...allAlgorithms, docker: { publicPort: 19443, publicHostIp: "0.0.0.0" } });
        // The key host itself never has a port mapping: it is replaced at every rotation.
        expect(containerOf(published.mocks).plain.ports ?? []).toEqual([]);
        const proxy = containerOf(published.mocks, "public-proxy").plain;
        expect(proxy.ports).toEqual([{ internal: 9443, external: 19443, ip: "0.0.0.0", protocol: "tcp" }]);
        // Its config is all it holds: no certificate, no key, nothing that renews.
        expect(proxy.uploads.map((u: { file: string }) => u.file)).toEqual([files.nginxConf]);
        const proxyConf = uploadOf(published.mocks, files.nginxConf, "public-proxy").content;
        expect(proxyConf).toBe(renderPublicProxyConfig({ hostname: "kong-keys" }));
        expect(proxyConf).not.toMatch(/private|ssl_certificate/);
        // The proxy's inputs depend on neither keys nor certificates: rotations and renewals leave it alone.
        expect(JSON.stringify(proxy)).not.toContain((await valueOf(published.host.activeKids)).access);
        expect(JSON.stringify(proxy)).not.toContain("BEGIN");
        expect(proxy.networksAdvanced).toEqual([
            { name: expect.stringMatching(/^kong-keys-public-net-/), aliases: [] }, { name: expect.stringMatching(/^kong-keys-public-link-/), aliases: [] }]);
        // The key host meets the proxy on the internal link network only: it never joins a network with egress.
        expect(containerOf(published.mocks).plain.networksAdvanced.map((n: { name: string }) => n.name))
            .toEqual([expect.stringMatching(/^kong-keys-kong-net-/), proxy.networksAdvanced[1].name]);
        const conf = uploadOf(published.mocks, files.nginxConf).content;
        expect(conf.slice(conf.indexOf("listen 9443"))).not.toContain("/private/");
        expect(await valueOf(published.host.publicProxyContainerName)).toMatch(/^kong-keys-public-proxy-/);
    });

    it("uploads root-owned files nginx can read but not change; private ones readable by the root group only", async () => {
        const { mocks } = await buildUnderMocks("kong-keys", { ...allAlgorithms, kongAuth: { basicAuth: { username: "kong", password: "0123456789abcdef" } } });
        const container = containerOf(mocks).plain;
        const uploads = container.uploads as { file: string; owner?: string; group?: string; permissions: string }[];
        // No owner/group: with them the docker provider has the daemon chown every file to the container's user.
        for (const u of uploads) expect({ file: u.file, owner: u.owner, group: u.group }).toEqual({ file: u.file, owner: undefined, group: undefined });
        expect(container.user).toBe("101:101");
        expect(container.groupAdds).toEqual(["0"]);
        const mode = (file: string) => uploads.find((u) => u.file === file)?.permissions;
        expect(mode(files.serverKey)).toBe("0440");
        expect(mode(files.htpasswd)).toBe("0440");
        expect(mode(files.privateJwks("access"))).toBe("0440");
        expect(mode(files.publicJwks("access"))).toBe("0444");
        expect(mode(files.nginxConf)).toBe("0444");
        // {SSHA}: SHA-1 of password and salt, then the salt; nothing of the password itself.
        const line = uploadOf(mocks, files.htpasswd).content;
        const m = /^kong:\{SSHA\}([A-Za-z0-9+/=]+)\n$/.exec(line);
        const raw = Buffer.from(m![1], "base64");
        const salt = raw.subarray(20);
        expect(salt).toHaveLength(16);
        expect(raw.subarray(0, 20)).toEqual(createHash("sha1").update("0123456789abcdef").update(salt).digest());
        expect(line).not.toContain("0123456789abcdef");
        // Deterministic: the same inputs (the mocks return the same keys by name) give the same file.
        const again = await buildUnderMocks("kong-keys", { ...allAlgorithms, kongAuth: { basicAuth: { username: "kong", password: "0123456789abcdef" } } });
        expect(uploadOf(again.mocks, files.htpasswd).content).toBe(line);
    });

    it("uploads the config the pure renderer gives for the resolved settings", async () => {
        const args = { ...allAlgorithms, docker: { subnet: "172.30.10.0/24" } };
        const { mocks } = await buildUnderMocks("kong-keys", args);
        expect(uploadOf(mocks, files.nginxConf).content).toBe(renderNginxConfig(configInputFromSettings(resolveSettings("kong-keys", args))));
        expect(uploadOf(mocks, files.nginxConf).content).toContain("deny 172.30.10.1;");
    });

    it("creates a dedicated internal network with the hostname as alias, or joins existing ones", async () => {
        const dedicated = await buildUnderMocks("kong-keys", { ...allAlgorithms, docker: { subnet: "172.30.10.0/24" } });
        const [network] = dedicated.mocks.byType("docker:index/network:Network");
        expect(network.plain).toMatchObject({ internal: true, ipamConfigs: [{ subnet: "172.30.10.0/24", gateway: "172.30.10.1" }] });
        const c = containerOf(dedicated.mocks).plain;
        expect(c.networkMode).toBeUndefined(); // a networkMode drops the alias on a real engine
        expect(c.networksAdvanced).toEqual([{ name: expect.stringMatching(/^kong-keys-kong-net-/), aliases: ["kong-keys"] }]);
        expect(await valueOf(dedicated.host.kongNetworkNames)).toEqual([c.networksAdvanced[0].name]);

        const existing = await buildUnderMocks("kong-keys", { ...allAlgorithms, hostname: "keys.internal", docker: { networks: ["kong-a", "kong-b"] } });
        expect(existing.mocks.byType("docker:index/network:Network")).toHaveLength(0);
        expect(containerOf(existing.mocks).plain.networksAdvanced).toEqual([
            { name: "kong-a", aliases: ["keys.internal"] }, { name: "kong-b", aliases: ["keys.internal"] }]);
    });

    it("joins a network given as another resource's output", async () => {
        const mocks = await freshMocks();
        const docker = await import("@pulumi/docker");
        const { KongSigningKeyHost } = await import("../components/kongSigningKeyHost");
        const kongNet = new docker.Network("kong-shared", { name: "kong-shared" });
        const host = new KongSigningKeyHost("kong-keys", { ...allAlgorithms, docker: { networks: [kongNet.name, "kong-b"] } });
        expect(await valueOf(host.kongNetworkNames)).toEqual(["kong-b", "kong-shared"]);
        await valueOf(host.containerName);
        const c = containerOf(new Recorded([...mocks.resources])).plain;
        expect(c.networksAdvanced.map((n: { name: string }) => n.name)).toEqual(["kong-b", "kong-shared"]);

    });

    it("registers every child with the docker and tls providers the stack passes (e.g. a remote Docker host)", async () => {
        const mocks = await freshMocks();
        const docker = await import("@pulumi/docker");
        const tls = await import("@pulumi/tls");
        const { KongSigningKeyHost } = await import("../components/kongSigningKeyHost");
        const remote = new docker.Provider("remote-docker", { host: "ssh://deploy@docker-host.internal" });
        const ownTls = new tls.Provider("own-tls", {});
        const host = new KongSigningKeyHost("kong-keys", { ...allAlgorithms, docker: { publicPort: 19443 } }, { providers: [remote, ownTls] });
        await Promise.all([valueOf(host.containerName), valueOf(host.publicJwks), valueOf(host.caCertPem)]);
        const children = mocks.resources.filter((r) => r.type.startsWith("docker:index/") || r.type.startsWith("tls:index/"));
        expect(children.length).toBeGreaterThan(10);
        const byPackage = (pkg: string) => [...new Set(children.filter((r) => r.type.startsWith(`${pkg}:`)).map((r) => r.provider?.split("::")[3]))];
        expect(byPackage("docker")).toEqual(["remote-docker"]);
        expect(byPackage("tls")).toEqual(["own-tls"]);
    });

    it("adds a non-internal network for publishing, joined by the proxy only, when the Kong network is internal", async () => {
        const { mocks } = await buildUnderMocks("kong-keys", { ...allAlgorithms, docker: { publicPort: 19443 } });
        const networks = mocks.byType("docker:index/network:Network");
        expect(networks.map((n) => [n.name, n.plain.internal ?? false]).sort()).toEqual([
            ["kong-keys-kong-net", true], ["kong-keys-public-link", true], ["kong-keys-public-net", false]]);
    });
});

describe("bad input", () => {
    it("throws before any resource exists", async () => {
        const mocks = await freshMocks();
        const { KongSigningKeyHost } = await import("../components/kongSigningKeyHost");
        expect(() => new KongSigningKeyHost("kong-keys", { keysets: { access: { generations: ["a"], active: "b" } }, kongSources: ["172.30.10.0/24"] }))
            .toThrowError(KongSigningKeyHostInputError);
        expect(() => new KongSigningKeyHost("kong-keys", { keysets: { access: { generations: ["a"] } }, kongSources: ["0.0.0.0/0"] }))
            .toThrowError(/kongSources: "0.0.0.0\/0" is not inside private-use space/);
        await new Promise((r) => setTimeout(r, 100));
        expect(mocks.resources).toEqual([]);
    });
});

describe("two instances on one network", () => {
    it("refuses a second instance with the same hostname on the same existing network, before any of its resources", async () => {
        const mocks = await freshMocks();
        const { KongSigningKeyHost } = await import("../components/kongSigningKeyHost");
        new KongSigningKeyHost("keys-one", { ...allAlgorithms, hostname: "keys", docker: { networks: ["kong-net"] } });
        await new Promise((r) => setTimeout(r, 100));
        const before = mocks.resources.length;
        let thrown: unknown;
        try {
            new KongSigningKeyHost("keys-two", { ...allAlgorithms, hostname: "keys", docker: { networks: ["other-net", "kong-net"] } });
        } catch (e) {
            thrown = e;
        }
        expect(thrown).toBeInstanceOf(KongSigningKeyHostInputError);
        expect(thrown).toMatchObject({
            code: "ERR_KSKH_CONFLICT", field: "hostname",
            message: 'hostname: ("keys") is already the hostname of KongSigningKeyHost "keys-one" on docker network "kong-net": ' +
                "Docker's DNS would answer Kong with either key host; give each instance its own hostname or network",
        });
        await new Promise((r) => setTimeout(r, 100));
        expect(mocks.resources.slice(before).filter((r) => r.name.startsWith("keys-two"))).toEqual([]);
    });

    it("claims a network given as another resource's output when its name resolves (the same rule)", () => {
        // Through the component an output name is claimed inside its apply (keyHostContainer.ts); the rule is this one.
        claimNetworkAlias("keys-out-one", "kong-shared-out", "keys-out");
        claimNetworkAlias("keys-out-one", "kong-shared-out", "keys-out"); // the same component again: fine
        expect(() => claimNetworkAlias("keys-out-two", "kong-shared-out", "keys-out"))
            .toThrow(/^hostname: \("keys-out"\) is already the hostname of KongSigningKeyHost "keys-out-one" on docker network "kong-shared-out"/);
    });

    it("accepts the same hostname on different networks, and different hostnames on one network", async () => {
        const { hosts } = await buildManyUnderMocks([
            ["keys-east", { ...allAlgorithms, hostname: "keys-shared", docker: { networks: ["kong-east"] } }],
            ["keys-west", { ...allAlgorithms, hostname: "keys-shared", docker: { networks: ["kong-west"] } }],
            ["keys-north", { ...allAlgorithms, hostname: "keys-north", docker: { networks: ["kong-east"] } }],
        ]);
        expect(await Promise.all(hosts.map((h) => valueOf(h.hostname)))).toEqual(["keys-shared", "keys-shared", "keys-north"]);
    });

    it("labels every container with its stack, which the sweep command matches", async () => {
        const { mocks } = await buildUnderMocks("kong-keys", { ...allAlgorithms, docker: { publicPort: 19443 } });
        for (const role of ["key-host", "public-proxy"]) {
            const labels = containerOf(mocks, role).plain.labels;
            expect(labels).toContainEqual({ label: "io.github.kong-signing-key-host.stack", value: "organization/kskh/test" });
            // The instance: the server key's public half (here read from the served certificate), hashed, as
            // the sweep computes it from the key in state.
            const serverPublicKey = new X509Certificate(uploadOf(mocks, files.serverCert).content).publicKey.export({ type: "spki", format: "pem" }).toString();
            expect(labels).toContainEqual({ label: "io.github.kong-signing-key-host.instance", value: instanceLabelValue(serverPublicKey) });
        }
    });
});

describe("names and rotation stability", () => {
    const names = (mocks: { resources: { type: string; name: string }[] }) => mocks.resources.map((r) => `${r.type}::${r.name}`).sort();

    it("adding a generation adds one key and changes only the container's content", async () => {
        const before = await buildUnderMocks("kong-keys", { keysets: { access: { generations: ["2026-11"] }, channel: { algorithm: SigningAlgorithm.ES256, generations: ["2026-11"] } }, kongSources: ["172.30.10.0/24"] });
        const after = await buildUnderMocks("kong-keys", { keysets: { access: { generations: ["2026-11", "2026-12"], active: "2026-11" }, channel: { algorithm: SigningAlgorithm.ES256, generations: ["2026-11"] } }, kongSources: ["172.30.10.0/24"] });
        const added = names(after.mocks).filter((n) => !names(before.mocks).includes(n));
        expect(added).toEqual(["tls:index/privateKey:PrivateKey::kong-keys-signing-key-access.2026-12"]);
        expect(names(before.mocks).filter((n) => !names(after.mocks).includes(n))).toEqual([]);
        const changed = after.mocks.resources.filter((r) => {
            const old = before.mocks.resources.find((b) => b.type === r.type && b.name === r.name);
            return old && JSON.stringify(old.plain) !== JSON.stringify(r.plain);
        }).map((r) => r.name);
        expect(changed).toEqual(["kong-keys-host"]);
        // Pre-publish: the active kid stays, the new public key appears.
        expect(await valueOf(after.host.activeKids)).toEqual(await valueOf(before.host.activeKids));
        expect((await valueOf(after.host.publicJwks)).access.keys).toHaveLength(2);
        const changedFiles = (containerOf(after.mocks).plain.uploads as { file: string; content: string }[])
            .filter((u) => (containerOf(before.mocks).plain.uploads as { file: string; content: string }[]).find((b) => b.file === u.file)?.content !== u.content)
            .map((u) => u.file);
        expect(changedFiles).toEqual([files.publicJwks("access")]);
    });

    it("two instances in one stack share no child name, hostname or network", async () => {
        const args: KongSigningKeyHostArgs = { keysets: { access: { generations: ["a"] } }, kongSources: ["172.30.10.0/24"] };
        const { hosts, mocks } = await buildManyUnderMocks([["keys-a", args], ["keys-b", args]]);
        const all = names(mocks);
        expect(new Set(all).size).toBe(all.length);
        expect(await valueOf(hosts[0].hostname)).not.toBe(await valueOf(hosts[1].hostname));
        expect(await valueOf(hosts[0].kongNetworkNames)).not.toEqual(await valueOf(hosts[1].kongNetworkNames));
        expect(await valueOf(hosts[0].activeKids)).not.toEqual(await valueOf(hosts[1].activeKids));
        expect(mocks.resources.every((r) => r.type.startsWith("kong-signing-key-host") || /^keys-[ab]-/.test(r.name))).toBe(true);
    });
});
