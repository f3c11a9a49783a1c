import { createHash } from "node:crypto";

/**
 * The value of a key host's `instance` label: 16 hex digits of SHA-256 over its server key's public PEM.
 * The server key lives as long as the instance (rotations and certificate renewals keep it) and differs
 * between instances, even between stacks of the same name on different backends; a public key reveals
 * nothing. The sweep command (scripts/sweepPlan.js) computes the same from the state's keys to tell this
 * instance's containers from any other's.
 */
export function instanceLabelValue(serverPublicKeyPem: string): string {
    return createHash("sha256").update(serverPublicKeyPem.trim()).digest("hex").slice(0, 16);
}
