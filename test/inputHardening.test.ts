// The second hardening round (issue 20): each class of input that meant something other than the README
// promises, as a table of the attack's example and its siblings, next to legitimate inputs that must keep
// working. Settings-level classes here; nginx-level ones in nginx.test.ts ("second hardening round"),
// Docker network ids in engine/networkNames.test.ts.
import { X509Certificate, createPrivateKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import { addressCount, parseAddressRange, type AddressRange } from "../components/addresses";
import type { KongSigningKeyHostArgs } from "../components/args";
import { InputErrorCode } from "../components/errors";
import { dnsNameProblem, parseBaseUrl } from "../components/hostNames";
import { checkOrganisationCa } from "../components/organisationCa";
import { checkBasicAuthPassword, checkResolvedNetwork, MAX_KONG_SOURCES, resolveSettings } from "../components/settings";
import { buildUnderMocks, freshMocks } from "./support/component";
import { inputErrorOf } from "./support/inputErrors";
import { valueOf } from "./support/outputs";
import { makeTlsFixture } from "./support/tlsFixtures";

const base: KongSigningKeyHostArgs = { keysets: { access: { generations: ["2026-11"] } }, kongSources: ["172.30.10.0/24"] };

const errorOf = inputErrorOf;
const settingsError = (args: Partial<KongSigningKeyHostArgs>) => errorOf(() => resolveSettings("kong-keys", { ...base, ...args } as KongSigningKeyHostArgs));

describe("class 1: tls.caCertPem is certificates and whitespace, and only re-encoded certificates flow on", () => {
    const org = makeTlsFixture(["kong-keys"]);
    const other = makeTlsFixture(["kong-keys"]);
    const keyBody = org.caKeyPem.replace(/-----[^-]+-----/g, "").trim();
    const keyDer = createPrivateKey(org.caKeyPem).export({ type: "pkcs8", format: "der" });
    const certDer = new X509Certificate(org.caCertPem).raw;
    const jwk = JSON.stringify(createPrivateKey(org.caKeyPem).export({ format: "jwk" }));
    const block = (label: string, body: string, end = label) => `-----BEGIN ${label}-----\n${body}\n-----END ${end}-----\n`;
    const wrap = (b64: string, width = 64) => b64.match(new RegExp(`.{1,${width}}`, "g"))!.join("\n");

    it.each([
        ["lowercase labels", `${org.caCertPem}${block("private key", keyBody).toLowerCase().replace(keyBody.toLowerCase(), keyBody)}`],
        ["the key's bare base64 DER", `${org.caCertPem}${wrap(keyDer.toString("base64"))}\n`],
        ["the key as a JWK with \"d\"", `${org.caCertPem}${jwk}\n`],
        ["a key without END line", `${org.caCertPem}-----BEGIN PRIVATE KEY-----\n${keyBody}\n`],
        ["a key under a mismatched END label", `${org.caCertPem}${block("PRIVATE KEY", keyBody, "CERTIFICATE")}`],
        ["a key body inside a second CERTIFICATE block", `${org.caCertPem}${block("CERTIFICATE", keyBody)}`],
        ["the key's DER after the certificate's, inside one block", block("CERTIFICATE", wrap(Buffer.concat([certDer, keyDer]).toString("base64")))],
        ["a key block before the certificate", `${org.caKeyPem}${org.caCertPem}`],
        ["a key between two certificates", `${org.caCertPem}${org.caKeyPem}${other.caCertPem}`],
        ["an RSA PRIVATE KEY label", `${org.caCertPem}${block("RSA PRIVATE KEY", keyBody)}`],
        ["text before the block (openssl's Bag Attributes)", `Bag Attributes\n    localKeyID: 01\n${org.caCertPem}`],
        ["a certificate body with a character outside base64", block("CERTIFICATE", `${wrap(certDer.toString("base64")).slice(0, -4)}*AAA`)],
        ["a lone surrogate", `${org.caCertPem}\ud800`],
    ])("refuses the CA certificate followed by its key as %s, without quoting it", (_label, certPem) => {
        const error = errorOf(() => checkOrganisationCa(certPem, org.caKeyPem));
        expect(error?.field).toBe("tls.caCertPem");
        expect([InputErrorCode.Exposure, InputErrorCode.Invalid]).toContain(error?.code);
        expect(error?.message).not.toContain(keyBody.slice(0, 24));
        expect(error?.message).not.toContain(keyDer.toString("base64").slice(0, 24));
        // The same refusal before any resource, through resolveSettings.
        expect(settingsError({ tls: { caCertPem: certPem, caKeyPem: org.caKeyPem } })?.field).toBe("tls.caCertPem");
    });

    it.each([
        ["as openssl writes it", org.caCertPem],
        ["with CRLF line ends", org.caCertPem.replace(/\n/g, "\r\n")],
        ["with 76-column base64 and blank lines around", `\n\n${block("CERTIFICATE", wrap(certDer.toString("base64"), 76))}\n\n`],
        ["followed by its issuer (an intermediate's chain)", `${org.caCertPem}${other.caCertPem}`],
    ])("accepts the certificate %s, and returns it re-encoded", (_label, certPem) => {
        const out = checkOrganisationCa(certPem, org.caKeyPem);
        const expected = certPem.includes(other.caCertPem.trim()) ? [org.caCertPem, other.caCertPem] : [org.caCertPem];
        expect(out).toBe(expected.map((pem) => new X509Certificate(pem).toString()).join(""));
        expect(out).toMatch(/^(-----BEGIN CERTIFICATE-----\n([A-Za-z0-9+/=]{1,64}\n)+-----END CERTIFICATE-----\n)+$/);
    });

    it("gives the caCertPem output only the re-encoded certificates, also when the input arrives as an Output", async () => {
        const spaced = `\n${org.caCertPem.replace(/\n/g, "\r\n")}\n`;
        const { host, mocks } = await buildUnderMocks("kong-keys", {
            ...base, tls: { caCertPem: (await import("@pulumi/pulumi")).output(spaced), caKeyPem: org.caKeyPem },
        });
        const out = await valueOf(host.caCertPem);
        expect(out).toBe(new X509Certificate(org.caCertPem).toString());
        // What the server certificate's issuer input (state, non-secret) holds is that too.
        const signed = mocks.byType("tls:index/locallySignedCert:LocallySignedCert");
        expect(signed.map((r) => r.plain.caCertPem)).toEqual([out]);
    });
});

describe("class 2: kongSources cannot add up to more than one wide entry", () => {
    const slash16s = (first: number, count: number) => Array.from({ length: count }, (_, i) => `${first}.${i}.0.0/16`);
    const slash32s = (count: number) => Array.from({ length: count }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);

    it.each([
        ["256 × 127.x.0.0/16 (all of 127/8)", slash16s(127, 256), /at most 64/],
        ["256 × 10.x.0.0/16 (all of 10/8)", slash16s(10, 256), /at most 64/],
        ["10,000 /32s", slash32s(10_000), /at most 64/],
        ["two /16s", ["10.0.0.0/16", "10.1.0.0/16"], /admits 131072 IPv4 addresses together/],
        ["a /16 and one more address", ["172.16.0.0/16", "172.17.0.1"], /admits 65537 IPv4/],
        ["64 × /22 (4 × /16)", Array.from({ length: 64 }, (_, i) => `10.${i >> 2}.${(i & 3) * 64}.0/18`).slice(0, 64), /admits 1048576 IPv4/],
        ["two IPv6 /48s", ["fd00::/48", "fd00:0:1::/48"], /admits \d+ IPv6 addresses together, more than one \/48/],
    ])("refuses %s", (_label, kongSources, message) => {
        const error = settingsError({ kongSources });
        expect({ code: error?.code, field: error?.field }).toEqual({ code: InputErrorCode.Exposure, field: "kongSources" });
        expect(error?.message).toMatch(message);
    });

    it.each([
        ["one /16", ["10.20.0.0/16"]],
        ["a /16 with addresses inside it (overlaps count once)", ["10.20.0.0/16", "10.20.1.5", "10.20.0.0/24"]],
        ["64 addresses", slash32s(MAX_KONG_SOURCES)],
        ["a /16 of IPv4 and a /48 of IPv6 (each family on its own)", ["172.30.0.0/16", "fd00:1::/48"]],
        ["four /18s making one /16", ["10.9.0.0/18", "10.9.64.0/18", "10.9.128.0/18", "10.9.192.0/18"]],
    ])("accepts %s", (_label, kongSources) => {
        expect(settingsError({ kongSources })).toBeUndefined();
    });

    it("counts the union of ranges, overlaps once", () => {
        const ranges = (texts: string[]) => texts.map((t) => parseAddressRange(t) as AddressRange);
        expect(addressCount(ranges(["10.0.0.0/24", "10.0.0.128/25", "10.0.0.7", "10.0.1.0/24"]))).toEqual({ ipv4: 512n, ipv6: 0n });
        expect(addressCount(ranges(["fd00::/64", "fd00::1", "::1"]))).toEqual({ ipv4: 0n, ipv6: (1n << 64n) + 1n });
    });
});

describe("class 3: publicBaseUrl's host is checked as written", () => {
    it.each([
        ["https://010.0.0.1:9443", /reads as an IPv4 address but .*leading zeros/],
        ["https://0x0a.0.0.1", /reads as an IPv4 address/],
        ["https://167772161", /reads as an IPv4 address/],
        ["https://10.1", /reads as an IPv4 address/],
        ["https://0177.1", /reads as an IPv4 address/],
        ["https://keys.example.com:0", /port "0"/],
        ["https://keys.example.com:09443", /port "09443"/],
        ["https://keys.example.com:65536", /port "65536"/],
        ["https://keys.example.com:", /port ""/],
        ["https://[::ffff:10.0.0.1]", /IPv4-mapped/],
        ["https://[FD00::1]", /canonical/],
        ["https://[fd00::1%25eth0]", /must be an https URL|zone/],
        ["https://Keys.Example.com", /lowercase DNS name/],
        ["https://localhost:9443", /reserved for loopback/],
        ["https://keys.example.com./", /lowercase DNS name/],
        ["https://user@keys.example.com", /host and an optional port only/],
        ["https://keys.example.com/jwks", /host and an optional port only/],
        ["https://keys.example.com?x", /host and an optional port only/],
        ["https://keys.example.com\\", /host and an optional port only/],
        ["https://keys.ex%61mple.com", /lowercase DNS name/],
        ["HTTPS://keys.example.com", /https URL/],
        ["http://keys.example.com", /https URL/],
    ])("refuses %s", (publicBaseUrl, message) => {
        const error = settingsError({ publicBaseUrl });
        expect({ code: error?.code, field: error?.field }).toEqual({ code: InputErrorCode.Invalid, field: "publicBaseUrl" });
        expect(error?.message).toMatch(message);
    });

    it.each([
        ["https://keys.example.com:9443", "https://keys.example.com:9443", { dnsNames: ["kong-keys", "keys.example.com"], ipAddresses: [] }],
        ["https://keys.example.com:443/", "https://keys.example.com", { dnsNames: ["kong-keys", "keys.example.com"], ipAddresses: [] }],
        ["https://10.0.0.1:9443", "https://10.0.0.1:9443", { dnsNames: ["kong-keys"], ipAddresses: ["10.0.0.1"] }],
        ["https://[fd00::1]:9443", "https://[fd00::1]:9443", { dnsNames: ["kong-keys"], ipAddresses: ["fd00::1"] }],
        ["https://cafe.beef", "https://cafe.beef", { dnsNames: ["kong-keys", "cafe.beef"], ipAddresses: [] }],
        ["https://1e100.example", "https://1e100.example", { dnsNames: ["kong-keys", "1e100.example"], ipAddresses: [] }],
    ])("accepts %s as %s, naming the host in the certificate", (publicBaseUrl, origin, names) => {
        const settings = resolveSettings("kong-keys", { ...base, publicBaseUrl });
        expect(settings.publicBaseUrl).toBe(origin);
        expect({ dnsNames: settings.tls.dnsNames, ipAddresses: settings.tls.ipAddresses }).toEqual(names);
    });

    it("agrees with the URL parser on every accepted origin", () => {
        for (const text of ["https://keys.example.com:9443", "https://10.0.0.1", "https://[fd00::1]:443"]) {
            const parsed = parseBaseUrl(text);
            expect("origin" in parsed && parsed.origin).toBe(new URL(text).origin);
        }
    });
});

describe("class 4: a DNS name field is never something a parser reads as an address", () => {
    const addressLike = ["127.0.0.010", "0177.0.0.1", "2130706433", "0x7f000001", "10.0.0.1", "10.1", "keys.0x1f", "keys.1", "0x"];
    const loopbackNames = ["localhost", "keys.localhost"];

    it.each([...addressLike, ...loopbackNames])("refuses %s as hostname and as tls.extraDnsNames", (name) => {
        const hostname = settingsError({ hostname: name });
        expect({ code: hostname?.code, field: hostname?.field }).toEqual({ code: InputErrorCode.Invalid, field: "hostname" });
        expect(hostname?.message).toMatch(addressLike.includes(name) ? /reads as an IPv4 address/ : /reserved for loopback/);
        expect(settingsError({ tls: { extraDnsNames: [name] } })?.field).toBe("tls.extraDnsNames");
    });

    it("refuses a component name that reads as an address when it is the default hostname, saying so", () => {
        const error = errorOf(() => resolveSettings("10.0.0.1", base));
        expect(error?.message).toMatch(/^hostname: .*reads as an IPv4 address.*defaults to the component name; set hostname/);
    });

    it.each(["kong-keys", "keys.internal", "k8s-keys.svc.cluster.local", "1keys", "keys1", "a.b1", "x0a", "localhost-keys", "keys.localhostx"])("accepts %s", (name) => {
        expect(dnsNameProblem(name)).toBeUndefined();
        expect(settingsError({ hostname: name })).toBeUndefined();
    });
});

describe("class 10: docker.subnet lies in private-use space", () => {
    it.each(["8.8.8.0/24", "1.1.1.0/24", "0.0.0.0/8", "127.0.0.0/8", "127.5.0.0/16", "224.0.0.0/8", "169.254.0.0/16", "172.32.0.0/16", "192.169.0.0/16", "100.128.0.0/16", "11.0.0.0/8"])("refuses %s", (subnet) => {
        const error = settingsError({ docker: { subnet } });
        expect({ code: error?.code, field: error?.field }).toEqual({ code: InputErrorCode.Exposure, field: "docker.subnet" });
        expect(error?.message).toMatch(/not inside private-use space/);
    });

    it.each(["172.30.10.0/24", "10.0.0.0/8", "192.168.5.0/24", "100.64.0.0/16", "172.16.0.0/12"])("accepts %s", (subnet) => {
        expect(settingsError({ docker: { subnet } })).toBeUndefined();
    });
});

describe("the Basic-auth password is well-formed text", () => {
    it.each([
        ["a lone high surrogate", `\ud800${"a".repeat(15)}`],
        ["a lone low surrogate", `${"a".repeat(15)}\udc00`],
        ["a reversed pair", `${"a".repeat(15)}\udc00\ud800`],
    ])("refuses %s, before any resource and in the check a resolved Output goes through", (_label, password) => {
        const error = settingsError({ kongAuth: { basicAuth: { username: "kong", password } } });
        expect({ code: error?.code, field: error?.field }).toEqual({ code: InputErrorCode.Invalid, field: "kongAuth.basicAuth.password" });
        expect(error?.message).toMatch(/well-formed Unicode/);
        expect(errorOf(() => checkBasicAuthPassword(password))?.field).toBe("kongAuth.basicAuth.password");
    });

    it.each([["a surrogate pair (an emoji)", `${"a".repeat(12)}😀`], ["U+FFFD itself", `${"a".repeat(14)}\ufffd`]])("accepts %s", (_label, password) => {
        expect(settingsError({ kongAuth: { basicAuth: { username: "kong", password } } })).toBeUndefined();
    });
});

describe("class 7 (the check): a Docker network is joined by its name, never by an id or a special network", () => {
    it.each([
        ["an id prefix of the default bridge", "d", { name: "bridge", driver: "bridge", options: { "com.docker.network.bridge.default_bridge": "true" } }, /id \(or an id prefix\) of the network "bridge"/],
        ["the full id of none", "a".repeat(64), { name: "none", driver: "null" }, /id \(or an id prefix\) of the network "none"/],
        ["the id of a user-defined network", "3f2a", { name: "kong-net", driver: "bridge" }, /give the network's name/],
        ["a renamed default bridge", "docker0-net", { name: "docker0-net", driver: "bridge", options: { "com.docker.network.bridge.default_bridge": "true" } }, /default bridge/],
        ["a host-driver network", "hostish", { name: "hostish", driver: "host" }, /"host" driver/],
        ["a null-driver network", "nullish", { name: "nullish", driver: "null" }, /"null" driver/],
    ])("refuses %s", (_label, given, network, message) => {
        expect(errorOf(() => checkResolvedNetwork(given, network))?.message).toMatch(message);
    });

    it.each([["a bridge network", "bridge"], ["an overlay network", "overlay"], ["a macvlan network", "macvlan"]])("accepts %s by its name", (_label, driver) => {
        expect(errorOf(() => checkResolvedNetwork("kong-net", { name: "kong-net", driver, options: {} }))).toBeUndefined();
    });

    it("looks every network up through the stack's docker provider, plain names and outputs alike", async () => {
        const pulumi = await import("@pulumi/pulumi");
        const mocks = await freshMocks();
        const { KongSigningKeyHost } = await import("../components/kongSigningKeyHost");
        const host = new KongSigningKeyHost("kong-keys", { ...base, docker: { networks: ["kong-a", pulumi.output("kong-b")] } });
        expect(await valueOf(host.kongNetworkNames)).toEqual(["kong-a", "kong-b"]);
        expect(mocks.calls.filter((c) => c.token === "docker:index/getNetwork:getNetwork").map((c) => c.inputs.name).sort()).toEqual(["kong-a", "kong-b"]);
    });
});
