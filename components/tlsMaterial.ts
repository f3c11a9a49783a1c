import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { ServerKeyAlgorithm } from "./args";
import type { ChildNames } from "./naming";
import { checkOrganisationCa } from "./organisationCa";
import type { ResolvedSettings } from "./settings";

export interface TlsMaterial {
    /** What Kong and upstreams trust. */
    readonly caCertPem: pulumi.Output<string>;
    /** Leaf certificate, followed by the CA when it is the organisation's (it may be an intermediate). */
    readonly serverChainPem: pulumi.Output<string>;
    readonly serverKeyPem: pulumi.Output<string>;
    /** The server key's public half: stable for the instance's life, so it names the instance (labels). */
    readonly serverPublicKeyPem: pulumi.Output<string>;
    /** Kong's client certificate, issued by a CA of its own (`caCertPem`) that issues nothing else. */
    readonly kongClient?: {
        readonly certPem: pulumi.Output<string>;
        readonly keyPem: pulumi.Output<string>;
        /** The client key's public half: names Kong's certificate entity (stable across renewals). */
        readonly publicKeyPem: pulumi.Output<string>;
        readonly caCertPem: pulumi.Output<string>;
    };
}

const ORGANIZATION = "kong-signing-key-host";

/** A dedicated CA (or the organisation's), a server certificate and optionally Kong's client certificate. */
export function createTlsMaterial(
    settings: ResolvedSettings,
    organisationCa: { certPem?: pulumi.Input<string>; keyPem?: pulumi.Input<string> },
    names: ChildNames,
    parent: pulumi.Resource,
): TlsMaterial {
    const { tls: t } = settings;
    let caCertPem: pulumi.Output<string>;
    let caKeyPem: pulumi.Output<string>;
    /** A self-signed CA of ours (ECDSA P-384); never renewed automatically: whoever trusts it must first. */
    const ownCa = (keyName: string, certName: string, commonName: string) => {
        const key = new tls.PrivateKey(keyName, { algorithm: "ECDSA", ecdsaCurve: "P384" }, { parent });
        const keyPem = pulumi.secret(key.privateKeyPem);
        const cert = new tls.SelfSignedCert(certName, {
            privateKeyPem: keyPem,
            subject: { commonName, organization: ORGANIZATION },
            isCaCertificate: true,
            validityPeriodHours: t.caValidityHours,
            allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
        }, { parent });
        return { certPem: cert.certPem, keyPem, publicKeyPem: key.publicKeyPem };
    };

    if (t.organisationCa) {
        caKeyPem = pulumi.secret(organisationCa.keyPem!);
        // Checked again when they resolve (an Output could not be checked before). What flows on is the
        // certificates re-encoded from what was parsed, never the caller's text: public, so it leaves the
        // key's secrecy behind.
        caCertPem = pulumi.unsecret(pulumi.all([organisationCa.certPem!, caKeyPem]).apply(([cert, key]) => checkOrganisationCa(cert, key)));
    } else {
        // No early renewal: a new CA must be trusted by Kong and upstreams first, a deliberate step.
        const ca = ownCa(names.caKey, names.caCert, `${settings.hostname} key host CA`);
        caCertPem = ca.certPem;
        caKeyPem = ca.keyPem;
    }

    const issue = (issuer: { certPem: pulumi.Output<string>; keyPem: pulumi.Output<string> },
        keyName: string, csrName: string, certName: string, algorithm: ServerKeyAlgorithm,
        subject: { commonName: string }, sans: { dnsNames?: string[]; ipAddresses?: string[] }, uses: string[]) => {
        const key = new tls.PrivateKey(keyName, algorithm === ServerKeyAlgorithm.RSA
            ? { algorithm: "RSA", rsaBits: 2048 }
            : { algorithm: "ECDSA", ecdsaCurve: "P256" }, { parent });
        const keyPem = pulumi.secret(key.privateKeyPem);
        const csr = new tls.CertRequest(csrName, {
            privateKeyPem: keyPem,
            subject: { ...subject, organization: ORGANIZATION },
            ...sans,
        }, { parent });
        const cert = new tls.LocallySignedCert(certName, {
            certRequestPem: csr.certRequestPem,
            caCertPem: issuer.certPem,
            caPrivateKeyPem: issuer.keyPem,
            validityPeriodHours: t.certValidityHours,
            earlyRenewalHours: t.certEarlyRenewalHours,
            allowedUses: algorithm === ServerKeyAlgorithm.RSA ? ["digital_signature", "key_encipherment", ...uses] : ["digital_signature", ...uses],
        }, { parent });
        return { certPem: cert.certPem, keyPem, publicKeyPem: key.publicKeyPem };
    };

    const server = issue({ certPem: caCertPem, keyPem: caKeyPem }, names.serverKey, names.serverCsr, names.serverCert, t.serverKeyAlgorithm,
        { commonName: settings.hostname },
        { dnsNames: [...t.dnsNames], ...(t.ipAddresses.length > 0 ? { ipAddresses: [...t.ipAddresses] } : {}) },
        ["server_auth"]);
    const serverChainPem = t.organisationCa
        ? pulumi.all([server.certPem, caCertPem]).apply(([leaf, ca]) => `${leaf.trimEnd()}\n${ca.trimEnd()}\n`)
        : server.certPem;

    // mTLS must mean Kong's certificate: a CA of its own issues it and nothing else, so no other
    // certificate — not one of the organisation's, not one with the same subject — passes /private/.
    let kongClient: TlsMaterial["kongClient"];
    if (settings.kongAuth.clientCertificate) {
        const clientCa = ownCa(names.kongClientCaKey, names.kongClientCaCert, `${settings.hostname} Kong client CA`);
        const cert = issue(clientCa, names.kongClientKey, names.kongClientCsr, names.kongClientCert, ServerKeyAlgorithm.ECDSA,
            { commonName: `kong (${settings.hostname} keyset client)` }, {}, ["client_auth"]);
        kongClient = { certPem: cert.certPem, keyPem: cert.keyPem, publicKeyPem: cert.publicKeyPem, caCertPem: clientCa.certPem };
    }

    return { caCertPem, serverChainPem, serverKeyPem: server.keyPem, serverPublicKeyPem: server.publicKeyPem, ...(kongClient ? { kongClient } : {}) };
}
