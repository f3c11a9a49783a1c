import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { keySpecFor } from "./algorithms";
import { type GenerationKey, jwkFromPkcs8 } from "./jwks";
import type { ChildNames } from "./naming";
import type { ResolvedKeyset } from "./settings";

/**
 * One `tls.PrivateKey` per generation (state keeps it stable: nothing random happens in the program),
 * turned into JWKs once its PKCS#8 PEM is known. The result is secret: it holds private JWKs.
 */
export function createSigningKeys(keyset: ResolvedKeyset, names: ChildNames, parent: pulumi.Resource): pulumi.Output<GenerationKey[]> {
    const spec = keySpecFor(keyset.algorithm, keyset.rsaBits);
    const pems = keyset.generations.map((generation) => {
        const key = new tls.PrivateKey(names.signingKey(keyset.name, generation), {
            algorithm: spec.algorithm,
            ...(spec.rsaBits !== undefined ? { rsaBits: spec.rsaBits } : {}),
            ...(spec.ecdsaCurve !== undefined ? { ecdsaCurve: spec.ecdsaCurve } : {}),
        }, { parent });
        return key.privateKeyPemPkcs8;
    });
    return pulumi.secret(pulumi.all(pems).apply((values) => Promise.all(values.map(async (pem, i) => {
        const jwk = await jwkFromPkcs8(pem, keyset.algorithm);
        return { generation: keyset.generations[i], ...jwk };
    }))));
}
