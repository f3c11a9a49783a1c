import { createHash } from "node:crypto";
import { hasField } from "./kongVersions";
import type { ResolvedSettings } from "./settings";

/** A reference to a Kong certificate entity, as Kong 3.10+ takes it in plugin config and Admin API bodies. */
export interface KongCertificateReference {
    id: string;
}

/**
 * The part of Kong's jwt-signer `config` this component decides, in Kong's own field names, ready to
 * spread into a plugin's config (Admin API, decK, KongPlugin). It carries only fields the Kong of
 * `jwtSigner.kongVersion` has. Deliberately left to you: `*_request_header`/`*_upstream_header` (how
 * tokens reach Kong and upstreams), `*_optional`, and `*_jwks_uri` (verifying incoming tokens).
 * @see https://developer.konghq.com/plugins/jwt-signer/reference/
 */
export interface JwtSignerConfig {
    access_token_keyset: string;
    access_token_signing_algorithm: string;
    /** Seconds between keyset reloads (Kong 3.7+). */
    access_token_keyset_rotate_period?: number;
    /** With Basic auth (Kong 3.7+). */
    access_token_keyset_client_username?: string;
    /** Present with Basic auth; the whole fragment is then a secret. */
    access_token_keyset_client_password?: string;
    /** With mTLS: the Kong certificate entity made from `kongClientCertificate` (Kong 3.10+). */
    access_token_keyset_client_certificate?: KongCertificateReference;
    /** Verify the key host's TLS certificate when fetching the keyset (Kong 3.13+). */
    access_token_endpoints_ssl_verify?: boolean;
    channel_token_keyset?: string;
    channel_token_signing_algorithm?: string;
    channel_token_keyset_rotate_period?: number;
    channel_token_keyset_client_username?: string;
    channel_token_keyset_client_password?: string;
    channel_token_keyset_client_certificate?: KongCertificateReference;
    channel_token_endpoints_ssl_verify?: boolean;
}

/** How Kong authenticates its keyset fetches: what the fragment and the rotate requests carry. */
export interface KongCredentials {
    /** With Basic auth. */
    readonly password?: string;
    /** With mTLS: the id of the Kong certificate entity (`kongClientCertificate.id`). */
    readonly clientCertificateId?: string;
}

/** Builds the fragment from resolved settings and the private keyset URLs. */
export function buildJwtSignerConfig(
    settings: ResolvedSettings,
    privateKeysetUrls: Readonly<Record<string, string>>,
    credentials: KongCredentials = {},
): JwtSignerConfig {
    const { kongVersion } = settings.jwtSigner;
    const roles: [prefix: "access_token" | "channel_token", keyset: string | undefined][] = [
        ["access_token", settings.jwtSigner.accessTokenKeyset],
        ["channel_token", settings.jwtSigner.channelTokenKeyset],
    ];
    const config: Record<string, unknown> = {};
    for (const [prefix, keysetName] of roles) {
        if (keysetName === undefined) continue;
        const keyset = settings.keysets.find((k) => k.name === keysetName);
        if (!keyset) throw new Error(`jwt-signer role ${prefix} names unknown keyset ${keysetName}`);
        config[`${prefix}_keyset`] = privateKeysetUrls[keysetName];
        config[`${prefix}_signing_algorithm`] = keyset.algorithm;
        // resolveSettings refused what the version lacks; these checks keep the fragment honest anyway.
        if (settings.jwtSigner.keysetRotatePeriod > 0 && hasField(kongVersion, "keyset_rotate_period")) {
            config[`${prefix}_keyset_rotate_period`] = settings.jwtSigner.keysetRotatePeriod;
        }
        // The plugin names each credential `<role>_keyset_<field>` for the rotate body's `<field>`.
        for (const [field, value] of Object.entries(clientCredentials(settings, credentials))) config[`${prefix}_keyset_${field}`] = value;
        if (hasField(kongVersion, "endpoints_ssl_verify")) config[`${prefix}_endpoints_ssl_verify`] = true;
    }
    return config as unknown as JwtSignerConfig;
}

/**
 * Kong Admin API path that makes Kong reload a URL keyset now (`POST`). Kong names keysets fetched by
 * URL after the URL itself.
 */
export function kongRotatePath(keysetUrl: string): string {
    return `/jwt-signer/jwks/${encodeURIComponent(keysetUrl)}/rotate`;
}

/** The JSON body of a rotate request: the credentials Kong fetches the keyset with (all optional). */
export interface KongRotateBody {
    client_username?: string;
    client_password?: string;
    client_certificate?: KongCertificateReference;
}

/** One Admin API request that reloads a keyset now, as Kong expects it. */
export interface KongRotateRequest {
    /** Always "POST". */
    method: string;
    /** Relative to the Admin API's base URL. */
    path: string;
    /**
     * JSON body (`Content-Type: application/json`). Kong fetches the keyset again with these credentials:
     * without them an authenticated keyset URL fails (Kong answers 500).
     */
    body: KongRotateBody;
}

/** The credentials Kong fetches a keyset with, for the configured auth modes, as the rotate body names them. */
function clientCredentials(settings: ResolvedSettings, credentials: KongCredentials): KongRotateBody {
    const body: KongRotateBody = {};
    if (settings.kongAuth.basicAuthUsername !== undefined) {
        body.client_username = settings.kongAuth.basicAuthUsername;
        if (credentials.password !== undefined) body.client_password = credentials.password;
    }
    if (settings.kongAuth.clientCertificate && credentials.clientCertificateId !== undefined) {
        body.client_certificate = { id: credentials.clientCertificateId };
    }
    return body;
}

/** The rotate request of each keyset, with the credentials of the configured auth modes. */
export function buildKongRotateRequests(
    settings: ResolvedSettings,
    privateKeysetUrls: Readonly<Record<string, string>>,
    credentials: KongCredentials = {},
): Record<string, KongRotateRequest> {
    const body = clientCredentials(settings, credentials);
    return Object.fromEntries(Object.entries(privateKeysetUrls).map(([keyset, url]) =>
        [keyset, { method: "POST", path: kongRotatePath(url), body: { ...body } }]));
}

/**
 * The id of the Kong certificate entity holding Kong's client certificate, chosen here so that the
 * fragment can name it before the entity exists: no output → entity → id → input cycle. Kong takes a
 * client-chosen id (`PUT /certificates/{id}`, or `id` in the POST body). Derived from the client key's
 * public half: stable across certificate renewals (the key stays), different for every instance.
 * RFC 9562 layout, version 8 (custom), from a SHA-256.
 */
export function kongCertificateEntityId(clientPublicKeyPem: string): string {
    const bytes = createHash("sha256").update("kong-signing-key-host: Kong client certificate entity\n").update(clientPublicKeyPem).digest().subarray(0, 16);
    bytes[6] = (bytes[6] & 0x0f) | 0x80;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = bytes.toString("hex");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** What Kong's `POST /certificates` (or `PUT /certificates/{id}`) takes to hold Kong's client certificate. */
export interface KongCertificatePayload {
    /** The entity id the fragment and the rotate requests name. */
    id: string;
    /** PEM of Kong's client certificate. */
    cert: string;
    /** PEM of its private key. */
    key: string;
}

/** Per keyset, what the key host serves: every generation published (oldest first) and the active one. */
export interface KeysetGenerations {
    published: string[];
    active: string;
}

export function keysetGenerations(settings: ResolvedSettings): Record<string, KeysetGenerations> {
    return Object.fromEntries(settings.keysets.map((k) => [k.name, { published: [...k.generations], active: k.active }]));
}
