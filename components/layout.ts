/**
 * Where things live inside the key host container and on its listeners. One place, so the nginx
 * config, the uploads and the URLs cannot disagree.
 */

/** Listener that can serve `/private/`: on the Docker network(s) only, never published. */
export const KONG_LISTENER_PORT = 8443;
/** Public-only listener (public JWKS + health); the public-port proxy forwards to it and listens on it too. */
export const PUBLIC_LISTENER_PORT = 9443;

/** The nginx image of both targets unless the args name another. */
export const DEFAULT_IMAGE = "nginx:1.27-alpine";

export const CONFIG_DIR = "/etc/kong-keys";
/** Scratch space (pid, temp files): a tmpfs, the only place nginx writes. */
export const SCRATCH_DIR = "/tmp";
export const NGINX_BINARY = "/usr/sbin/nginx";
/** Docker's embedded DNS server inside containers on user-defined networks. */
export const DOCKER_DNS = "127.0.0.11";

export const files = {
    nginxConf: `${CONFIG_DIR}/nginx.conf`,
    caCert: `${CONFIG_DIR}/tls/ca.crt`,
    /** The CA that issued Kong's client certificate and nothing else (mTLS). */
    kongClientCaCert: `${CONFIG_DIR}/tls/kong-client-ca.crt`,
    serverCert: `${CONFIG_DIR}/tls/server.crt`,
    serverKey: `${CONFIG_DIR}/tls/server.key`,
    htpasswd: `${CONFIG_DIR}/htpasswd`,
    privateJwks: (keyset: string) => `${CONFIG_DIR}/private/${keyset}.jwks.json`,
    publicJwks: (keyset: string) => `${CONFIG_DIR}/public/${keyset}.jwks.json`,
} as const;

export const PRIVATE_PREFIX = "/private/";
export const PUBLIC_PREFIX = "/public/";
export const HEALTH_PATH = "/healthz";
/** Loopback-only plain HTTP listener for Docker's healthcheck (key host and public-port proxy). */
export const HEALTH_PORT = 8080;
export const HEALTH_LISTENER = `127.0.0.1:${HEALTH_PORT}`;

export const urlPaths = {
    privateJwks: (keyset: string) => `${PRIVATE_PREFIX}${keyset}/jwks.json`,
    publicJwks: (keyset: string) => `${PUBLIC_PREFIX}${keyset}/jwks.json`,
} as const;

/** Media type of a JWK Set (RFC 7517 section 8.5). */
export const JWKS_MEDIA_TYPE = "application/jwk-set+json";
