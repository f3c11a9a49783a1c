import type * as pulumi from "@pulumi/pulumi";

/**
 * JWS algorithms Kong's jwt-signer can sign with from an external keyset.
 * Old gateways accept RS256/RS512 only; Kong 3.x accepts all of these (not RS384).
 * @see https://docs.konghq.com/hub/kong-inc/jwt-signer/configuration/
 */
export enum SigningAlgorithm {
    RS256 = "RS256",
    RS512 = "RS512",
    PS256 = "PS256",
    PS384 = "PS384",
    PS512 = "PS512",
    ES256 = "ES256",
    ES384 = "ES384",
    ES512 = "ES512",
    EdDSA = "EdDSA",
}

/** Key type of the key host's TLS server certificate. */
export enum ServerKeyAlgorithm {
    /** ECDSA P-256: the cheapest full handshake; every current TLS client supports it. */
    ECDSA = "ECDSA",
    /** RSA 2048: for clients that cannot do ECDSA. */
    RSA = "RSA",
}

/** One keyset: a JWKS that Kong signs with, and its rotation state. */
export interface Keyset {
    /**
     * Signing algorithm; must match the jwt-signer `*_signing_algorithm`.
     * Default: SigningAlgorithm.RS256.
     * @default SigningAlgorithm.RS256
     */
    readonly algorithm?: SigningAlgorithm;
    /**
     * Key generations, oldest first, as DNS-label-like strings (e.g. "2026-11").
     * Each label is one signing key, kept stable in state. Public JWKS lists all of them.
     */
    readonly generations: string[];
    /**
     * The generation Kong signs with (the only key in the private keyset).
     * Default: the last of `generations`.
     * @default the last of `generations`
     */
    readonly active?: string;
    /**
     * RSA modulus size for RS and PS algorithms: 2048, 3072 or 4096.
     * Allowed: 2048, 3072 or 4096.
     * Default: 2048.
     * @default 2048
     */
    readonly rsaBits?: number;
}

/** Organisation CA and server certificate settings. */
export interface Tls {
    /**
     * PEM certificate of the organisation's CA that signs the server (and Kong client) certificate.
     * Give it together with `caKeyPem`. When absent, a dedicated CA is created. Certificate blocks and
     * whitespace only (anything else is refused); what flows on is the certificates re-encoded.
     * Default: a dedicated CA per component.
     * @default a dedicated CA per component
     */
    readonly caCertPem?: pulumi.Input<string>;
    /**
     * PEM private key of the organisation's CA (pass it as a secret). Required with `caCertPem`.
     * Default: none.
     * @default none
     */
    readonly caKeyPem?: pulumi.Input<string>;
    /**
     * Server certificate key type.
     * Default: ServerKeyAlgorithm.ECDSA.
     * @default ServerKeyAlgorithm.ECDSA
     */
    readonly serverKeyAlgorithm?: ServerKeyAlgorithm;
    /**
     * DNS names besides `hostname` that the server certificate covers (e.g. the name upstreams use for a
     * published public port). The host of `publicBaseUrl` is added automatically.
     * Default: [].
     * @default []
     */
    readonly extraDnsNames?: string[];
    /**
     * IP addresses the server certificate covers.
     * Default: [].
     * @default []
     */
    readonly ipAddresses?: string[];
    /**
     * Validity of the server and Kong client certificates in hours.
     * Allowed: 24 to 9528.
     * Default: 2160 (90 days).
     * @default 2160 (90 days)
     */
    readonly certValidityHours?: number;
    /**
     * Renew the server and client certificates on `pulumi up` this many hours before they expire.
     * Allowed: 0 to certValidityHours - 1.
     * Default: 720 (30 days).
     * @default 720 (30 days)
     */
    readonly certEarlyRenewalHours?: number;
    /**
     * Validity of the dedicated CA in hours (ignored with an organisation CA).
     * Allowed: certValidityHours to 175200.
     * Default: 87600 (10 years).
     * @default 87600 (10 years)
     */
    readonly caValidityHours?: number;
}

/** Basic-auth credentials Kong presents when it fetches a keyset (Kong 3.7+). */
export interface BasicAuth {
    /**
     * User name; letters, digits, `.`, `_`, `-`.
     * @see https://docs.konghq.com/hub/kong-inc/jwt-signer/configuration/ (`*_keyset_client_username`)
     */
    readonly username: string;
    /** Password, 16-1024 bytes of UTF-8, no NUL, well-formed text; pass it as a secret. */
    readonly password: pulumi.Input<string>;
}

/** How Kong authenticates itself to the key host, on top of the `kongSources` allow-list. */
export interface KongAuth {
    /**
     * Issue a client certificate for Kong (signed by the same CA) and require it for `/private/`.
     * Needs Kong 3.10+ (`*_keyset_client_certificate` as a certificate reference).
     * Default: false on Docker; on Kubernetes true unless `basicAuth` is set.
     * @default false on Docker; on Kubernetes true unless `basicAuth` is set
     */
    readonly clientCertificate?: boolean;
    /**
     * Require HTTP Basic auth for `/private/`. Needs Kong 3.7+.
     * Default: none.
     * @default none
     */
    readonly basicAuth?: BasicAuth;
}

/** Which keysets play the jwt-signer roles, and how often Kong reloads them. */
export interface JwtSigner {
    /**
     * Keyset used for `access_token_keyset`.
     * Default: "access" when such a keyset exists, else the first keyset.
     * @default "access" when such a keyset exists, else the first keyset
     */
    readonly accessTokenKeyset?: string;
    /**
     * Keyset used for `channel_token_keyset`.
     * Default: "channel" when such a keyset exists, else none.
     * @default "channel" when such a keyset exists, else none
     */
    readonly channelTokenKeyset?: string;
    /**
     * `*_keyset_rotate_period` in seconds (Kong 3.7+): how often Kong reloads the keyset, so that a
     * promotion takes effect without an Admin API call. 0 leaves it out of the config fragment.
     * Allowed: 0 to 31536000.
     * Default: 300 (0 with a `kongVersion` before 3.7).
     * @default 300 (0 with a `kongVersion` before 3.7)
     */
    readonly keysetRotatePeriod?: number;
    /**
     * The Kong Gateway version the plugin runs on, as major.minor ("3.14"; "3.14.0.1" is read as 3.14),
     * 3.0 or later. The fragment carries no field this version lacks (an older Kong rejects the whole
     * plugin config over one unknown field): `*_keyset_rotate_period` and keyset client authentication
     * need 3.7, TLS verification of the keyset URL (`*_endpoints_ssl_verify`) 3.13. Asking for a feature
     * the version lacks is refused, naming the version that introduced it.
     * Default: "3.14".
     * @default "3.14"
     */
    readonly kongVersion?: string;
}

/** Where and how the key host container runs. */
export interface Docker {
    /**
     * nginx image (>= 1.22, with `/usr/sbin/nginx` and, for the default healthcheck, `curl`).
     * Pin it by digest in production, e.g. `nginx:1.27-alpine@sha256:…`.
     * Default: "nginx:1.27-alpine".
     * @default "nginx:1.27-alpine"
     */
    readonly image?: pulumi.Input<string>;
    /**
     * Existing Docker networks (by name, not id) that Kong is on. The key host joins them with `hostname`
     * as alias. Each is looked up through the docker provider: ids, id prefixes, the default bridge and
     * `host`/`null`-driver networks are refused.
     * A name may be another resource's output (e.g. a `docker.Network`'s `name`): such a name is checked
     * when it resolves, a plain one before any resource is created. The list itself is plain, because
     * the component decides its children from it.
     * When absent, a dedicated internal network is created for Kong to join.
     * Default: a dedicated internal network `<name>-kong`.
     * @default a dedicated internal network `<name>-kong`
     */
    readonly networks?: pulumi.Input<string>[];
    /**
     * IPv4 subnet of the dedicated network (refused with `networks`), inside private-use space (RFC 1918,
     * 100.64/10). Its gateway (the Docker host) is denied explicitly, even when the subnet is in `kongSources`.
     * Default: chosen by Docker.
     * @default chosen by Docker
     */
    readonly subnet?: string;
    /**
     * Host port on which to publish public JWKS and health (never `/private/`), through a separate
     * key-free proxy container so that rotations never have to move the port.
     * Allowed: 1 to 65535.
     * Default: not published.
     * @default not published
     */
    readonly publicPort?: number;
    /**
     * Host address to bind `publicPort` to.
     * Default: "127.0.0.1".
     * @default "127.0.0.1"
     */
    readonly publicHostIp?: string;
    /**
     * Memory limit in MiB.
     * Allowed: 16 to 65536.
     * Default: 64.
     * @default 64
     */
    readonly memoryMb?: number;
    /**
     * Limit on processes of the container user (RLIMIT_NPROC; the provider has no pids cgroup limit).
     * Allowed: 8 to 4096.
     * Default: 64.
     * @default 64
     */
    readonly maxProcesses?: number;
    /**
     * Restart policy: "always", "unless-stopped" or "on-failure".
     * Default: "unless-stopped".
     * @default "unless-stopped"
     */
    readonly restart?: string;
    /**
     * Numeric `uid:gid` nginx runs as; it can read what it serves but owns none of it.
     * Default: "101:101" (the stock nginx image's `nginx` user).
     * @default "101:101" (the stock nginx image's `nginx` user)
     */
    readonly user?: string;
    /**
     * Healthcheck command (exec form). It runs in the key host and in the public-port proxy, so it must
     * pass in both; both serve `/healthz` on the loopback-only listener `http://127.0.0.1:8080`.
     * Default: `curl --fail --silent --show-error --max-time 2 http://127.0.0.1:8080/healthz`.
     * @default `curl --fail --silent --show-error --max-time 2 http://127.0.0.1:8080/healthz`
     */
    readonly healthcheckCommand?: string[];
    /**
     * Seconds between healthchecks, 1-300. The engine waits for the first passing check before it
     * counts a key host as created (and, in a rotation, before it removes the old one), and Docker
     * before 25 runs the first check one interval after start: this is most of a key host's
     * create-to-healthy time. Each check is an exec of about 25 ms of CPU in the container, so 2 s
     * costs about 13 ms of CPU per second.
     * Allowed: 1 to 300.
     * Default: 2.
     * @default 2
     */
    readonly healthcheckIntervalSeconds?: number;
    /**
     * Docker 25+ only (Engine API 1.44): milliseconds between checks during the 10 s start period,
     * 100-10000, so a new key host reports healthy within about this long instead of one full
     * interval. Leave it unset on older engines: the docker provider refuses to create the container
     * ("specify health-check start interval requires API version 1.44").
     * Allowed: 100 to 10000.
     * Default: unset.
     * @default unset
     */
    readonly healthcheckStartIntervalMs?: number;
}

/** CPU and memory of each key host pod, as Kubernetes quantities (e.g. `{ cpu: "50m", memory: "32Mi" }`). */
export interface KubernetesResources {
    /**
     * What the scheduler reserves per pod.
     * Default: `{ cpu: "10m", memory: "16Mi" }`.
     * @default { cpu: "10m", memory: "16Mi" }
     */
    readonly requests?: Record<string, string>;
    /**
     * What a pod may use at most; without a memory limit a leak could take the node's memory.
     * Default: `{ memory: "64Mi" }`.
     * @default { memory: "64Mi" }
     */
    readonly limits?: Record<string, string>;
}

/**
 * Run the key host on Kubernetes instead of Docker: a Deployment of nginx replicas spread over nodes, its
 * files from a Secret and a ConfigMap mounted read-only, a Service, a PodDisruptionBudget and a
 * NetworkPolicy that admits Kong's pods only to the private port. Pod addresses change, so the Kong pod
 * selector replaces `kongSources`, and Kong authenticates on top (mTLS by default).
 */
export interface Kubernetes {
    /** Namespace of every key host object (it must exist). */
    readonly namespace: string;
    /**
     * Labels of Kong's pods: the only pods the NetworkPolicy lets reach the private port (8443).
     * At least one label.
     */
    readonly kongPodLabels: Record<string, string>;
    /**
     * Labels of the namespaces Kong's pods run in, when not the key host's own namespace
     * (e.g. `{ "kubernetes.io/metadata.name": "kong" }`).
     * Default: the key host's namespace only.
     * @default the key host's namespace only
     */
    readonly kongNamespaceLabels?: Record<string, string>;
    /**
     * Labels of the pods that may read the public JWKS on the public port (9443).
     * Default: every pod (in the namespaces `publicNamespaceLabels` selects).
     * @default every pod
     */
    readonly publicPodLabels?: Record<string, string>;
    /**
     * Labels of the namespaces whose pods may read the public JWKS.
     * Default: every namespace.
     * @default every namespace
     */
    readonly publicNamespaceLabels?: Record<string, string>;
    /**
     * Name of the Service (a DNS label). URLs and the server certificate use
     * `<serviceName>.<namespace>.svc.<clusterDomain>`.
     * Default: the component name.
     * @default the component name
     */
    readonly serviceName?: string;
    /**
     * The cluster's DNS domain.
     * Default: "cluster.local".
     * @default "cluster.local"
     */
    readonly clusterDomain?: string;
    /**
     * Key host pods. A rotation rolls them one at a time, surge first, never below this many ready.
     * Allowed: 1 to 20.
     * Default: 2.
     * @default 2
     */
    readonly replicas?: number;
    /**
     * nginx image (>= 1.22, with `/usr/sbin/nginx`). Pin it by digest in production.
     * Default: "nginx:1.27-alpine".
     * @default "nginx:1.27-alpine"
     */
    readonly image?: pulumi.Input<string>;
    /**
     * "Always", "IfNotPresent" or "Never".
     * Default: "IfNotPresent".
     * @default "IfNotPresent"
     */
    readonly imagePullPolicy?: string;
    /** CPU and memory per pod. Default: requests `10m`/`16Mi`, memory limit `64Mi`. */
    readonly resources?: KubernetesResources;
    /**
     * Numeric `uid:gid` nginx runs as (never root); the mounted files are root-owned, readable through
     * the pod's fsGroup (this gid).
     * Default: "101:101" (the stock nginx image's `nginx` user).
     * @default "101:101" (the stock nginx image's `nginx` user)
     */
    readonly user?: string;
}

/** Arguments of {@link KongSigningKeyHost}. */
export interface KongSigningKeyHostArgs {
    /** Keysets by name (DNS-label-like, e.g. "access", "channel"). */
    readonly keysets: Record<string, Keyset>;
    /**
     * Addresses or CIDRs (IPv4/IPv6) of Kong nodes on the Docker network(s); the only clients allowed on
     * `/private/`. Each entry inside private-use space and no wider than /16 (IPv4) or /48 (IPv6); at most
     * 64 entries, admitting together no more than one /16 and one /48.
     * Required on Docker; refused with `kubernetes`, where `kubernetes.kongPodLabels` selects Kong.
     * Default: none (required on Docker).
     * @default none (required on Docker)
     */
    readonly kongSources?: string[];
    /**
     * The key host's DNS name: its network alias and the server certificate's name; URLs use it.
     * Lowercase; not `localhost`, and no last label a parser reads as a number (`10.0.0.1`, `keys.1`).
     * Docker only: on Kubernetes the name is the Service's (`kubernetes.serviceName`).
     * Default: the component name.
     * @default the component name
     */
    readonly hostname?: string;
    /**
     * Base URL upstreams use for public JWKS (e.g. "https://keys.example.com:9443" for a published port):
     * `https://host[:port]` only, the host checked as written (DNS name, canonical IPv4, or `[IPv6]`).
     * Default: `https://<hostname>:8443` (on the Docker network); on Kubernetes the Service's public port,
     * `https://<serviceName>.<namespace>.svc.<clusterDomain>:9443`.
     * @default `https://<hostname>:8443` (on the Docker network)
     */
    readonly publicBaseUrl?: string;
    /**
     * `Cache-Control: max-age` of public JWKS in seconds.
     * Allowed: 0 to 86400.
     * Default: 300.
     * @default 300
     */
    readonly publicMaxAgeSeconds?: number;
    /** CA and certificate settings. Default: a dedicated CA and an ECDSA P-256 server certificate. */
    readonly tls?: Tls;
    /**
     * Authentication of Kong on top of `kongSources` (Docker) or the Kong pod selector (Kubernetes).
     * Default: none on Docker (source addresses only); on Kubernetes a client certificate (mTLS), and
     * turning every method off is refused there.
     */
    readonly kongAuth?: KongAuth;
    /** Roles and reload period for the jwt-signer config fragment. Default: keysets "access" and "channel", 300 s. */
    readonly jwtSigner?: JwtSigner;
    /** Container, image and network settings. Default: a dedicated internal network, nothing published. */
    readonly docker?: Docker;
    /** Run on Kubernetes instead of Docker (refused together with `docker`). Default: Docker. */
    readonly kubernetes?: Kubernetes;
}

// The nested argument types are named without an "Args" suffix because other languages' SDKs add
// their own (Python `KeysetArgs`, Go `KeysetArgs`); these aliases keep the TypeScript names of 0.1.
export type KeysetArgs = Keyset;
export type TlsArgs = Tls;
export type BasicAuthArgs = BasicAuth;
export type KongAuthArgs = KongAuth;
export type JwtSignerArgs = JwtSigner;
export type DockerArgs = Docker;
export type KubernetesArgs = Kubernetes;
export type KubernetesResourcesArgs = KubernetesResources;
