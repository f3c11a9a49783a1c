import * as jose from "jose";
import type { SigningAlgorithm } from "./args";

/** A JSON Web Key as published (RFC 7517); private members only in private keysets. */
export interface JsonWebKey {
    kty: string;
    kid: string;
    alg: string;
    use: string;
    /** RSA modulus and exponent. */
    n?: string;
    e?: string;
    /** EC / OKP curve and coordinates. */
    crv?: string;
    x?: string;
    y?: string;
    /** Private members (never in a public JWKS). */
    d?: string;
    p?: string;
    q?: string;
    dp?: string;
    dq?: string;
    qi?: string;
}

/** A JWK Set: `{"keys": [...]}`. */
export interface JsonWebKeySet {
    keys: JsonWebKey[];
}

/** One generation's key, private and public forms. */
export interface GenerationKey {
    readonly generation: string;
    readonly kid: string;
    readonly privateJwk: JsonWebKey;
    readonly publicJwk: JsonWebKey;
}

const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] as const;

/**
 * Turns a PKCS#8 PEM private key into private and public JWKs for `algorithm`, with
 * `kid` = RFC 7638 SHA-256 thumbprint, `alg` and `use: "sig"`. jose checks that key and algorithm fit.
 */
export async function jwkFromPkcs8(pkcs8Pem: string, algorithm: SigningAlgorithm): Promise<{ kid: string; privateJwk: JsonWebKey; publicJwk: JsonWebKey }> {
    const key = await jose.importPKCS8(pkcs8Pem, algorithm, { extractable: true });
    const exported = await jose.exportJWK(key);
    const kid = await jose.calculateJwkThumbprint(exported, "sha256");
    const privateJwk = orderJwk({ ...exported, kid, alg: algorithm, use: "sig" } as JsonWebKey);
    return { kid, privateJwk, publicJwk: publicJwkOf(privateJwk) };
}

/** Drops every private member; what remains is safe to publish. */
export function publicJwkOf(jwk: JsonWebKey): JsonWebKey {
    const copy: Record<string, unknown> = { ...jwk };
    for (const member of PRIVATE_MEMBERS) delete copy[member];
    return copy as unknown as JsonWebKey;
}

/** Stable member order (kid first), so JWKS bytes and `preview --diff` output do not churn. */
function orderJwk(jwk: JsonWebKey): JsonWebKey {
    const order = ["kid", "kty", "alg", "use", "crv", "n", "e", "x", "y", "d", "p", "q", "dp", "dq", "qi"];
    const source = jwk as unknown as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const name of order) if (source[name] !== undefined) out[name] = source[name];
    for (const name of Object.keys(source)) if (!(name in out)) out[name] = source[name];
    return out as unknown as JsonWebKey;
}

/** Private keyset: the active generation only (what Kong signs with). */
export function privateKeyset(keys: readonly GenerationKey[], active: string): JsonWebKeySet {
    const activeKey = keys.find((k) => k.generation === active);
    if (!activeKey) throw new Error(`active generation ${JSON.stringify(active)} has no key`);
    return { keys: [activeKey.privateJwk] };
}

/** Public keyset: every listed generation, private members stripped, oldest first. */
export function publicKeyset(keys: readonly GenerationKey[]): JsonWebKeySet {
    return { keys: keys.map((k) => k.publicJwk) };
}

/** The bytes served: compact JSON with a trailing newline. */
export function serializeKeyset(keyset: JsonWebKeySet): string {
    return `${JSON.stringify(keyset)}\n`;
}
