export { KongSigningKeyHost, KONG_SIGNING_KEY_HOST_TYPE } from "./kongSigningKeyHost";
export { SigningAlgorithm, ServerKeyAlgorithm } from "./args";
export type {
    KongSigningKeyHostArgs, Keyset, Tls, KongAuth, BasicAuth, JwtSigner, Docker,
    KeysetArgs, TlsArgs, KongAuthArgs, BasicAuthArgs, JwtSignerArgs, DockerArgs,
    Kubernetes, KubernetesArgs, KubernetesResources, KubernetesResourcesArgs,
} from "./args";
export { KongSigningKeyHostInputError, InputErrorCode } from "./errors";
export type { JsonWebKey, JsonWebKeySet } from "./jwks";
export type { JwtSignerConfig, KeysetGenerations, KongCertificatePayload, KongCertificateReference, KongRotateBody, KongRotateRequest } from "./jwtSignerConfig";
export { renderNginxConfig } from "./nginx/renderConfig";
export type { KeyHostConfigInput } from "./nginx/renderConfig";
export { resolveSettings } from "./settings";
