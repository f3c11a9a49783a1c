/**
 * Which Kong Gateway version introduced each jwt-signer field the fragment can carry. An older Kong
 * rejects a whole plugin config that names a field it does not know, so the fragment carries only what
 * `jwtSigner.kongVersion` has. Sources: Kong's published plugin schemas (Kong/developer.konghq.com,
 * `app/_schemas/gateway/plugins/<version>/JwtSigner.json`) and the jwt-signer changelog; the test
 * (test/kongWiring.test.ts) checks every fragment against a field table written from those schemas.
 */

/** A Kong Gateway version, major.minor. */
export interface KongVersion {
    readonly major: number;
    readonly minor: number;
}

/** The oldest Kong the fragment is built for: 3.0 signs with every algorithm we generate. */
export const OLDEST_KONG = { major: 3, minor: 0 } as const;
/** The newest Kong whose schema we checked; newer versions are treated as this one. Also the default. */
export const NEWEST_KONG = { major: 3, minor: 14 } as const;

/** Per field suffix (after `access_token_` / `channel_token_`), the version that introduced it. */
export const FIELD_SINCE = {
    keyset: OLDEST_KONG,
    signing_algorithm: OLDEST_KONG,
    keyset_rotate_period: { major: 3, minor: 7 },
    keyset_client_username: { major: 3, minor: 7 },
    keyset_client_password: { major: 3, minor: 7 },
    keyset_client_certificate: { major: 3, minor: 7 },
    endpoints_ssl_verify: { major: 3, minor: 13 },
} as const satisfies Record<string, KongVersion>;

export type FieldSuffix = keyof typeof FIELD_SINCE;

/** From 3.10 a certificate reference is an object `{id}` (a foreign key); 3.7-3.9 take the id as a string. */
export const CERTIFICATE_OBJECT_SINCE = { major: 3, minor: 10 } as const;

const VERSION_TEXT = /^(\d{1,3})\.(\d{1,3})(?:\.\d{1,4}){0,2}$/;

/** Parses "3.14", "3.14.0" or "3.14.0.1" (Enterprise); `undefined` when it is not a version. */
export function parseKongVersion(text: unknown): KongVersion | undefined {
    const match = typeof text === "string" ? VERSION_TEXT.exec(text) : null;
    if (!match || /(^|\.)0\d/.test(text as string)) return undefined;
    return { major: Number(match[1]), minor: Number(match[2]) };
}

export function atLeast(version: KongVersion, since: KongVersion): boolean {
    return version.major > since.major || (version.major === since.major && version.minor >= since.minor);
}

export function formatVersion(version: KongVersion): string {
    return `${version.major}.${version.minor}`;
}

export function hasField(version: KongVersion, suffix: FieldSuffix): boolean {
    return atLeast(version, FIELD_SINCE[suffix]);
}
