import { block, comment, type ConfigNode, directive } from "./configTree";
import { files, HEALTH_LISTENER, HEALTH_PATH, HEALTH_PORT, SCRATCH_DIR } from "../layout";

// Mozilla "intermediate": TLS 1.2 AEAD suites with forward secrecy; TLS 1.3 suites are always on.
const TLS12_CIPHERS = [
    "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
    "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
    "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
].join(":");

/** Main context of every config we render: foreground, one worker, pid and logs where a non-root nginx may write. */
export function mainContext(blocks: ConfigNode[]): ConfigNode[] {
    return [
        directive("daemon", "off"),
        directive("worker_processes", 1),
        directive("pid", `${SCRATCH_DIR}/nginx.pid`),
        directive("error_log", "stderr", "warn"),
        block("events", [], [directive("worker_connections", 1024)]),
        ...blocks,
    ];
}

/**
 * Plain HTTP for health only: on the container's loopback for Docker's healthcheck (nothing outside the
 * container reaches it), the same cheap check in the key host and the public-port proxy, which has no TLS
 * of its own; on Kubernetes on the pod's port 8080, where the kubelet's probes arrive from the node.
 */
export function healthServer(prober: "loopback" | "kubelet" = "loopback"): ConfigNode[] {
    return [
        comment(prober === "loopback" ? "Docker's healthcheck, from inside the container only." : "The kubelet's probes: health and nothing else."),
        block("server", [], [
            directive("listen", prober === "loopback" ? HEALTH_LISTENER : String(HEALTH_PORT)),
            getHeadOnly(),
            healthLocation(),
            ...notFoundLocation(),
        ]),
    ];
}

/** http-level hardening, scratch paths and TLS server settings shared by every listener. */
export function httpBasics(): ConfigNode[] {
    return [
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
        // nginx writes client-chosen text (the request line, a Basic-auth username, header names) into its
        // error log unescaped, so a client could forge fields or whole lines there: at http level the
        // error log takes only crit and above, which no request causes. Startup errors (emerg, in the main
        // context) still show; requests are audited in the escaped access log.
        directive("error_log", "stderr", "crit"),
        ...scratchPaths(),
        directive("ssl_protocols", "TLSv1.2", "TLSv1.3"),
        directive("ssl_ciphers", TLS12_CIPHERS),
        directive("ssl_prefer_server_ciphers", "off"),
        directive("ssl_session_cache", "shared:kskh:1m"),
        directive("ssl_session_timeout", "1h"),
        directive("ssl_session_tickets", "off"),
        directive("ssl_certificate", files.serverCert),
        directive("ssl_certificate_key", files.serverKey),
    ];
}

/** Every http temp path on the tmpfs: a non-root nginx cannot create its compiled-in defaults. */
export function scratchPaths(): ConfigNode[] {
    return [
        comment("Non-root nginx writes only to the tmpfs: every temp path goes there."),
        ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((kind) =>
            directive(`${kind}_temp_path`, `${SCRATCH_DIR}/${kind}`)),
    ];
}

export function getHeadOnly(): ConfigNode {
    return block("if", ["($request_method", "!~", "^(GET|HEAD)$)"], [directive("return", 405)]);
}

export function healthLocation(): ConfigNode {
    return block("location", ["=", HEALTH_PATH], [
        directive("default_type", "text/plain"),
        directive("return", 200, "ok\n"),
    ]);
}

export function notFoundLocation(): ConfigNode[] {
    return [
        comment("Anything else, including every path nothing above names, is not here."),
        block("location", ["/"], [directive("return", 404)]),
    ];
}
