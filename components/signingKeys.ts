import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { keySpecFor } from "./algorithms";
import { type GenerationKey, jwkFromPkcs8 } from "./jwks";
import type { ChildNames } from "./naming";
import type { ResolvedKeyset } from "./settings";

/** A keyset's keys: each generation's on its own, and all of them (oldest first). Secret: private JWKs. */
export interface SigningKeys {
    readonly byGeneration: Readonly<Record<string, pulumi.Output<GenerationKey>>>;
    readonly all: pulumi.Output<GenerationKey[]>;
}

/**
 * One `tls.PrivateKey` per generation (state keeps it stable: nothing random happens in the program),
 * turned into JWKs once its PKCS#8 PEM is known. Each generation stays a value of its own, so what
 * depends on the active key only (the private keyset, the served Secret) stays known in a preview that
 * adds a generation.
 */
export function createSigningKeys(keyset: ResolvedKeyset, names: ChildNames, parent: pulumi.Resource): SigningKeys {
    const spec = keySpecFor(keyset.algorithm, keyset.rsaBits);
    const pems = keyset.generations.map((generation) => {
        const key = new tls.PrivateKey(names.signingKey(keyset.name, generation), {
            algorithm: spec.algorithm,
            ...(spec.rsaBits !== undefined ? { rsaBits: spec.rsaBits } : {}),
            ...(spec.ecdsaCurve !== undefined ? { ecdsaCurve: spec.ecdsaCurve } : {}),
        }, { parent });
        return key.privateKeyPemPkcs8;
    });
    const byGeneration = Object.fromEntries(keyset.generations.map((generation, i) => [generation,
        pulumi.secret(pems[i].apply(async (pem): Promise<GenerationKey> => ({ generation, ...await jwkFromPkcs8(pem, keyset.algorithm) })))]));
    return { byGeneration, all: pulumi.secret(pulumi.all(keyset.generations.map((g) => byGeneration[g]))) };
}
