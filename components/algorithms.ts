import { SigningAlgorithm } from "./args";

/** What `tls.PrivateKey` needs to create a key for a signing algorithm. */
export interface KeySpec {
    readonly algorithm: "RSA" | "ECDSA" | "ED25519";
    readonly rsaBits?: number;
    readonly ecdsaCurve?: "P256" | "P384" | "P521";
}

export const SUPPORTED_ALGORITHMS: readonly string[] = Object.values(SigningAlgorithm);
export const RSA_SIZES: readonly number[] = [2048, 3072, 4096];

export function isRsaAlgorithm(algorithm: SigningAlgorithm): boolean {
    return algorithm.startsWith("RS") || algorithm.startsWith("PS");
}

/** Key type per algorithm; ES* curves follow RFC 7518 (ES512 is P-521). */
export function keySpecFor(algorithm: SigningAlgorithm, rsaBits: number): KeySpec {
    switch (algorithm) {
        case SigningAlgorithm.ES256: return { algorithm: "ECDSA", ecdsaCurve: "P256" };
        case SigningAlgorithm.ES384: return { algorithm: "ECDSA", ecdsaCurve: "P384" };
        case SigningAlgorithm.ES512: return { algorithm: "ECDSA", ecdsaCurve: "P521" };
        case SigningAlgorithm.EdDSA: return { algorithm: "ED25519" };
        default: return { algorithm: "RSA", rsaBits };
    }
}
