import { block, comment, type ConfigNode, directive, emitConfig } from "./configTree";
import {
    files, HEALTH_PATH, JWKS_MEDIA_TYPE, KONG_LISTENER_PORT, PRIVATE_PREFIX, PUBLIC_LISTENER_PORT,
    SCRATCH_DIR, urlPaths,
} from "../layout";
import type { ResolvedSettings } from "../settings";

/** Everything the key host's nginx.conf depends on; nothing secret. */
export interface KeyHostConfigInput {
    readonly hostname: string;
    readonly keysets: readonly string[];
    /** Allowed on `/private/` (after `denySources`). Never empty. */
    readonly kongSources: readonly string[];
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
        publicListener: settings.docker.publicPort !== undefined,
        publicMaxAgeSeconds: settings.publicMaxAgeSeconds,
    };
}

// Mozilla "intermediate": TLS 1.2 AEAD suites with forward secrecy; TLS 1.3 suites are always on.
const TLS12_CIPHERS = [
    "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
    "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
    "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
].join(":");

const PRIVATE_LOG_FORMAT = "kskh_private";

/**
 * The access rules every location under `/private/` carries. One function, so no private location
 * can be rendered without them (nested locations would not inherit `if`/`return`).
 */
export function privateGuard(input: KeyHostConfigInput): ConfigNode[] {
    return [
        ...input.denySources.map((source) => directive("deny", source)),
        ...input.kongSources.map((source) => directive("allow", source)),
        directive("deny", "all"),
        ...(input.mtls ? [block("if", ["($ssl_client_verify", "!=", "SUCCESS)"], [directive("return", 403)])] : []),
        ...(input.basicAuth ? [directive("auth_basic", "kong-keys"), directive("auth_basic_user_file", files.htpasswd)] : []),
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

function healthLocation(): ConfigNode {
    return block("location", ["=", HEALTH_PATH], [
        directive("default_type", "text/plain"),
        directive("return", 200, "ok\n"),
    ]);
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
        // 404 from try_files (after the access phase), not `return` (before it): outsiders get 403 for
        // every private path, so they cannot tell which keyset names exist.
        block("location", ["^~", PRIVATE_PREFIX], [...privateGuard(input), directive("try_files", "/.kskh-none", "=404")]),
    ];
}

function server(port: number, input: KeyHostConfigInput, withPrivate: boolean): ConfigNode {
    return block("server", [], [
        directive("listen", port, "ssl", "default_server"),
        directive("server_name", input.hostname),
        ...(withPrivate && input.mtls ? [
            comment("Optional at the TLS layer so health and public keys need no certificate; /private/ insists."),
            directive("ssl_client_certificate", files.caCert),
            directive("ssl_verify_client", "optional"),
            directive("ssl_verify_depth", 2),
        ] : []),
        block("if", ["($request_method", "!~", "^(GET|HEAD)$)"], [directive("return", 405)]),
        healthLocation(),
        ...(withPrivate ? privateLocations(input) : []),
        ...publicLocations(input),
        comment("Anything else, including every path nothing above names, is not here."),
        block("location", ["/"], [directive("return", 404)]),
    ]);
}

/** Builds the config tree; `renderNginxConfig` prints it. */
export function keyHostConfigTree(input: KeyHostConfigInput): ConfigNode[] {
    if (input.kongSources.length === 0) throw new Error("kongSources must not be empty");
    return [
        comment(`Generated by kong-signing-key-host for ${input.hostname}. Changes are overwritten.`),
        directive("daemon", "off"),
        directive("worker_processes", 1),
        directive("pid", `${SCRATCH_DIR}/nginx.pid`),
        directive("error_log", "stderr", "warn"),
        block("events", [], [directive("worker_connections", 1024)]),
        block("http", [], [
            directive("server_tokens", "off"),
            directive("default_type", "application/octet-stream"),
            directive("sendfile", "on"),
            directive("tcp_nopush", "on"),
            directive("keepalive_timeout", "65s"),
            directive("keepalive_requests", 10000),
            directive("client_max_body_size", "1k"),
            directive("client_header_timeout", "10s"),
            directive("client_body_timeout", "10s"),
            directive("send_timeout", "10s"),
            comment("Non-root nginx writes only to the tmpfs: every temp path goes there."),
            ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((kind) =>
                directive(`${kind}_temp_path`, `${SCRATCH_DIR}/${kind}`)),
            comment("Only fetches of private keysets are logged (an audit trail); public traffic is not."),
            directive("access_log", "off"),
            directive("log_format", PRIVATE_LOG_FORMAT,
                "$remote_addr [$time_iso8601] \"$request_method $uri\" $status $body_bytes_sent $ssl_protocol client_cert=$ssl_client_verify user=$remote_user"),
            directive("ssl_protocols", "TLSv1.2", "TLSv1.3"),
            directive("ssl_ciphers", TLS12_CIPHERS),
            directive("ssl_prefer_server_ciphers", "off"),
            directive("ssl_session_cache", "shared:kskh:1m"),
            directive("ssl_session_timeout", "1h"),
            directive("ssl_session_tickets", "off"),
            directive("ssl_certificate", files.serverCert),
            directive("ssl_certificate_key", files.serverKey),
            comment(`Kong listener: on the Docker network(s) only, never published.`),
            server(KONG_LISTENER_PORT, input, true),
            ...(input.publicListener ? [
                comment("Public-only listener: may be published to the host; serves no private path."),
                server(PUBLIC_LISTENER_PORT, input, false),
            ] : []),
        ]),
    ];
}

export function renderNginxConfig(input: KeyHostConfigInput): string {
    return `${emitConfig(keyHostConfigTree(input))}\n`;
}
