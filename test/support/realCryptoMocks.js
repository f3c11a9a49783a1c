// Pulumi mocks that return REAL keys and certificates (node:crypto and the openssl CLI), so the
// component's JWK conversion, TLS chain and nginx config meet real material. Plain CommonJS so that
// vitest tests and the child processes that load programs through `@pulumi/pulumi/cmd/run` share it.
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { execFileSync } = require("node:child_process");

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Secret inputs reach mocks wrapped; this returns the plain value (recursively). */
function unwrapSecrets(value) {
    if (Array.isArray(value)) return value.map(unwrapSecrets);
    if (value && typeof value === "object") {
        if (value[SECRET_SIG] === "1b47061264138c4ac30d75fd1eb44270") return unwrapSecrets(value.value);
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
    }
    return value;
}

// Keys and certificates survive across program runs in one process, like provider state: same
// name and inputs, same key or certificate.
const keyCache = new Map();
const certCache = new Map();
function cached(kind, name, inputs, make) {
    const key = `${kind}|${name}|${JSON.stringify(inputs)}`;
    if (!certCache.has(key)) certCache.set(key, make(inputs));
    return certCache.get(key);
}

function generateKey(inputs) {
    const algorithm = inputs.algorithm;
    let pair;
    if (algorithm === "RSA") {
        pair = crypto.generateKeyPairSync("rsa", { modulusLength: inputs.rsaBits ?? 2048 });
        return {
            privateKeyPem: pair.privateKey.export({ type: "pkcs1", format: "pem" }),
            privateKeyPemPkcs8: pair.privateKey.export({ type: "pkcs8", format: "pem" }),
            publicKeyPem: pair.publicKey.export({ type: "spki", format: "pem" }),
        };
    }
    if (algorithm === "ECDSA") {
        const curves = { P256: "prime256v1", P384: "secp384r1", P521: "secp521r1" };
        const namedCurve = curves[inputs.ecdsaCurve];
        if (!namedCurve) throw new Error(`mock: the tls provider's default curve (P224) is unusable; got ${inputs.ecdsaCurve}`);
        pair = crypto.generateKeyPairSync("ec", { namedCurve });
        return {
            privateKeyPem: pair.privateKey.export({ type: "sec1", format: "pem" }),
            privateKeyPemPkcs8: pair.privateKey.export({ type: "pkcs8", format: "pem" }),
            publicKeyPem: pair.publicKey.export({ type: "spki", format: "pem" }),
        };
    }
    if (algorithm === "ED25519") {
        pair = crypto.generateKeyPairSync("ed25519");
        const pkcs8 = pair.privateKey.export({ type: "pkcs8", format: "pem" });
        return { privateKeyPem: pkcs8, privateKeyPemPkcs8: pkcs8, publicKeyPem: pair.publicKey.export({ type: "spki", format: "pem" }) };
    }
    throw new Error(`mock: unknown tls.PrivateKey algorithm ${algorithm}`);
}

function openssl(args, files) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kskh-mock-"));
    try {
        for (const [name, body] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), body);
        execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
        return fs.readFileSync(path.join(dir, "out.pem"), "utf8");
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

function subjectOf(subject) {
    const parts = [];
    if (subject?.organization) parts.push(`/O=${subject.organization}`);
    if (subject?.commonName) parts.push(`/CN=${subject.commonName.replace(/\//g, "\\/")}`);
    return parts.join("") || "/CN=unnamed";
}

const USAGE = {
    cert_signing: ["keyUsage", "keyCertSign"], crl_signing: ["keyUsage", "cRLSign"],
    digital_signature: ["keyUsage", "digitalSignature"], key_encipherment: ["keyUsage", "keyEncipherment"],
    server_auth: ["extendedKeyUsage", "serverAuth"], client_auth: ["extendedKeyUsage", "clientAuth"],
};

function extensionLines(inputs) {
    const ku = [];
    const eku = [];
    for (const use of inputs.allowedUses ?? []) {
        const [kind, name] = USAGE[use] ?? [];
        if (kind === "keyUsage") ku.push(name); else if (kind === "extendedKeyUsage") eku.push(name);
    }
    const lines = [inputs.isCaCertificate ? "basicConstraints=critical,CA:TRUE" : "basicConstraints=critical,CA:FALSE"];
    if (ku.length) lines.push(`keyUsage=critical,${ku.join(",")}`);
    if (eku.length) lines.push(`extendedKeyUsage=${eku.join(",")}`);
    lines.push("subjectKeyIdentifier=hash");
    return lines;
}

const days = (hours) => String(Math.max(1, Math.ceil((hours ?? 24) / 24)));

function selfSignedCert(inputs) {
    const ext = extensionLines(inputs);
    return openssl(["req", "-x509", "-new", "-key", "key.pem", "-subj", subjectOf(inputs.subject), "-days", days(inputs.validityPeriodHours),
        "-config", "req.cnf", "-extensions", "ext", "-out", "out.pem"],
        { "key.pem": inputs.privateKeyPem, "req.cnf": `[req]\ndistinguished_name=dn\n[dn]\n[ext]\n${ext.join("\n")}\n` });
}

function certRequest(inputs) {
    const sans = [...(inputs.dnsNames ?? []).map((n) => `DNS:${n}`), ...(inputs.ipAddresses ?? []).map((ip) => `IP:${ip}`)];
    const args = ["req", "-new", "-key", "key.pem", "-subj", subjectOf(inputs.subject), "-out", "out.pem"];
    if (sans.length) args.push("-addext", `subjectAltName=${sans.join(",")}`);
    return openssl(args, { "key.pem": inputs.privateKeyPem });
}

function locallySignedCert(inputs) {
    const ext = extensionLines(inputs);
    return openssl(["x509", "-req", "-in", "csr.pem", "-CA", "ca.pem", "-CAkey", "cakey.pem", "-CAcreateserial", "-days", days(inputs.validityPeriodHours),
        "-copy_extensions", "copy", "-extfile", "ext.cnf", "-out", "out.pem"],
        { "csr.pem": inputs.certRequestPem, "ca.pem": inputs.caCertPem, "cakey.pem": inputs.caPrivateKeyPem, "ext.cnf": `${ext.join("\n")}\n` });
}

const suffixOf = (name) => crypto.createHash("sha256").update(name).digest("hex").slice(0, 7);

class RealCryptoMocks {
    /**
     * @param {{ secretOutputs?: boolean, pulumi?: any }} options secretOutputs: return private provider outputs as
     *   secrets, as the real tls provider does. Off, the component must make them secret itself.
     */
    constructor(options = {}) {
        this.secretOutputs = options.secretOutputs ?? true;
        // The @pulumi/pulumi instance the program uses (a packed-package project has its own).
        this.pulumi = options.pulumi ?? require("@pulumi/pulumi");
        /** Every registered resource: { type, name, inputs (raw, secrets wrapped), plain (unwrapped) }. */
        this.resources = [];
        this.calls = [];
    }

    newResource(args) {
        const raw = args.inputs;
        const inputs = unwrapSecrets(raw);
        this.resources.push({ type: args.type, name: args.name, inputs: raw, plain: inputs, provider: args.provider });
        const secret = (value) => (this.secretOutputs ? this.pulumi.secret(value) : value);
        const id = `${args.name}-id`;
        switch (args.type) {
            case "tls:index/privateKey:PrivateKey": {
                const cacheKey = `${args.name}|${inputs.algorithm}|${inputs.rsaBits}|${inputs.ecdsaCurve}`;
                if (!keyCache.has(cacheKey)) keyCache.set(cacheKey, generateKey(inputs));
                const key = keyCache.get(cacheKey);
                return { id, state: { ...inputs, privateKeyPem: secret(key.privateKeyPem), privateKeyPemPkcs8: secret(key.privateKeyPemPkcs8), publicKeyPem: key.publicKeyPem } };
            }
            case "tls:index/selfSignedCert:SelfSignedCert":
                return { id, state: { ...inputs, privateKeyPem: secret(inputs.privateKeyPem), certPem: cached(args.type, args.name, inputs, selfSignedCert) } };
            case "tls:index/certRequest:CertRequest":
                return { id, state: { ...inputs, privateKeyPem: secret(inputs.privateKeyPem), certRequestPem: cached(args.type, args.name, inputs, certRequest) } };
            case "tls:index/locallySignedCert:LocallySignedCert":
                return { id, state: { ...inputs, caPrivateKeyPem: secret(inputs.caPrivateKeyPem), certPem: cached(args.type, args.name, inputs, locallySignedCert) } };
            case "docker:index/network:Network":
            case "docker:index/container:Container": {
                // The provider auto-names: logical name plus a suffix (deterministic here).
                const state = { ...inputs, name: inputs.name ?? `${args.name}-${suffixOf(args.name)}` };
                this.resources[this.resources.length - 1].physicalName = state.name;
                return { id, state };
            }
            default:
                if (args.type.startsWith("kubernetes:")) {
                    // The kubernetes provider auto-names too, when metadata.name is left out.
                    const metadata = { ...inputs.metadata, name: inputs.metadata?.name ?? `${args.name}-${suffixOf(args.name)}` };
                    this.resources[this.resources.length - 1].physicalName = metadata.name;
                    return { id, state: { ...inputs, metadata } };
                }
                return { id, state: inputs };
        }
    }

    call(args) {
        this.calls.push(args);
        if (args.token === "docker:index/getNetwork:getNetwork") {
            // What a user-defined bridge network looks like to the docker provider, found by its name.
            const id = crypto.createHash("sha256").update(String(args.inputs.name)).digest("hex");
            return { id, name: args.inputs.name, driver: "bridge", internal: false, options: {}, ipamConfigs: [], containers: [] };
        }
        throw new Error(`mock: unexpected provider function call ${args.token}`);
    }

    byType(type) {
        return this.resources.filter((r) => r.type === type);
    }
}

module.exports = { RealCryptoMocks, unwrapSecrets, SECRET_SIG };
