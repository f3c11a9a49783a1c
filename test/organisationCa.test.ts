import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { checkOrganisationCa } from "../components/organisationCa";
import { resolveSettings } from "../components/settings";
import { inputErrorOf } from "./support/inputErrors";
import { makeTlsFixture } from "./support/tlsFixtures";

/** A self-signed certificate with the given extensions (openssl CLI), and its key. */
function selfSigned(extensions: string[], days = 2): { cert: string; key: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kskh-orgca-"));
    try {
        execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "k.pem", "-out", "c.pem",
            "-subj", "/CN=org CA", "-days", String(days), ...extensions.flatMap((e) => ["-addext", e])], { cwd: dir, stdio: "ignore" });
        return { cert: fs.readFileSync(path.join(dir, "c.pem"), "utf8"), key: fs.readFileSync(path.join(dir, "k.pem"), "utf8") };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

const good = makeTlsFixture(["kong-keys"]);
const other = makeTlsFixture(["kong-keys"]);
const withCrl = selfSigned(["basicConstraints=critical,CA:TRUE", "keyUsage=critical,keyCertSign,cRLSign"]);
const noKeyUsage = selfSigned(["basicConstraints=critical,CA:TRUE"]);
const notCa = selfSigned(["basicConstraints=critical,CA:FALSE"]);
const signingOnly = selfSigned(["basicConstraints=critical,CA:TRUE", "keyUsage=critical,digitalSignature"]);
const intermediateChain = `${good.caCertPem.trimEnd()}\n${other.caCertPem}`;

const errorOf = (cert: string, key: string, now?: Date) => inputErrorOf(() => checkOrganisationCa(cert, key, now));

// Class: caller-supplied PEM must be what it claims, refused before any resource.
describe("the organisation's CA is what it claims", () => {
    it.each([
        ["a CA with keyCertSign", good.caCertPem, good.caKeyPem],
        ["a CA without a key usage extension", noKeyUsage.cert, noKeyUsage.key],
        ["a CA followed by its issuer (an intermediate's chain)", intermediateChain, good.caKeyPem],
        ["a CA with cRLSign as well", withCrl.cert, withCrl.key],
    ])("accepts %s", (_label, cert, key) => {
        expect(errorOf(cert, key)).toBeUndefined();
    });

    it.each([
        ["a private key inside the certificate field", `${good.caCertPem}${good.caKeyPem}`, good.caKeyPem, "ERR_KSKH_EXPOSURE", "tls.caCertPem", /carries a PRIVATE KEY block/],
        ["a key alone in the certificate field", good.caKeyPem, good.caKeyPem, "ERR_KSKH_EXPOSURE", "tls.caCertPem", /carries a PRIVATE KEY block/],
        ["no certificate at all, but text", "not a pem", good.caKeyPem, "ERR_KSKH_EXPOSURE", "tls.caCertPem", /text other than PEM CERTIFICATE blocks/],
        ["nothing but whitespace", " \n", good.caKeyPem, "ERR_KSKH_INVALID", "tls.caCertPem", /no PEM CERTIFICATE/],
        ["a certificate that is not a CA", notCa.cert, notCa.key, "ERR_KSKH_INVALID", "tls.caCertPem", /not a CA that may issue/],
        ["a server certificate", good.serverCertPem, good.serverKeyPem, "ERR_KSKH_INVALID", "tls.caCertPem", /not a CA that may issue/],
        ["a CA that may not issue certificates", signingOnly.cert, signingOnly.key, "ERR_KSKH_INVALID", "tls.caCertPem", /with a key usage, keyCertSign/],
        ["a key of another CA", good.caCertPem, other.caKeyPem, "ERR_KSKH_CONFLICT", "tls.caKeyPem", /does not match/],
        ["a certificate in the key field", good.caCertPem, good.caCertPem, "ERR_KSKH_INVALID", "tls.caKeyPem", /exactly one PEM private key/],
        ["two keys in the key field", good.caCertPem, `${good.caKeyPem}${other.caKeyPem}`, "ERR_KSKH_INVALID", "tls.caKeyPem", /exactly one PEM private key/],
    ])("refuses %s", (_label, cert, key, code, field, message) => {
        const error = errorOf(cert, key);
        expect({ code: error?.code, field: error?.field }).toEqual({ code, field });
        expect(error?.message).toMatch(message);
    });

    it("refuses an expired CA, and one not yet valid", () => {
        expect(errorOf(good.caCertPem, good.caKeyPem, new Date(Date.now() + 3 * 86_400_000))?.message).toMatch(/expired on/);
        expect(errorOf(good.caCertPem, good.caKeyPem, new Date(Date.now() - 86_400_000))?.message).toMatch(/not valid before/);
    });

    it("is checked by resolveSettings, before any resource, when the PEM are plain strings", () => {
        const args = { keysets: { access: { generations: ["a"] } }, kongSources: ["172.30.10.0/24"] };
        expect(() => resolveSettings("kong-keys", { ...args, tls: { caCertPem: `${good.caCertPem}${good.caKeyPem}`, caKeyPem: good.caKeyPem } }))
            .toThrowError(/tls.caCertPem: carries a PRIVATE KEY block/);
        expect(resolveSettings("kong-keys", { ...args, tls: { caCertPem: good.caCertPem, caKeyPem: good.caKeyPem } }).tls.organisationCa).toBe(true);
    });
});
