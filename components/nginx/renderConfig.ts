import { getHeadOnly, healthLocation, healthServer, httpBasics, mainContext, notFoundLocation } from "./common";
import { block, comment, type ConfigNode, directive, emitConfig } from "./configTree";
import { files, JWKS_MEDIA_TYPE, KONG_LISTENER_PORT, PRIVATE_PREFIX, PUBLIC_LISTENER_PORT, urlPaths } from "../layout";
import type { ResolvedSettings } from "../settings";

/** Everything the key host's nginx.conf depends on; nothing secret. */
export interface KeyHostConfigInput {
    readonly hostname: string;
    readonly keysets: readonly string[];
    /** Allowed on `/private/` (after `denySources`). Never empty, unless `selectedByNetworkPolicy`. */
    readonly kongSources: readonly string[];
    /**
     * Kubernetes: pod addresses change, so a NetworkPolicy (outside nginx) admits Kong's pods, and nginx
     * carries no address list; the health listener takes the kubelet's probes on every address.
     */
    readonly selectedByNetworkPolicy?: boolean;
    readonly denySources: readonly string[];
    /** Require a client certificate signed by the key host's CA on `/private/`. */
    readonly mtls: boolean;
    /** Require Basic auth (htpasswd file) on `/private/`. */
    readonly basicAuth: boolean;
    /** Add the public-only listener (the one that may be published to the host). */
    readonly publicListener: boolean;
    readonly publicMaxAgeSeconds: number;
}

export function configInputFromSettings(settings: ResolvedSettings): KeyHostConfigInput {
    return {
        hostname: settings.hostname,
        keysets: settings.keysets.map((k) => k.name),
        kongSources: settings.kongSources,
        denySources: settings.denySources,
        mtls: settings.kongAuth.clientCertificate,
        basicAuth: settings.kongAuth.basicAuthUsername !== undefined,
        publicListener: settings.target === "kubernetes" || settings.docker.publicPort !== undefined,
        ...(settings.target === "kubernetes" ? { selectedByNetworkPolicy: true } : {}),
        publicMaxAgeSeconds: settings.publicMaxAgeSeconds,
    };
}

const PRIVATE_LOG_FORMAT = "kskh_private";

/**
 * The access rules every location under `/private/` carries. One function, so no private location
 * can be rendered without them (nested locations would not inherit `if`/`return`).
 */
export function privateGuard(input: KeyHostConfigInput): ConfigNode[] {
    return [
        ...(input.selectedByNetworkPolicy ? [] : [
            ...input.denySources.map((source) => directive("deny", source)),
            ...input.kongSources.map((source) => directive("allow", source)),
            directive("deny", "all"),
        ]),
        ...(input.mtls ? [block("if", ["($ssl_client_verify", "!=", "SUCCESS)"], [directive("return", 403)])] : []),
        ...(input.basicAuth ? [directive("auth_basic", "kong-keys"), directive("auth_basic_user_file", files.htpasswd)] : []),
        // The audit trail: the access log escapes every variable and records every refusal with its
        // status (the error log takes no client text at all: httpBasics).
        directive("access_log", "/dev/stdout", PRIVATE_LOG_FORMAT),
    ];
}

function jwksHeaders(cacheControl: string): ConfigNode[] {
    return [
        directive("default_type", JWKS_MEDIA_TYPE),
        directive("add_header", "Cache-Control", cacheControl, "always"),
        directive("add_header", "X-Content-Type-Options", "nosniff", "always"),
    ];
}

function publicLocations(input: KeyHostConfigInput): ConfigNode[] {
    return input.keysets.map((keyset) => block("location", ["=", urlPaths.publicJwks(keyset)], [
        ...jwksHeaders(`public, max-age=${input.publicMaxAgeSeconds}`),
        directive("alias", files.publicJwks(keyset)),
    ]));
}

function privateLocations(input: KeyHostConfigInput): ConfigNode[] {
    return [
        ...input.keysets.map((keyset) => block("location", ["=", urlPaths.privateJwks(keyset)], [
            ...privateGuard(input),
            ...jwksHeaders("no-store"),
            directive("alias", files.privateJwks(keyset)),
        ])),
        // Every refusal under /private/ must be the same bytes whether the keyset exists or not, so
        // outsiders cannot tell which names exist: the same guard and the same headers (sent `always`,
        // on a 403 too), and a 404 from try_files (after the access phase), not `return` (before it).
        block("location", ["^~", PRIVATE_PREFIX], [...privateGuard(input), ...jwksHeaders("no-store"), directive("try_files", "/.kskh-none", "=404")]),
    ];
}

function server(port: number, input: KeyHostConfigInput, withPrivate: boolean): ConfigNode {
    return block("server", [], [
        directive("listen", port, "ssl", "default_server"),
        directive("server_name", input.hostname),
        ...(withPrivate && input.mtls ? [
            comment("Optional at the TLS layer so health and public keys need no certificate; /private/ insists."),
            comment("Kong's own CA: it issued Kong's client certificate and nothing else."),
            directive("ssl_client_certificate", files.kongClientCaCert),
            directive("ssl_verify_client", "optional"),
            comment("Depth 0: a certificate the client CA issued itself; none issued by an intermediate under it."),
            directive("ssl_verify_depth", 0),
        ] : []),
        getHeadOnly(),
        healthLocation(),
        ...(withPrivate ? privateLocations(input) : []),
        ...publicLocations(input),
        ...notFoundLocation(),
    ]);
}

/** Builds the config tree; `renderNginxConfig` prints it. */
export function keyHostConfigTree(input: KeyHostConfigInput): ConfigNode[] {
    if (input.selectedByNetworkPolicy) {
        if (input.kongSources.length > 0 || input.denySources.length > 0) throw new Error("an address list and a NetworkPolicy selector are exclusive");
        // No address list: then Kong must authenticate, or any pod the policy lets through gets the keys.
        if (!input.mtls && !input.basicAuth) throw new Error("without an address list Kong must authenticate (mTLS or Basic)");
    } else if (input.kongSources.length === 0) {
        throw new Error("kongSources must not be empty");
    }
    return [comment(`Generated by kong-signing-key-host for ${input.hostname}. Changes are overwritten.`), ...mainContext([block("http", [], [
        ...httpBasics(),
        comment("Only fetches of private keysets are logged (an audit trail); public traffic is not."),
        directive("access_log", "off"),
        directive("log_format", PRIVATE_LOG_FORMAT,
            "$remote_addr [$time_iso8601] \"$request_method $uri\" $status $body_bytes_sent $ssl_protocol client_cert=$ssl_client_verify user=\"$remote_user\""),
        comment(input.selectedByNetworkPolicy
            ? "Kong listener: the NetworkPolicy admits only Kong's pods to it."
            : "Kong listener: on the Docker network(s) only, never published."),
        server(KONG_LISTENER_PORT, input, true),
        ...(input.publicListener ? [
            comment("Public-only listener: what the public-port proxy forwards to; serves no private path."),
            server(PUBLIC_LISTENER_PORT, input, false),
        ] : []),
        ...healthServer(input.selectedByNetworkPolicy ? "kubelet" : "loopback"),
    ])])];
}

export function renderNginxConfig(input: KeyHostConfigInput): string {
    return `${emitConfig(keyHostConfigTree(input))}\n`;
}
