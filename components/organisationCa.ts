import { createPrivateKey, X509Certificate } from "node:crypto";
import { fail, InputErrorCode } from "./errors";
import { isWellFormedText } from "./text";

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
const PRIVATE_KEY_TYPES = ["PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY"];
/** One certificate block exactly as RFC 7468 writes it (strict: uppercase labels, base64 body), then whitespace. */
const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[ \t]*\r?\n([A-Za-z0-9+/=\r\n \t]+?)-----END CERTIFICATE-----\s*/y;
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function pemBlocks(pem: string): { type: string; text: string }[] {
    return [...pem.matchAll(PEM_BLOCK)].map((m) => ({ type: m[1], text: m[0] }));
}

/**
 * The certificates of `tls.caCertPem`, parsed: the text must be certificate blocks and whitespace and
 * nothing else, each block's body the DER of one certificate with no byte after it. Anything else —
 * a key under any label or case, bare base64, a JWK, a block with no END line — is refused without
 * quoting it (it may be a key).
 */
function parseCertificates(certPem: string): X509Certificate[] {
    const fix = "give only the CA certificate (and the certificates above it), and put its key in tls.caKeyPem as a secret";
    const outside = `holds text other than PEM CERTIFICATE blocks and whitespace; ${fix}`;
    if (typeof certPem !== "string" || !isWellFormedText(certPem)) fail(InputErrorCode.Exposure, "tls.caCertPem", outside);
    const start = certPem.length - certPem.trimStart().length;
    CERTIFICATE_BLOCK.lastIndex = start;
    const certs: X509Certificate[] = [];
    while (CERTIFICATE_BLOCK.lastIndex < certPem.length) {
        const match = CERTIFICATE_BLOCK.exec(certPem);
        if (!match) {
            const typed = pemBlocks(certPem.slice(CERTIFICATE_BLOCK.lastIndex)).find((b) => b.type !== "CERTIFICATE");
            fail(InputErrorCode.Exposure, "tls.caCertPem", typed ? `carries a ${typed.type} block; ${fix}` : outside);
        }
        const body = match[1].replace(/\s+/g, "");
        const der = Buffer.from(body, "base64");
        let cert: X509Certificate | undefined;
        try {
            cert = STRICT_BASE64.test(body) ? new X509Certificate(der) : undefined;
        } catch {
            cert = undefined;
        }
        if (!cert || !cert.raw.equals(der)) {
            fail(InputErrorCode.Invalid, "tls.caCertPem", `certificate block ${certs.length + 1} is not exactly one DER-encoded X.509 certificate`);
        }
        certs.push(cert);
    }
    if (certs.length === 0) fail(InputErrorCode.Invalid, "tls.caCertPem", "holds no PEM CERTIFICATE block");
    return certs;
}

/**
 * The organisation's CA (`tls.caCertPem` + `tls.caKeyPem`) must be what it claims before anything uses it:
 * the certificate field holds certificates only (a private key there would reach non-secret outputs,
 * resource inputs and files served as public), the first is a CA that may issue certificates and is
 * valid now, and the key field holds one private key that matches it.
 * Returns the certificates re-encoded from what was parsed: only that flows on, never the caller's text.
 */
export function checkOrganisationCa(certPem: string, keyPem: string, now: Date = new Date()): string {
    const certs = parseCertificates(certPem);
    const cert = certs[0];
    // OpenSSL's CA check (X509_check_ca): basic constraints CA:TRUE, and keyCertSign when a key usage is given.
    if (!cert.ca) {
        fail(InputErrorCode.Invalid, "tls.caCertPem",
            `(${cert.subject.replace(/\n/g, ", ")}) is not a CA that may issue certificates: it needs basic constraints CA:TRUE and, with a key usage, keyCertSign`);
    }
    if (now < new Date(cert.validFrom)) fail(InputErrorCode.Invalid, "tls.caCertPem", `is not valid before ${cert.validFrom}`);
    if (now > new Date(cert.validTo)) fail(InputErrorCode.Invalid, "tls.caCertPem", `expired on ${cert.validTo}`);

    const keyBlocks = pemBlocks(keyPem);
    if (keyBlocks.length !== 1 || !PRIVATE_KEY_TYPES.includes(keyBlocks[0].type)) {
        fail(InputErrorCode.Invalid, "tls.caKeyPem", "must hold exactly one PEM private key (PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY)");
    }
    let key;
    try {
        key = createPrivateKey(keyBlocks[0].text);
    } catch {
        return fail(InputErrorCode.Invalid, "tls.caKeyPem", "is not a parsable private key (an encrypted key is not supported)");
    }
    if (!cert.checkPrivateKey(key)) fail(InputErrorCode.Conflict, "tls.caKeyPem", "does not match the certificate in tls.caCertPem");
    return certs.map((c) => c.toString()).join("");
}
