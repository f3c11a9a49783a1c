import * as pulumi from "@pulumi/pulumi";
import { addressCount, firstHostAddress, isInAnyRange, isPrivateUse, MOST_ADMITTED, parseAddressRange, WIDEST_PREFIX, type AddressRange } from "./addresses";
import { isRsaAlgorithm, RSA_SIZES, SUPPORTED_ALGORITHMS } from "./algorithms";
import { type KongSigningKeyHostArgs, ServerKeyAlgorithm, SigningAlgorithm } from "./args";
import { fail, InputErrorCode } from "./errors";
import { isWellFormedText } from "./text";
import { DNS_LABEL, dnsNameProblem, parseBaseUrl } from "./hostNames";
import { CERTIFICATE_OBJECT_SINCE, FIELD_SINCE, formatVersion, hasField, type KongVersion, NEWEST_KONG, OLDEST_KONG, atLeast, parseKongVersion } from "./kongVersions";
import { checkOrganisationCa } from "./organisationCa";
import { KONG_LISTENER_PORT, PUBLIC_LISTENER_PORT } from "./layout";
import { requireInteger } from "./limits";
import { resolveKubernetes, type ResolvedKubernetes } from "./kubernetes/settings";
import { DEFAULT_USER, resolveUser } from "./userIds";

/** Where the key host runs: one target per component (../shared/DESIGN.md, "Where it runs"). */
export type Target = "docker" | "kubernetes";

export interface ResolvedKeyset {
    readonly name: string;
    readonly algorithm: SigningAlgorithm;
    /** Oldest first, as given. */
    readonly generations: readonly string[];
    readonly active: string;
    /** Only meaningful for RS and PS algorithms. */
    readonly rsaBits: number;
}

/** Every decision downstream reads these, never the raw args (defaults are resolved once, here). */
export interface ResolvedSettings {
    readonly name: string;
    readonly target: Target;
    /** Present when `target` is "kubernetes". */
    readonly kubernetes?: ResolvedKubernetes;
    /** The name URLs and the certificate use: the Docker alias, or the Service's cluster DNS name. */
    readonly hostname: string;
    readonly keysets: readonly ResolvedKeyset[];
    /** Empty on Kubernetes, where the NetworkPolicy's Kong pod selector is the allow-list. */
    readonly kongSources: readonly string[];
    /** Denied before `kongSources` are allowed (the dedicated network's gateway, i.e. the Docker host). */
    readonly denySources: readonly string[];
    readonly privateBaseUrl: string;
    readonly publicBaseUrl: string;
    readonly publicMaxAgeSeconds: number;
    readonly tls: {
        readonly organisationCa: boolean;
        readonly serverKeyAlgorithm: ServerKeyAlgorithm;
        readonly dnsNames: readonly string[];
        readonly ipAddresses: readonly string[];
        readonly certValidityHours: number;
        readonly certEarlyRenewalHours: number;
        readonly caValidityHours: number;
    };
    readonly kongAuth: {
        readonly clientCertificate: boolean;
        /** Present when Basic auth is on. */
        readonly basicAuthUsername?: string;
    };
    readonly jwtSigner: {
        readonly accessTokenKeyset: string;
        readonly channelTokenKeyset?: string;
        readonly keysetRotatePeriod: number;
        /** The Kong the fragment is for: it carries no field this version lacks. */
        readonly kongVersion: KongVersion;
    };
    readonly docker: {
        /** Existing networks to join; undefined means a dedicated network is created. */
        readonly existingNetworks?: readonly pulumi.Input<string>[];
        readonly subnet?: string;
        readonly gateway?: string;
        readonly publicPort?: number;
        readonly publicHostIp: string;
        readonly memoryMb: number;
        readonly maxProcesses: number;
        readonly restart: string;
        readonly uid: number;
        readonly gid: number;
        readonly healthcheckCommand?: readonly string[];
        readonly healthcheckIntervalSeconds: number;
        readonly healthcheckStartIntervalMs?: number;
    };
}

/** Docker's rule for object names (networks, containers). */
const DOCKER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const DNS_LABEL_HINT = "lowercase letters, digits and '-', 1-63 characters, not starting or ending with '-'";
const RESTART_POLICIES = ["always", "unless-stopped", "on-failure"];
const KNOWN_WEAK_OR_SYMMETRIC: Record<string, string> = {
    HS256: "HMAC keys are shared secrets; a keyset URL must hold asymmetric keys",
    HS384: "HMAC keys are shared secrets; a keyset URL must hold asymmetric keys",
    HS512: "HMAC keys are shared secrets; a keyset URL must hold asymmetric keys",
    RS384: "Kong's jwt-signer does not sign with RS384",
    none: "unsigned tokens are never acceptable",
};

function quote(value: unknown): string {
    return JSON.stringify(value);
}

function resolveKeysets(args: KongSigningKeyHostArgs): ResolvedKeyset[] {
    const keysets = args.keysets;
    if (keysets === undefined || keysets === null || typeof keysets !== "object" || Object.keys(keysets).length === 0) {
        fail(InputErrorCode.Missing, "keysets", 'needs at least one keyset, e.g. { access: { generations: ["2026-11"] } }');
    }
    return Object.entries(keysets).map(([name, keyset]) => {
        const field = `keysets.${name}`;
        if (!DNS_LABEL.test(name)) fail(InputErrorCode.Invalid, field, `keyset name ${quote(name)} must be DNS-label-like: ${DNS_LABEL_HINT}`);
        const generations = keyset?.generations;
        if (!Array.isArray(generations) || generations.length === 0) {
            fail(InputErrorCode.Missing, `${field}.generations`, 'needs at least one generation label, e.g. ["2026-11"]');
        }
        const seen = new Set<string>();
        for (const label of generations) {
            if (typeof label !== "string" || !DNS_LABEL.test(label)) {
                fail(InputErrorCode.Invalid, `${field}.generations`, `label ${quote(label)} must be DNS-label-like: ${DNS_LABEL_HINT}`);
            }
            if (seen.has(label)) fail(InputErrorCode.Invalid, `${field}.generations`, `label ${quote(label)} is listed twice; labels must be unique`);
            seen.add(label);
        }
        const algorithm = (keyset.algorithm ?? SigningAlgorithm.RS256) as SigningAlgorithm;
        if (!SUPPORTED_ALGORITHMS.includes(algorithm)) {
            const why = KNOWN_WEAK_OR_SYMMETRIC[algorithm as string];
            fail(InputErrorCode.Unsupported, `${field}.algorithm`,
                `(${quote(algorithm)}) is not supported${why ? ` (${why})` : ""}; use one of ${quote(SUPPORTED_ALGORITHMS)}`);
        }
        if (keyset.rsaBits !== undefined && !isRsaAlgorithm(algorithm)) {
            fail(InputErrorCode.Conflict, `${field}.rsaBits`, `only applies to RS*/PS* algorithms, not ${algorithm}; remove it`);
        }
        const rsaBits = keyset.rsaBits ?? 2048;
        if (!RSA_SIZES.includes(rsaBits)) {
            fail(InputErrorCode.Invalid, `${field}.rsaBits`,
                `(${quote(rsaBits)}) must be one of ${quote(RSA_SIZES)}${rsaBits < 2048 ? " (smaller RSA keys are too weak)" : ""}`);
        }
        const active = keyset.active ?? generations[generations.length - 1];
        if (!generations.includes(active)) {
            fail(InputErrorCode.Invalid, `${field}.active`, `(${quote(active)}) must be one of generations ${quote(generations)}`);
        }
        return { name, algorithm, generations: [...generations], active, rsaBits };
    });
}

/** Most `kongSources` entries: Kong's nodes or their subnets, not a list built to add up to a wide range. */
export const MAX_KONG_SOURCES = 64;

function resolveKongSources(sources: string[] | undefined): AddressRange[] {
    if (!Array.isArray(sources) || sources.length === 0) {
        fail(InputErrorCode.Missing, "kongSources", 'needs the addresses or CIDRs of Kong on the Docker network, e.g. ["172.30.10.0/24"]');
    }
    if (sources.length > MAX_KONG_SOURCES) {
        fail(InputErrorCode.Exposure, "kongSources", `has ${sources.length} entries; at most ${MAX_KONG_SOURCES} are accepted: list Kong's subnet instead of its addresses one by one`);
    }
    const ranges: AddressRange[] = [];
    for (const source of sources) {
        const parsed = typeof source === "string" ? parseAddressRange(source) : { reason: "must be a string" };
        if ("reason" in parsed) fail(InputErrorCode.Invalid, "kongSources", `${quote(source)} ${parsed.reason}`);
        if (!isPrivateUse(parsed)) {
            fail(InputErrorCode.Exposure, "kongSources", `${quote(source)} is not inside private-use space (RFC 1918 10/8, 172.16/12, 192.168/16; RFC 6598 100.64/10; IPv6 ULA fc00::/7; loopback): Kong's addresses on a Docker network are private, and this would let others in`);
        }
        const widest = WIDEST_PREFIX[parsed.kind];
        if (parsed.prefixLength < widest) {
            fail(InputErrorCode.Exposure, "kongSources", `${quote(source)} is wider than /${widest}, the widest range accepted; list Kong's own addresses or its network's subnet`);
        }
        if (!ranges.some((r) => r.text === parsed.text)) ranges.push(parsed);
    }
    // Many narrow entries must not add up to what one wide entry may not be.
    const admitted = addressCount(ranges);
    for (const kind of ["ipv4", "ipv6"] as const) {
        if (admitted[kind] > MOST_ADMITTED[kind]) {
            fail(InputErrorCode.Exposure, "kongSources",
                `admits ${admitted[kind]} ${kind === "ipv4" ? "IPv4" : "IPv6"} addresses together, more than one /${WIDEST_PREFIX[kind]} (${MOST_ADMITTED[kind]}), the most accepted; list Kong's own addresses or its network's subnet`);
        }
    }
    return ranges;
}

/** Validates every arg and resolves every default. Throws {@link KongSigningKeyHostInputError}. */
export function resolveSettings(name: string, args: KongSigningKeyHostArgs): ResolvedSettings {
    if (args === undefined || args === null) fail(InputErrorCode.Missing, "args", "keysets and kongSources are required");
    const keysets = resolveKeysets(args);
    if (args.kubernetes !== undefined && args.docker !== undefined) {
        fail(InputErrorCode.Conflict, "kubernetes", "and docker are both set, but a key host runs on one target; keep one of them");
    }
    const target: Target = args.kubernetes !== undefined ? "kubernetes" : "docker";
    let kubernetes: ResolvedKubernetes | undefined;
    let kongSources: AddressRange[] = [];
    let hostname: string;
    if (target === "kubernetes") {
        // Pod addresses change with every rollout: the NetworkPolicy's selector is the allow-list there.
        if (args.kongSources !== undefined) {
            fail(InputErrorCode.Conflict, "kongSources", "does not apply on Kubernetes, where pod addresses change; kubernetes.kongPodLabels selects Kong's pods. Remove kongSources");
        }
        if (args.hostname !== undefined) {
            fail(InputErrorCode.Conflict, "hostname", "does not apply on Kubernetes: the key host's name is its Service's DNS name; set kubernetes.serviceName instead");
        }
        kubernetes = resolveKubernetes(name, args.kubernetes!);
        hostname = kubernetes.serviceDnsName;
    } else {
        kongSources = resolveKongSources(args.kongSources);
        hostname = args.hostname ?? name;
    }
    const hostnameProblem = dnsNameProblem(hostname);
    if (hostnameProblem) {
        const field = target === "kubernetes" ? "kubernetes.clusterDomain" : "hostname";
        fail(InputErrorCode.Invalid, field, `(${quote(hostname)}) ${hostnameProblem}${target === "docker" && args.hostname === undefined ? " (it defaults to the component name; set hostname)" : ""}`);
    }

    // Docker
    const docker = args.docker ?? {};
    let existingNetworks: pulumi.Input<string>[] | undefined;
    if (docker.networks !== undefined) {
        if (!Array.isArray(docker.networks) || docker.networks.length === 0) {
            fail(InputErrorCode.Invalid, "docker.networks", "must name at least one network Kong is on, or be left out for a dedicated network");
        }
        // Names known now are checked now; another resource's output is checked when it resolves.
        const known = docker.networks.filter((n) => !pulumi.Output.isInstance(n) && !isPromiseLike(n));
        known.forEach(checkNetworkName);
        existingNetworks = [...new Set(known), ...docker.networks.filter((n) => !known.includes(n))];
    }
    let subnet: string | undefined;
    let gateway: string | undefined;
    if (docker.subnet !== undefined) {
        if (existingNetworks) fail(InputErrorCode.Conflict, "docker.subnet", "only applies to the dedicated network; remove it or docker.networks");
        const parsed = parseAddressRange(docker.subnet);
        if ("reason" in parsed) fail(InputErrorCode.Invalid, "docker.subnet", `${quote(docker.subnet)} ${parsed.reason}`);
        if (parsed.kind !== "ipv4" || parsed.prefixLength < 8 || parsed.prefixLength > 29) {
            fail(InputErrorCode.Invalid, "docker.subnet", `(${quote(docker.subnet)}) must be an IPv4 CIDR from /8 to /29, e.g. "172.30.10.0/24"`);
        }
        // Docker routes the subnet to its bridge: outside private-use space it would take over the host's
        // route to someone else's addresses (8.8.8.0/24), loopback, link-local or multicast.
        if (!isPrivateUse(parsed, { loopback: false })) {
            fail(InputErrorCode.Exposure, "docker.subnet", `(${quote(docker.subnet)}) is not inside private-use space (RFC 1918 10/8, 172.16/12, 192.168/16; RFC 6598 100.64/10): the Docker host would route that range to the key host's network`);
        }
        subnet = parsed.text;
        gateway = firstHostAddress(subnet);
        if (kongSources.some((r) => r.text === gateway || r.text === `${gateway}/32`)) {
            fail(InputErrorCode.Exposure, "kongSources", `${quote(gateway)} is the gateway of docker.subnet, i.e. the Docker host itself; list Kong's container addresses`);
        }
    }
    let publicPort: number | undefined;
    if (docker.publicPort !== undefined) publicPort = requireInteger("docker.publicPort", docker.publicPort, 0);
    const publicHostIp = docker.publicHostIp ?? "127.0.0.1";
    const hostIp = parseAddressRange(publicHostIp);
    if ("reason" in hostIp || hostIp.text.includes("/")) {
        fail(InputErrorCode.Invalid, "docker.publicHostIp", `(${quote(publicHostIp)}) must be an IP address, e.g. "127.0.0.1" or "0.0.0.0"`);
    }
    if (docker.publicHostIp !== undefined && publicPort === undefined) {
        fail(InputErrorCode.Conflict, "docker.publicHostIp", "only applies with docker.publicPort; set the port or remove it");
    }
    const restart = docker.restart ?? "unless-stopped";
    if (!RESTART_POLICIES.includes(restart)) {
        fail(InputErrorCode.Invalid, "docker.restart", `(${quote(restart)}) must be one of ${quote(RESTART_POLICIES)}; a key host must come back after a crash`);
    }
    const { uid, gid } = resolveUser("docker.user", docker.user ?? DEFAULT_USER);
    if (docker.healthcheckCommand !== undefined
        && (!Array.isArray(docker.healthcheckCommand) || docker.healthcheckCommand.length === 0 || docker.healthcheckCommand.some((p) => typeof p !== "string" || p === ""))) {
        fail(InputErrorCode.Invalid, "docker.healthcheckCommand", 'must be a non-empty exec-form command, e.g. ["curl", "-fsk", "https://127.0.0.1:8443/healthz"]');
    }

    // URLs and certificate names
    const privateBaseUrl = `https://${hostname}:${KONG_LISTENER_PORT}`;
    const dnsNames = [hostname, ...(kubernetes?.shortDnsNames ?? [])];
    const ipAddresses: string[] = [];
    for (const extra of args.tls?.extraDnsNames ?? []) {
        const problem = dnsNameProblem(extra);
        if (problem) fail(InputErrorCode.Invalid, "tls.extraDnsNames", `${quote(extra)} ${problem}`);
        if (!dnsNames.includes(extra)) dnsNames.push(extra);
    }
    for (const ip of args.tls?.ipAddresses ?? []) {
        const parsed = parseAddressRange(ip);
        if ("reason" in parsed || parsed.text.includes("/")) fail(InputErrorCode.Invalid, "tls.ipAddresses", `${quote(ip)} must be an IP address`);
        if (!ipAddresses.includes(parsed.text)) ipAddresses.push(parsed.text);
    }
    // On Kubernetes the public port is a port of its own, so the NetworkPolicy can tell the two apart.
    let publicBaseUrl = target === "kubernetes" ? `https://${hostname}:${PUBLIC_LISTENER_PORT}` : privateBaseUrl;
    if (args.publicBaseUrl !== undefined) {
        // Host and port as written: a URL parser would rewrite 010.0.0.1 (octal) to 8.0.0.1.
        const url = parseBaseUrl(args.publicBaseUrl);
        if ("reason" in url) fail(InputErrorCode.Invalid, "publicBaseUrl", `(${quote(args.publicBaseUrl)}) ${url.reason}`);
        const list = url.hostKind === "dns" ? dnsNames : ipAddresses;
        if (!list.includes(url.host)) list.push(url.host);
        publicBaseUrl = url.origin;
    }
    const publicMaxAgeSeconds = requireInteger("publicMaxAgeSeconds", args.publicMaxAgeSeconds, 300);

    // TLS
    const tlsArgs = args.tls ?? {};
    if ((tlsArgs.caCertPem === undefined) !== (tlsArgs.caKeyPem === undefined)) {
        fail(InputErrorCode.Conflict, tlsArgs.caCertPem === undefined ? "tls.caCertPem" : "tls.caKeyPem",
            "the organisation CA needs both tls.caCertPem and tls.caKeyPem; give both, or neither for a dedicated CA");
    }
    // Plain strings are checked here, before any resource; Outputs when they resolve (createTlsMaterial).
    if (typeof tlsArgs.caCertPem === "string" && typeof tlsArgs.caKeyPem === "string") {
        checkOrganisationCa(tlsArgs.caCertPem, tlsArgs.caKeyPem);
    }
    const serverKeyAlgorithm = (tlsArgs.serverKeyAlgorithm ?? ServerKeyAlgorithm.ECDSA) as ServerKeyAlgorithm;
    if (!Object.values(ServerKeyAlgorithm).includes(serverKeyAlgorithm)) {
        fail(InputErrorCode.Unsupported, "tls.serverKeyAlgorithm", `(${quote(serverKeyAlgorithm)}) must be one of ${quote(Object.values(ServerKeyAlgorithm))}`);
    }
    const certValidityHours = requireInteger("tls.certValidityHours", tlsArgs.certValidityHours, 2160);
    const certEarlyRenewalHours = requireInteger("tls.certEarlyRenewalHours", tlsArgs.certEarlyRenewalHours, 720, { "tls.certValidityHours": certValidityHours });
    const caValidityHours = requireInteger("tls.caValidityHours", tlsArgs.caValidityHours, 87600, { "tls.certValidityHours": certValidityHours });

    // Kong authentication
    const basicAuth = args.kongAuth?.basicAuth;
    if (basicAuth !== undefined) {
        if (typeof basicAuth.username !== "string" || !/^[A-Za-z0-9._-]{1,64}$/.test(basicAuth.username)) {
            fail(InputErrorCode.Invalid, "kongAuth.basicAuth.username", `(${quote(basicAuth.username)}) must be 1-64 letters, digits, '.', '_' or '-'`);
        }
        if (basicAuth.password === undefined || basicAuth.password === null) {
            fail(InputErrorCode.Missing, "kongAuth.basicAuth.password", "is required (pass it as a secret)");
        }
        if (typeof basicAuth.password === "string") checkBasicAuthPassword(basicAuth.password);
    }

    // jwt-signer roles
    const names = keysets.map((k) => k.name);
    const signer = args.jwtSigner ?? {};
    const accessTokenKeyset = signer.accessTokenKeyset ?? (names.includes("access") ? "access" : names[0]);
    if (!names.includes(accessTokenKeyset)) {
        fail(InputErrorCode.Invalid, "jwtSigner.accessTokenKeyset", `(${quote(accessTokenKeyset)}) must be one of the keysets ${quote(names)}`);
    }
    const channelTokenKeyset = signer.channelTokenKeyset ?? (names.includes("channel") ? "channel" : undefined);
    if (channelTokenKeyset !== undefined && !names.includes(channelTokenKeyset)) {
        fail(InputErrorCode.Invalid, "jwtSigner.channelTokenKeyset", `(${quote(channelTokenKeyset)}) must be one of the keysets ${quote(names)}`);
    }
    const kongVersionText = signer.kongVersion ?? formatVersion(NEWEST_KONG);
    const kongVersion = parseKongVersion(kongVersionText);
    if (!kongVersion || !atLeast(kongVersion, OLDEST_KONG)) {
        fail(InputErrorCode.Invalid, "jwtSigner.kongVersion", `(${quote(kongVersionText)}) must be the Kong Gateway version the plugin runs on, ${formatVersion(OLDEST_KONG)} or later, as major.minor (e.g. "3.14"; "3.14.0.1" is read as 3.14)`);
    }
    const needsKong = (since: KongVersion, why: string) =>
        `needs Kong ${formatVersion(since)} or later, ${why}; jwtSigner.kongVersion is ${quote(kongVersionText)} (set it to your Kong's version, or remove this)`;
    const needs = (suffix: keyof typeof FIELD_SINCE) => needsKong(FIELD_SINCE[suffix], `which introduced *_${suffix}`);
    // A field the version lacks is left out when it is a default, and refused when it was asked for.
    const rotateDefault = hasField(kongVersion, "keyset_rotate_period") ? 300 : 0;
    const keysetRotatePeriod = requireInteger("jwtSigner.keysetRotatePeriod", signer.keysetRotatePeriod, rotateDefault);
    if (keysetRotatePeriod > 0 && !hasField(kongVersion, "keyset_rotate_period")) {
        fail(InputErrorCode.Unsupported, "jwtSigner.keysetRotatePeriod", needs("keyset_rotate_period"));
    }
    if (basicAuth !== undefined && !hasField(kongVersion, "keyset_client_username")) {
        fail(InputErrorCode.Unsupported, "kongAuth.basicAuth", needs("keyset_client_username"));
    }
    // On Kubernetes Kong always authenticates: NetworkPolicy is enforced only by a CNI that implements it,
    // and without one every pod could fetch the private keysets. mTLS by default: nothing to store or rotate.
    const clientCertificate = args.kongAuth?.clientCertificate ?? (target === "kubernetes" && basicAuth === undefined);
    if (target === "kubernetes" && !clientCertificate && basicAuth === undefined) {
        fail(InputErrorCode.Exposure, "kongAuth.clientCertificate",
            "is off with no kongAuth.basicAuth: on Kubernetes Kong must authenticate (a NetworkPolicy is only enforced by a network plugin that implements it); keep the client certificate or set basicAuth");
    }
    if (clientCertificate && !atLeast(kongVersion, CERTIFICATE_OBJECT_SINCE)) {
        // 3.7-3.9 have the field, but as a plain id string: the fragment's type is Kong's {id} of 3.10+.
        fail(InputErrorCode.Unsupported, "kongAuth.clientCertificate", needsKong(CERTIFICATE_OBJECT_SINCE,
            `where *_keyset_client_certificate is a certificate reference {id} (Kong ${formatVersion(FIELD_SINCE.keyset_client_certificate)}-3.9 take the id as a plain string, which the fragment does not carry)`));
    }

    const denySources = gateway !== undefined && isInAnyRange(gateway, kongSources) ? [gateway] : [];
    return {
        name,
        target,
        ...(kubernetes ? { kubernetes } : {}),
        hostname,
        keysets,
        kongSources: kongSources.map((r) => r.text),
        denySources,
        privateBaseUrl,
        publicBaseUrl,
        publicMaxAgeSeconds,
        tls: {
            organisationCa: tlsArgs.caCertPem !== undefined,
            serverKeyAlgorithm,
            dnsNames,
            ipAddresses,
            certValidityHours,
            certEarlyRenewalHours,
            caValidityHours,
        },
        kongAuth: {
            clientCertificate,
            ...(basicAuth ? { basicAuthUsername: basicAuth.username } : {}),
        },
        jwtSigner: { accessTokenKeyset, ...(channelTokenKeyset ? { channelTokenKeyset } : {}), keysetRotatePeriod, kongVersion },
        docker: {
            ...(existingNetworks ? { existingNetworks } : {}),
            ...(subnet ? { subnet, gateway } : {}),
            ...(publicPort !== undefined ? { publicPort } : {}),
            publicHostIp: hostIp.text,
            memoryMb: requireInteger("docker.memoryMb", docker.memoryMb, 64),
            maxProcesses: requireInteger("docker.maxProcesses", docker.maxProcesses, 64),
            restart,
            uid,
            gid,
            ...(docker.healthcheckCommand ? { healthcheckCommand: [...docker.healthcheckCommand] } : {}),
            healthcheckIntervalSeconds: requireInteger("docker.healthcheckIntervalSeconds", docker.healthcheckIntervalSeconds, 2),
            ...(docker.healthcheckStartIntervalMs !== undefined ? {
                healthcheckStartIntervalMs: requireInteger("docker.healthcheckStartIntervalMs", docker.healthcheckStartIntervalMs, 0),
            } : {}),
        },
    };
}

/** Byte limits of a Basic-auth password: long enough to resist guessing, short enough for one header. */
export const PASSWORD_BYTES = { min: 16, max: 1024 } as const;

/** Refuses a Docker network that would expose the key host or leave Kong unable to reach it. */
export function checkNetworkName(network: unknown): void {
    if (network === "host") {
        fail(InputErrorCode.Exposure, "docker.networks", '"host" would put the private listener on every host interface; use a bridge network Kong is on');
    }
    if (typeof network === "string" && network.startsWith("container:")) {
        fail(InputErrorCode.Exposure, "docker.networks", `${quote(network)} would share another container's network namespace (and its published ports); use a network Kong is on`);
    }
    if (typeof network !== "string" || !DOCKER_NAME.test(network)) {
        fail(InputErrorCode.Invalid, "docker.networks", `${quote(network)} is not a Docker network name (a letter or digit, then letters, digits, '_', '.', '-')`);
    }
    if (network === "none") fail(InputErrorCode.Invalid, "docker.networks", '"none" leaves Kong no way to reach the key host');
    if (network === "bridge") {
        fail(InputErrorCode.Invalid, "docker.networks", '"bridge", Docker\'s default network, has no name resolution or aliases, so Kong could not reach the key host by hostname; use a user-defined network');
    }
}

/** What Docker says a network name resolves to (the docker provider's getNetwork). */
export interface ResolvedNetwork {
    readonly name: string;
    readonly driver: string;
    readonly options?: Readonly<Record<string, string>>;
}

/**
 * Docker resolves a network reference by name, full id or unique id prefix, so a plain-looking "d" may be
 * the default bridge and a hex string `none`: check what it resolved to, and insist on the name itself.
 */
export function checkResolvedNetwork(given: string, network: ResolvedNetwork): void {
    if (network.name !== given) {
        fail(InputErrorCode.Invalid, "docker.networks",
            `${quote(given)} is the id (or an id prefix) of the network ${quote(network.name)}, not a name; give the network's name, so what the key host joins is what the stack says`);
    }
    checkNetworkName(network.name);
    if (network.driver === "host" || network.driver === "null") {
        fail(InputErrorCode.Exposure, "docker.networks", `${quote(given)} uses Docker's ${quote(network.driver)} driver, which has no network of its own; use a bridge network Kong is on`);
    }
    if (network.options?.["com.docker.network.bridge.default_bridge"] === "true") {
        fail(InputErrorCode.Invalid, "docker.networks", `${quote(given)} is Docker's default bridge, which has no name resolution or aliases; use a user-defined network`);
    }
}

function isPromiseLike(value: unknown): boolean {
    return typeof (value as { then?: unknown } | null)?.then === "function";
}

/**
 * Also called on the resolved value when the password arrives as an Output. Lengths count UTF-8 bytes,
 * what nginx compares. NUL is refused: nginx hands the password to its hash as a C string, so it would
 * check only the bytes before it.
 */
export function checkBasicAuthPassword(password: string): void {
    // A lone UTF-16 surrogate has no UTF-8 form: encoders replace it, so nginx and Kong would each hold
    // bytes the caller never wrote.
    if (typeof password !== "string" || !isWellFormedText(password)) {
        fail(InputErrorCode.Invalid, "kongAuth.basicAuth.password", "must be well-formed Unicode text (it holds a lone UTF-16 surrogate, which has no UTF-8 form)");
    }
    const bytes = Buffer.byteLength(password, "utf8");
    if (bytes < PASSWORD_BYTES.min || bytes > PASSWORD_BYTES.max || password.includes("\0")) {
        fail(InputErrorCode.Invalid, "kongAuth.basicAuth.password",
            `must be ${PASSWORD_BYTES.min} to ${PASSWORD_BYTES.max} bytes of UTF-8 with no NUL character (got ${bytes} bytes${password.includes("\0") ? " with a NUL" : ""})`);
    }
}
