import type { ResolvedSettings } from "./settings";

/**
 * The part of Kong's jwt-signer `config` this component decides, in Kong's own field names, ready to
 * spread into a plugin's config (Admin API, decK, KongPlugin). `*_keyset_client_certificate` needs the
 * id of a Kong certificate entity made from `kongClientCertPem`/`kongClientKeyPem`, so it is left to you.
 * @see https://docs.konghq.com/hub/kong-inc/jwt-signer/configuration/
 */
export interface JwtSignerConfig {
    access_token_keyset: string;
    access_token_signing_algorithm: string;
    /** Seconds between keyset reloads (Kong 3.7+). */
    access_token_keyset_rotate_period?: number;
    access_token_keyset_client_username?: string;
    /** Present with Basic auth; the whole fragment is then a secret. */
    access_token_keyset_client_password?: string;
    channel_token_keyset?: string;
    channel_token_signing_algorithm?: string;
    channel_token_keyset_rotate_period?: number;
    channel_token_keyset_client_username?: string;
    channel_token_keyset_client_password?: string;
}

/** Builds the fragment from resolved settings and the private keyset URLs; `password` only with Basic auth. */
export function buildJwtSignerConfig(
    settings: ResolvedSettings,
    privateKeysetUrls: Readonly<Record<string, string>>,
    password?: string,
): JwtSignerConfig {
    const roles: [prefix: "access_token" | "channel_token", keyset: string | undefined][] = [
        ["access_token", settings.jwtSigner.accessTokenKeyset],
        ["channel_token", settings.jwtSigner.channelTokenKeyset],
    ];
    const config: Record<string, string | number> = {};
    for (const [prefix, keysetName] of roles) {
        if (keysetName === undefined) continue;
        const keyset = settings.keysets.find((k) => k.name === keysetName);
        if (!keyset) throw new Error(`jwt-signer role ${prefix} names unknown keyset ${keysetName}`);
        config[`${prefix}_keyset`] = privateKeysetUrls[keysetName];
        config[`${prefix}_signing_algorithm`] = keyset.algorithm;
        if (settings.jwtSigner.keysetRotatePeriod > 0) config[`${prefix}_keyset_rotate_period`] = settings.jwtSigner.keysetRotatePeriod;
        if (settings.kongAuth.basicAuthUsername !== undefined) {
            config[`${prefix}_keyset_client_username`] = settings.kongAuth.basicAuthUsername;
            if (password !== undefined) config[`${prefix}_keyset_client_password`] = password;
        }
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
