import * as pulumi from "@pulumi/pulumi";
import type { KongSigningKeyHostArgs } from "./args";
import { claimNetworkAlias } from "./docker/aliasClaims";
import { instanceLabelValue } from "./docker/instanceLabel";
import { htpasswdLine, htpasswdSalt } from "./htpasswd";
import { type JsonWebKeySet, privateKeyset, publicKeyset, serializeKeyset } from "./jwks";
import {
    buildJwtSignerConfig, buildKongRotateRequests, type JwtSignerConfig, kongCertificateEntityId, type KongCertificatePayload,
    type KeysetGenerations, keysetGenerations, type KongCredentials, kongRotatePath, type KongRotateRequest,
} from "./jwtSignerConfig";
import { createKeyHost } from "./keyHostContainer";
import { createKubernetesKeyHost } from "./kubernetes/keyHostDeployment";
import type { KeyHostContent } from "./servedFiles";
import { DEFAULT_IMAGE, urlPaths } from "./layout";
import { childNames } from "./naming";
import { configInputFromSettings, renderNginxConfig } from "./nginx/renderConfig";
import { renderPublicProxyConfig } from "./nginx/renderPublicProxyConfig";
import { checkBasicAuthPassword, resolveSettings } from "./settings";
import { createSigningKeys } from "./signingKeys";
import { createTlsMaterial } from "./tlsMaterial";

export const KONG_SIGNING_KEY_HOST_TYPE = "kong-signing-key-host:index:KongSigningKeyHost";

/**
 * Signing keys (JWKS) for Kong's jwt-signer, TLS material, and a hardened nginx key host — a container on
 * Docker, or a replicated Deployment on Kubernetes — that serves each private keyset to Kong only and the
 * public keys to upstreams.
 */
export class KongSigningKeyHost extends pulumi.ComponentResource {
    /** https URL of each keyset's private JWKS, for jwt-signer `*_keyset`. */
    public readonly privateKeysetUrls!: pulumi.Output<Record<string, string>>;
    /** https URL of each keyset's public JWKS, for upstreams that verify tokens. */
    public readonly publicJwksUrls!: pulumi.Output<Record<string, string>>;
    /** Each keyset's private JWKS (the active key only). Secret. */
    public readonly privateJwks!: pulumi.Output<Record<string, JsonWebKeySet>>;
    /** Each keyset's public JWKS (every generation). Not secret, so rotations show in `preview --diff`. */
    public readonly publicJwks!: pulumi.Output<Record<string, JsonWebKeySet>>;
    /** The `kid` Kong signs with, per keyset. */
    public readonly activeKids!: pulumi.Output<Record<string, string>>;
    /** PEM of the CA Kong (`lua_ssl_trusted_certificate`) and upstreams must trust. */
    public readonly caCertPem!: pulumi.Output<string>;
    /** Kong's client certificate (PEM) when `kongAuth.clientCertificate` is on. */
    public readonly kongClientCertPem!: pulumi.Output<string | undefined>;
    /** Kong's client key (PEM) when `kongAuth.clientCertificate` is on. Secret. */
    public readonly kongClientKeyPem!: pulumi.Output<string | undefined>;
    /**
     * With `kongAuth.clientCertificate`: what Kong's `POST /certificates` (or `PUT /certificates/{id}`)
     * takes — `{id, cert, key}` — to hold Kong's client certificate. The fragment and the rotate requests
     * already name that `id`, so nothing flows back into the component. Secret.
     */
    public readonly kongClientCertificate!: pulumi.Output<KongCertificatePayload | undefined>;
    /** Ready jwt-signer `config` fields for `jwtSigner.kongVersion`; secret when it carries a Basic-auth password. */
    public readonly jwtSignerConfig!: pulumi.Output<JwtSignerConfig>;
    /** Kong Admin API path (POST) that reloads each keyset now. */
    public readonly kongRotatePaths!: pulumi.Output<Record<string, string>>;
    /**
     * Per keyset, the Admin API request that reloads it now: method, path and the JSON body with the
     * credentials Kong fetches it with. Secret when it carries a Basic-auth password.
     */
    public readonly kongRotateRequests!: pulumi.Output<Record<string, KongRotateRequest>>;
    /** Per keyset, the generations published (oldest first) and the active one: what each rotation step changes. */
    public readonly keysetGenerations!: pulumi.Output<Record<string, KeysetGenerations>>;
    /** The key host's DNS name: its alias on the Docker network(s), or its Service's cluster DNS name. */
    public readonly hostname!: pulumi.Output<string>;
    /** Docker networks Kong must be on to reach the private keysets (empty on Kubernetes). */
    public readonly kongNetworkNames!: pulumi.Output<string[]>;
    /** Name of the key host container (Docker). */
    public readonly containerName!: pulumi.Output<string | undefined>;
    /** Name of the container that owns the published public port, when `docker.publicPort` is set. */
    public readonly publicProxyContainerName!: pulumi.Output<string | undefined>;
    /** Namespace of the key host's objects (Kubernetes). */
    public readonly kubernetesNamespace!: pulumi.Output<string | undefined>;
    /** Name of the key host's Service, ports 8443 (Kong) and 9443 (public) (Kubernetes). */
    public readonly serviceName!: pulumi.Output<string | undefined>;

    constructor(name: string, args: KongSigningKeyHostArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validate before anything is registered: bad input must not leave a half-made component behind.
        const settings = resolveSettings(name, args);
        for (const network of settings.target === "docker" ? settings.docker.existingNetworks ?? [] : []) {
            if (typeof network === "string") claimNetworkAlias(name, network, settings.hostname);
        }
        super(KONG_SIGNING_KEY_HOST_TYPE, name, {}, opts);
        const names = childNames(name);

        const signingKeys = Object.fromEntries(settings.keysets.map((k) => [k.name, createSigningKeys(k, names, this)]));
        const keys = pulumi.all(Object.fromEntries(settings.keysets.map((k) => [k.name, signingKeys[k.name].all])));
        // The private keysets and kids depend on the active keys only: a new generation leaves them known.
        const activeKeys = pulumi.all(Object.fromEntries(settings.keysets.map((k) => [k.name, signingKeys[k.name].byGeneration[k.active]])));
        const privateSets = pulumi.secret(activeKeys.apply((active) => Object.fromEntries(
            settings.keysets.map((k) => [k.name, privateKeyset([active[k.name]], k.active)]))));
        // Public keys and kids derive from secret keys but reveal nothing: unsecret them on purpose.
        const publicSets = pulumi.unsecret(keys.apply((all) => Object.fromEntries(
            settings.keysets.map((k) => [k.name, publicKeyset(all[k.name])]))));
        const activeKids = pulumi.unsecret(activeKeys.apply((active) => Object.fromEntries(
            settings.keysets.map((k) => [k.name, active[k.name].kid]))));

        const tlsMaterial = createTlsMaterial(settings, { certPem: args.tls?.caCertPem, keyPem: args.tls?.caKeyPem }, names, this);

        const password = args.kongAuth?.basicAuth
            ? pulumi.secret(pulumi.output(args.kongAuth.basicAuth.password).apply((p) => { checkBasicAuthPassword(p); return p; }))
            : undefined;
        const htpasswd = password && settings.kongAuth.basicAuthUsername !== undefined
            ? pulumi.secret(pulumi.all([password, tlsMaterial.serverKeyPem]).apply(([p, key]) => {
                const username = settings.kongAuth.basicAuthUsername!;
                return htpasswdLine(username, p, htpasswdSalt(key, username));
            }))
            : undefined;

        const content: KeyHostContent = {
            instance: tlsMaterial.serverPublicKeyPem.apply(instanceLabelValue),
            nginxConf: renderNginxConfig(configInputFromSettings(settings)),
            ...(settings.docker.publicPort !== undefined
                ? { publicProxyConf: renderPublicProxyConfig({ hostname: settings.hostname }) }
                : {}),
            caCertPem: tlsMaterial.caCertPem,
            ...(tlsMaterial.kongClient ? { kongClientCaCertPem: tlsMaterial.kongClient.caCertPem } : {}),
            serverChainPem: tlsMaterial.serverChainPem,
            serverKeyPem: tlsMaterial.serverKeyPem,
            privateJwks: Object.fromEntries(settings.keysets.map((k) => [k.name, privateSets.apply((s) => serializeKeyset(s[k.name]))])),
            publicJwks: Object.fromEntries(settings.keysets.map((k) => [k.name, publicSets.apply((s) => serializeKeyset(s[k.name]))])),
            ...(htpasswd ? { htpasswd } : {}),
        };
        const dockerHost = settings.target === "docker" ? createKeyHost(settings, content, args.docker?.image ?? DEFAULT_IMAGE, names, this) : undefined;
        const kubernetesHost = settings.target === "kubernetes" ? createKubernetesKeyHost(settings, content, names, this) : undefined;

        const privateUrls = Object.fromEntries(settings.keysets.map((k) => [k.name, `${settings.privateBaseUrl}${urlPaths.privateJwks(k.name)}`]));
        const publicUrls = Object.fromEntries(settings.keysets.map((k) => [k.name, `${settings.publicBaseUrl}${urlPaths.publicJwks(k.name)}`]));

        this.privateKeysetUrls = pulumi.output(privateUrls);
        this.publicJwksUrls = pulumi.output(publicUrls);
        this.privateJwks = privateSets;
        this.publicJwks = publicSets;
        this.activeKids = activeKids;
        this.caCertPem = tlsMaterial.caCertPem;
        this.kongClientCertPem = tlsMaterial.kongClient ? tlsMaterial.kongClient.certPem : pulumi.output(undefined);
        this.kongClientKeyPem = tlsMaterial.kongClient ? pulumi.secret(tlsMaterial.kongClient.keyPem) : pulumi.output(undefined);
        // The certificate entity's id is ours to choose (from the client key's public half), so the
        // fragment can name it before the entity exists: no value flows back into the component.
        const clientCertificateId = tlsMaterial.kongClient ? pulumi.unsecret(tlsMaterial.kongClient.publicKeyPem.apply(kongCertificateEntityId)) : undefined;
        const credentials: pulumi.Output<KongCredentials> = pulumi.all([password, clientCertificateId])
            .apply(([p, id]) => ({ ...(p !== undefined ? { password: p } : {}), ...(id !== undefined ? { clientCertificateId: id } : {}) }));
        const secretWithPassword = <T>(value: pulumi.Output<T>) => (password ? pulumi.secret(value) : value);
        this.kongClientCertificate = tlsMaterial.kongClient && clientCertificateId
            ? pulumi.secret(pulumi.all([clientCertificateId, tlsMaterial.kongClient.certPem, tlsMaterial.kongClient.keyPem])
                .apply(([id, cert, key]): KongCertificatePayload => ({ id, cert, key })))
            : pulumi.output(undefined);
        this.jwtSignerConfig = secretWithPassword(credentials.apply((c) => buildJwtSignerConfig(settings, privateUrls, c)));
        this.kongRotatePaths = pulumi.output(Object.fromEntries(Object.entries(privateUrls).map(([k, url]) => [k, kongRotatePath(url)])));
        this.kongRotateRequests = secretWithPassword(credentials.apply((c) => buildKongRotateRequests(settings, privateUrls, c)));
        this.keysetGenerations = pulumi.output(keysetGenerations(settings));
        this.hostname = pulumi.output(settings.hostname);
        this.kongNetworkNames = dockerHost ? dockerHost.kongNetworkNames : pulumi.output([]);
        this.containerName = dockerHost ? dockerHost.container.name : pulumi.output(undefined);
        this.publicProxyContainerName = dockerHost?.publicProxy ? dockerHost.publicProxy.name : pulumi.output(undefined);
        this.kubernetesNamespace = kubernetesHost ? kubernetesHost.namespace : pulumi.output(undefined);
        this.serviceName = kubernetesHost ? kubernetesHost.serviceName : pulumi.output(undefined);

        this.registerOutputs({
            privateKeysetUrls: this.privateKeysetUrls,
            publicJwksUrls: this.publicJwksUrls,
            privateJwks: this.privateJwks,
            publicJwks: this.publicJwks,
            activeKids: this.activeKids,
            caCertPem: this.caCertPem,
            kongClientCertPem: this.kongClientCertPem,
            kongClientKeyPem: this.kongClientKeyPem,
            kongClientCertificate: this.kongClientCertificate,
            jwtSignerConfig: this.jwtSignerConfig,
            kongRotatePaths: this.kongRotatePaths,
            kongRotateRequests: this.kongRotateRequests,
            keysetGenerations: this.keysetGenerations,
            hostname: this.hostname,
            kongNetworkNames: this.kongNetworkNames,
            containerName: this.containerName,
            publicProxyContainerName: this.publicProxyContainerName,
            kubernetesNamespace: this.kubernetesNamespace,
            serviceName: this.serviceName,
        });
    }
}
