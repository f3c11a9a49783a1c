import { fail, InputErrorCode } from "../errors";

/**
 * Which component answers to which hostname on which existing Docker network, in this program. Docker's
 * DNS answers an alias with every container that carries it on that network, so two key hosts with the
 * same hostname on the same network would hand Kong either instance's keyset at random. Dedicated
 * networks (the default) belong to one instance and need no claim.
 *
 * Keyed by component name: two components in one stack never share a name (Pulumi refuses duplicate
 * URNs), so a claim by the same name is the same component (a program or a test building it again).
 */
const claims = new Map<string, string>();

/** Records `component`'s `hostname` on `network`; refuses one another component already holds. */
export function claimNetworkAlias(component: string, network: string, hostname: string): void {
    const key = JSON.stringify([network, hostname]);
    const holder = claims.get(key);
    if (holder !== undefined && holder !== component) {
        fail(InputErrorCode.Conflict, "hostname",
            `("${hostname}") is already the hostname of KongSigningKeyHost "${holder}" on docker network "${network}": ` +
            "Docker's DNS would answer Kong with either key host; give each instance its own hostname or network");
    }
    claims.set(key, component);
}
