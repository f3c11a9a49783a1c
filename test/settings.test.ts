import { describe, expect, it } from "vitest";
import { type KongSigningKeyHostArgs, ServerKeyAlgorithm, SigningAlgorithm } from "../components/args";
import { InputErrorCode, KongSigningKeyHostInputError } from "../components/errors";
import * as pulumi from "@pulumi/pulumi";
import { checkNetworkName, resolveSettings } from "../components/settings";
import { inputErrorOf } from "./support/inputErrors";

const base: KongSigningKeyHostArgs = {
    keysets: { access: { generations: ["2026-11"] } },
    kongSources: ["172.30.10.0/24"],
};

function errorOf(args: unknown, name = "kong-keys"): KongSigningKeyHostInputError {
    const error = inputErrorOf(() => resolveSettings(name, args as KongSigningKeyHostArgs));
    if (!error) throw new Error("expected resolveSettings to throw");
    return error;
}

describe("resolveSettings defaults", () => {
    it("resolves every default once", () => {
        const s = resolveSettings("kong-keys", base);
        expect(s.hostname).toBe("kong-keys");
        expect(s.keysets).toEqual([{ name: "access", algorithm: SigningAlgorithm.RS256, generations: ["2026-11"], active: "2026-11", rsaBits: 2048 }]);
        expect(s.privateBaseUrl).toBe("https://kong-keys:8443");
        expect(s.publicBaseUrl).toBe("https://kong-keys:8443");
        expect(s.tls).toMatchObject({ organisationCa: false, serverKeyAlgorithm: ServerKeyAlgorithm.ECDSA, dnsNames: ["kong-keys"], certValidityHours: 2160, certEarlyRenewalHours: 720 });
        expect(s.jwtSigner).toEqual({ accessTokenKeyset: "access", keysetRotatePeriod: 300, kongVersion: { major: 3, minor: 14 } });
        expect(s.docker).toMatchObject({ uid: 101, gid: 101, restart: "unless-stopped", memoryMb: 64, publicHostIp: "127.0.0.1" });
        expect(s.docker.existingNetworks).toBeUndefined();
        expect(s.denySources).toEqual([]);
    });

    it("defaults active to the last generation and roles to access/channel", () => {
        const s = resolveSettings("k", { ...base, keysets: { channel: { generations: ["a", "b"] }, access: { generations: ["x"] } } });
        expect(s.keysets.find((k) => k.name === "channel")?.active).toBe("b");
        expect(s.jwtSigner).toMatchObject({ accessTokenKeyset: "access", channelTokenKeyset: "channel" });
    });

    it("denies the dedicated subnet's gateway (the Docker host) when the subnet is allowed", () => {
        const s = resolveSettings("k", { ...base, docker: { subnet: "172.30.10.0/24" } });
        expect(s.docker.gateway).toBe("172.30.10.1");
        expect(s.denySources).toEqual(["172.30.10.1"]);
    });

    it("adds the publicBaseUrl host to the certificate names", () => {
        const s = resolveSettings("k", { ...base, publicBaseUrl: "https://keys.example.com:9443", tls: { extraDnsNames: ["alt.example.com"], ipAddresses: ["10.1.2.3"] } });
        expect(s.publicBaseUrl).toBe("https://keys.example.com:9443");
        expect(s.tls.dnsNames).toEqual(["k", "alt.example.com", "keys.example.com"]);
        expect(s.tls.ipAddresses).toEqual(["10.1.2.3"]);
    });

    it("accepts every supported algorithm, as enum or plain string", () => {
        for (const algorithm of Object.values(SigningAlgorithm)) {
            const s = resolveSettings("k", { ...base, keysets: { a: { algorithm: algorithm as SigningAlgorithm, generations: ["g"] } } });
            expect(s.keysets[0].algorithm).toBe(algorithm);
        }
    });

    it("accepts Docker network names and ids the kernel allows", () => {
        const s = resolveSettings("k", { ...base, docker: { networks: ["kong-net", "kong_net.2", "Kong1"], user: "4294967294:4294967294" } });
        expect(s.docker.existingNetworks).toEqual(["kong-net", "kong_net.2", "Kong1"]);
        expect([s.docker.uid, s.docker.gid]).toEqual([4294967294, 4294967294]);
    });

    it("checks network names known now, and leaves another resource's output to be checked when it resolves", () => {
        const later = pulumi.output("host");
        const s = resolveSettings("k", { ...base, docker: { networks: ["kong-a", later, "kong-a"] } });
        expect(s.docker.existingNetworks).toEqual(["kong-a", later]);
        expect(() => resolveSettings("k", { ...base, docker: { networks: [later, "host"] } })).toThrowError(/docker.networks: "host" would put/);
        for (const bad of ["host", "none", "bridge", "container:kong", "kong net"]) {
            expect(() => checkNetworkName(bad), bad).toThrowError(KongSigningKeyHostInputError);
        }
        expect(() => checkNetworkName("kong-net")).not.toThrow();
    });

    it("keeps canonical sources as given and drops duplicates", () => {
        const s = resolveSettings("k", { ...base, kongSources: ["fd00::/64", "fd00::/64", "172.30.10.5"] });
        expect(s.kongSources).toEqual(["fd00::/64", "172.30.10.5"]);
    });
});

const bad: [string, unknown, InputErrorCode, string, RegExp][] = [
    ["no args", undefined, InputErrorCode.Missing, "args", /required/],
    ["no keysets", { ...base, keysets: {} }, InputErrorCode.Missing, "keysets", /at least one keyset/],
    ["keyset name not DNS-like", { ...base, keysets: { Access_1: { generations: ["a"] } } }, InputErrorCode.Invalid, "keysets.Access_1", /DNS-label-like/],
    ["empty generations", { ...base, keysets: { access: { generations: [] } } }, InputErrorCode.Missing, "keysets.access.generations", /at least one generation/],
    ["duplicate generation", { ...base, keysets: { access: { generations: ["a", "a"] } } }, InputErrorCode.Invalid, "keysets.access.generations", /listed twice/],
    ["generation label with slash", { ...base, keysets: { access: { generations: ["2026/11"] } } }, InputErrorCode.Invalid, "keysets.access.generations", /DNS-label-like/],
    ["active not listed", { ...base, keysets: { access: { generations: ["a"], active: "b" } } }, InputErrorCode.Invalid, "keysets.access.active", /\("b"\) must be one of generations \["a"\]/],
    ["HS256", { ...base, keysets: { access: { algorithm: "HS256", generations: ["a"] } } }, InputErrorCode.Unsupported, "keysets.access.algorithm", /HMAC/],
    ["RS384", { ...base, keysets: { access: { algorithm: "RS384", generations: ["a"] } } }, InputErrorCode.Unsupported, "keysets.access.algorithm", /does not sign with RS384/],
    ["none", { ...base, keysets: { access: { algorithm: "none", generations: ["a"] } } }, InputErrorCode.Unsupported, "keysets.access.algorithm", /unsigned/],
    ["lowercase rs256", { ...base, keysets: { access: { algorithm: "rs256", generations: ["a"] } } }, InputErrorCode.Unsupported, "keysets.access.algorithm", /use one of/],
    ["weak RSA", { ...base, keysets: { access: { generations: ["a"], rsaBits: 1024 } } }, InputErrorCode.Invalid, "keysets.access.rsaBits", /too weak/],
    ["odd RSA size", { ...base, keysets: { access: { generations: ["a"], rsaBits: 2047 } } }, InputErrorCode.Invalid, "keysets.access.rsaBits", /2048,3072,4096/],
    ["rsaBits on ES256", { ...base, keysets: { access: { algorithm: "ES256", generations: ["a"], rsaBits: 2048 } } }, InputErrorCode.Conflict, "keysets.access.rsaBits", /only applies to RS\*\/PS\*/],
    ["no kongSources", { ...base, kongSources: [] }, InputErrorCode.Missing, "kongSources", /addresses or CIDRs of Kong/],
    ["missing kongSources", { keysets: base.keysets }, InputErrorCode.Missing, "kongSources", /addresses or CIDRs/],
    ["catch-all IPv4", { ...base, kongSources: ["0.0.0.0/0"] }, InputErrorCode.Exposure, "kongSources", /not inside private-use space/],
    ["catch-all IPv6", { ...base, kongSources: ["::/0"] }, InputErrorCode.Exposure, "kongSources", /not inside private-use space/],
    ["catch-all IPv4-mapped", { ...base, kongSources: ["::ffff:0:0/96"] }, InputErrorCode.Invalid, "kongSources", /IPv4-mapped/],
    ["malformed address", { ...base, kongSources: ["172.30.10.300"] }, InputErrorCode.Invalid, "kongSources", /dotted decimal without leading zeros/],
    ["malformed CIDR", { ...base, kongSources: ["172.30.10.0/33"] }, InputErrorCode.Invalid, "kongSources", /prefix length; use a decimal number from 0 to 32/],
    ["host bits set", { ...base, kongSources: ["172.30.10.5/24"] }, InputErrorCode.Invalid, "kongSources", /use 172\.30\.10\.0\/24/],
    ["hostname as source", { ...base, kongSources: ["kong"] }, InputErrorCode.Invalid, "kongSources", /not an IPv4 address/],
    ["shortened IPv4", { ...base, kongSources: ["10.1"] }, InputErrorCode.Invalid, "kongSources", /not an IPv4 address/],
    ["non-canonical subnet", { ...base, docker: { subnet: "172.030.10.0/24" } }, InputErrorCode.Invalid, "docker.subnet", /leading zeros/],
    ["non-canonical host IP", { ...base, docker: { publicPort: 19443, publicHostIp: "127.000.0.1" } }, InputErrorCode.Invalid, "docker.publicHostIp", /must be an IP address/],
    ["zoned certificate IP", { ...base, tls: { ipAddresses: ["fe80::1%eth0"] } }, InputErrorCode.Invalid, "tls.ipAddresses", /must be an IP address/],
    ["component name not DNS", { ...base }, InputErrorCode.Invalid, "hostname", /set hostname/],
    ["bad hostname", { ...base, hostname: "Kong_Keys" }, InputErrorCode.Invalid, "hostname", /lowercase DNS name/],
    ["CA cert without key", { ...base, tls: { caCertPem: "-----BEGIN CERTIFICATE-----" } }, InputErrorCode.Conflict, "tls.caKeyPem", /needs both/],
    ["CA key without cert", { ...base, tls: { caKeyPem: "k" } }, InputErrorCode.Conflict, "tls.caCertPem", /needs both/],
    ["unknown server key type", { ...base, tls: { serverKeyAlgorithm: "DSA" } }, InputErrorCode.Unsupported, "tls.serverKeyAlgorithm", /ECDSA/],
    ["renewal longer than validity", { ...base, tls: { certValidityHours: 100, certEarlyRenewalHours: 100 } }, InputErrorCode.Invalid, "tls.certEarlyRenewalHours", /from 0 to 99/],
    ["bad extra DNS name", { ...base, tls: { extraDnsNames: ["bad name"] } }, InputErrorCode.Invalid, "tls.extraDnsNames", /DNS name/],
    ["host network", { ...base, docker: { networks: ["host"] } }, InputErrorCode.Exposure, "docker.networks", /every host interface/],
    ["none network", { ...base, docker: { networks: ["none"] } }, InputErrorCode.Invalid, "docker.networks", /no way to reach/],
    ["container network", { ...base, docker: { networks: ["container:kong"] } }, InputErrorCode.Exposure, "docker.networks", /another container's network namespace/],
    ["default bridge", { ...base, docker: { networks: ["bridge"] } }, InputErrorCode.Invalid, "docker.networks", /no name resolution/],
    ["network with space", { ...base, docker: { networks: ["kong net"] } }, InputErrorCode.Invalid, "docker.networks", /not a Docker network name/],
    ["network with newline", { ...base, docker: { networks: ["kong\nnet"] } }, InputErrorCode.Invalid, "docker.networks", /not a Docker network name/],
    ["uid beyond 32 bits", { ...base, docker: { user: "4294967296:101" } }, InputErrorCode.Invalid, "docker.user", /largest the kernel allows/],
    ["gid (uid_t)-1", { ...base, docker: { user: "101:4294967295" } }, InputErrorCode.Invalid, "docker.user", /largest the kernel allows/],
    ["empty networks", { ...base, docker: { networks: [] } }, InputErrorCode.Invalid, "docker.networks", /at least one network/],
    ["subnet with networks", { ...base, docker: { networks: ["kong"], subnet: "172.30.10.0/24" } }, InputErrorCode.Conflict, "docker.subnet", /dedicated network/],
    ["IPv6 subnet", { ...base, docker: { subnet: "fd00::/64" } }, InputErrorCode.Invalid, "docker.subnet", /IPv4 CIDR/],
    ["gateway as Kong", { ...base, kongSources: ["172.30.10.1"], docker: { subnet: "172.30.10.0/24" } }, InputErrorCode.Exposure, "kongSources", /Docker host itself/],
    ["root user", { ...base, docker: { user: "0:0" } }, InputErrorCode.Exposure, "docker.user", /must not be root/],
    ["named user", { ...base, docker: { user: "nginx" } }, InputErrorCode.Invalid, "docker.user", /numeric/],
    ["restart no", { ...base, docker: { restart: "no" } }, InputErrorCode.Invalid, "docker.restart", /must come back/],
    ["bad public port", { ...base, docker: { publicPort: 70000 } }, InputErrorCode.Invalid, "docker.publicPort", /1 to 65535/],
    ["host IP without port", { ...base, docker: { publicHostIp: "0.0.0.0" } }, InputErrorCode.Conflict, "docker.publicHostIp", /only applies with docker.publicPort/],
    ["empty healthcheck", { ...base, docker: { healthcheckCommand: [] } }, InputErrorCode.Invalid, "docker.healthcheckCommand", /exec-form/],
    ["healthcheck interval 0", { ...base, docker: { healthcheckIntervalSeconds: 0 } }, InputErrorCode.Invalid, "docker.healthcheckIntervalSeconds", /1 to 300/],
    ["healthcheck interval fraction", { ...base, docker: { healthcheckIntervalSeconds: 1.5 } }, InputErrorCode.Invalid, "docker.healthcheckIntervalSeconds", /whole number/],
    ["start interval too short", { ...base, docker: { healthcheckStartIntervalMs: 10 } }, InputErrorCode.Invalid, "docker.healthcheckStartIntervalMs", /100 to 10000/],
    ["http public URL", { ...base, publicBaseUrl: "http://keys.example.com" }, InputErrorCode.Invalid, "publicBaseUrl", /https URL/],
    ["public URL with path", { ...base, publicBaseUrl: "https://keys.example.com/jwks" }, InputErrorCode.Invalid, "publicBaseUrl", /host and an optional port only/],
    ["basic auth bad user", { ...base, kongAuth: { basicAuth: { username: "kong:admin", password: "x".repeat(20) } } }, InputErrorCode.Invalid, "kongAuth.basicAuth.username", /letters, digits/],
    ["basic auth short password", { ...base, kongAuth: { basicAuth: { username: "kong", password: "short" } } }, InputErrorCode.Invalid, "kongAuth.basicAuth.password", /16 to 1024 bytes.*got 5 bytes/],
    ["basic auth 15 bytes", { ...base, kongAuth: { basicAuth: { username: "kong", password: "x".repeat(15) } } }, InputErrorCode.Invalid, "kongAuth.basicAuth.password", /got 15 bytes/],
    ["basic auth 1025 bytes", { ...base, kongAuth: { basicAuth: { username: "kong", password: "é".repeat(512) + "x" } } }, InputErrorCode.Invalid, "kongAuth.basicAuth.password", /got 1025 bytes/],
    ["basic auth NUL", { ...base, kongAuth: { basicAuth: { username: "kong", password: "0123456789abcdef\0tail" } } }, InputErrorCode.Invalid, "kongAuth.basicAuth.password", /with a NUL/],
    ["basic auth no password", { ...base, kongAuth: { basicAuth: { username: "kong" } } }, InputErrorCode.Missing, "kongAuth.basicAuth.password", /required/],
    ["unknown access role", { ...base, jwtSigner: { accessTokenKeyset: "nope" } }, InputErrorCode.Invalid, "jwtSigner.accessTokenKeyset", /one of the keysets \["access"\]/],
    ["unknown channel role", { ...base, jwtSigner: { channelTokenKeyset: "nope" } }, InputErrorCode.Invalid, "jwtSigner.channelTokenKeyset", /one of the keysets/],
    ["negative rotate period", { ...base, jwtSigner: { keysetRotatePeriod: -1 } }, InputErrorCode.Invalid, "jwtSigner.keysetRotatePeriod", /whole number/],
];

describe("resolveSettings refuses bad input, naming the field and what is allowed", () => {
    it.each(bad)("%s", (label, args, code, field, message) => {
        const error = errorOf(args, label === "component name not DNS" ? "Kong Keys" : "kong-keys");
        expect({ code: error.code, field: error.field }).toEqual({ code, field });
        expect(error.message.startsWith(`${field}: `)).toBe(true);
        expect(error.message).toMatch(message);
    });
});

describe("KongSigningKeyHostInputError", () => {
    it("is a Pulumi RunError whose stack is its message alone, which util.inspect (run on every uncaught error) prints as is", async () => {
        const util = await import("node:util");
        const error = errorOf({ ...base, hostname: "Kong Keys" });
        expect(pulumi.RunError.isInstance(error)).toBe(true);
        expect(error.stack).toBe(`KongSigningKeyHostInputError: ${error.message}`);
        expect(util.inspect(error, { colors: true })).toContain(error.message);
    });
});
