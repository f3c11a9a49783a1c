import { createPrivateKey, X509Certificate } from "node:crypto";
import { fail, InputErrorCode } from "./errors";

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
const PRIVATE_KEY_TYPES = ["PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY"];

function pemBlocks(pem: string): { type: string; text: string }[] {
    return [...pem.matchAll(PEM_BLOCK)].map((m) => ({ type: m[1], text: m[0] }));
}

/**
 * The organisation's CA (`tls.caCertPem` + `tls.caKeyPem`) must be what it claims before anything uses it:
 * the certificate field holds certificates only (a private key there would reach non-secret outputs,
 * resource inputs and files served as public), the first is a CA that may issue certificates and is
 * valid now, and the key field holds one private key that matches it.
 */
export function checkOrganisationCa(certPem: string, keyPem: string, now: Date = new Date()): void {
    const certBlocks = pemBlocks(certPem);
    const foreign = certBlocks.find((b) => b.type !== "CERTIFICATE");
    if (foreign) {
        fail(InputErrorCode.Exposure, "tls.caCertPem",
            `carries a ${foreign.type} block; give only the CA certificate (its key belongs in tls.caKeyPem, as a secret)`);
    }
    if (certBlocks.length === 0) fail(InputErrorCode.Invalid, "tls.caCertPem", "holds no PEM CERTIFICATE block");
    let cert: X509Certificate;
    try {
        cert = new X509Certificate(certBlocks[0].text);
    } catch {
        return fail(InputErrorCode.Invalid, "tls.caCertPem", "is not a parsable X.509 certificate");
    }
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
}
