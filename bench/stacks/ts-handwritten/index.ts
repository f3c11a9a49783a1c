// What KongSigningKeyHost declares for bench/stacks/ts-component, written by hand as plain tls and
// docker resources with the same inputs: the peer the component's preview is measured against
// (bench/previews.ts). The JWKS uploads carry the keys' PEM; like the component's, they are unknown
// until the keys exist.
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import * as tls from "@pulumi/tls";

const config = new pulumi.Config();
const ORG = "kong-signing-key-host";
const PREFIX = "io.github.kong-signing-key-host";

const accessKey = new tls.PrivateKey("access-key", { algorithm: "RSA", rsaBits: 2048 });
const channelKey = new tls.PrivateKey("channel-key", { algorithm: "ECDSA", ecdsaCurve: "P256" });
const caKey = new tls.PrivateKey("ca-key", { algorithm: "ECDSA", ecdsaCurve: "P384" });
const caCert = new tls.SelfSignedCert("ca-cert", {
    privateKeyPem: caKey.privateKeyPem,
    subject: { commonName: "kong-keys key host CA", organization: ORG },
    isCaCertificate: true,
    validityPeriodHours: 87600,
    allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
});
const serverKey = new tls.PrivateKey("server-key", { algorithm: "ECDSA", ecdsaCurve: "P256" });
const serverCsr = new tls.CertRequest("server-csr", {
    privateKeyPem: serverKey.privateKeyPem,
    subject: { commonName: "kong-keys", organization: ORG },
    dnsNames: ["kong-keys"],
});
const serverCert = new tls.LocallySignedCert("server-cert", {
    certRequestPem: serverCsr.certRequestPem,
    caCertPem: caCert.certPem,
    caPrivateKeyPem: caKey.privateKeyPem,
    validityPeriodHours: 2160,
    earlyRenewalHours: 720,
    allowedUses: ["digital_signature", "server_auth"],
});
const kongNet = new docker.Network("kong-net", {
    driver: "bridge",
    internal: true,
    ipamConfigs: [{ subnet: config.require("subnet"), gateway: config.require("gateway") }],
    labels: [{ label: `${PREFIX}.component`, value: "kong-keys" }],
});
const upload = (file: string, content: pulumi.Input<string>, permissions = "0444") => ({ file: `/etc/kong-keys/${file}`, content, permissions });
new docker.Container("host", {
    image: config.require("image"),
    labels: [
        { label: `${PREFIX}.component`, value: "kong-keys" },
        { label: `${PREFIX}.hostname`, value: "kong-keys" },
        { label: `${PREFIX}.role`, value: "key-host" },
        { label: `${PREFIX}.keyset.access`, value: "published 2026-11; active 2026-11" },
        { label: `${PREFIX}.keyset.channel`, value: "published 2026-11; active 2026-11" },
    ],
    entrypoints: ["/usr/sbin/nginx"],
    command: ["-e", "stderr", "-c", "/etc/kong-keys/nginx.conf"],
    user: "101:101",
    groupAdds: ["0"],
    workingDir: "/etc/kong-keys",
    uploads: [
        upload("nginx.conf", fs.readFileSync(path.join(__dirname, "nginx.conf"), "utf8")),
        upload("tls/ca.crt", caCert.certPem),
        upload("tls/server.crt", serverCert.certPem),
        upload("tls/server.key", serverKey.privateKeyPem, "0440"),
        upload("private/access.jwks.json", accessKey.privateKeyPem, "0440"),
        upload("public/access.jwks.json", accessKey.publicKeyPem),
        upload("private/channel.jwks.json", channelKey.privateKeyPem, "0440"),
        upload("public/channel.jwks.json", channelKey.publicKeyPem),
    ],
    tmpfs: { "/tmp": "rw,noexec,nosuid,nodev,size=16m,mode=1777" },
    capabilities: { drops: ["ALL"] },
    securityOpts: ["no-new-privileges:true"],
    networksAdvanced: [{ name: kongNet.name, aliases: ["kong-keys"] }],
    healthcheck: {
        tests: ["CMD", "curl", "--fail", "--silent", "--show-error", "--max-time", "2", "http://127.0.0.1:8080/healthz"],
        interval: "2s", timeout: "3s", startPeriod: "10s", retries: 3,
    },
    restart: "unless-stopped",
    memory: 64,
    memorySwap: 64,
    ulimits: [{ name: "nproc", soft: 64, hard: 64 }, { name: "nofile", soft: 4096, hard: 4096 }],
    stopSignal: "SIGQUIT",
    destroyGraceSeconds: 10,
    wait: true,
    waitTimeout: 60,
    mustRun: true,
});

export const privateKeysetUrls = { access: "https://kong-keys:8443/private/access/jwks.json", channel: "https://kong-keys:8443/private/channel/jwks.json" };
export const caCertPem = caCert.certPem;
