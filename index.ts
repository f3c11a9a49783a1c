import * as pulumi from "@pulumi/pulumi";
import { KongSigningKeyHost, type Keyset, SigningAlgorithm } from "./components";

// Example stack: two keysets on a dedicated Docker network, public keys published on 127.0.0.1.
// Every value comes from stack config with defaults declared in Pulumi.yaml.
const config = new pulumi.Config();

const keysets: Record<string, Keyset> = {
    access: {
        algorithm: config.get("accessAlgorithm") as SigningAlgorithm | undefined ?? SigningAlgorithm.RS256,
        generations: config.requireObject<string[]>("accessGenerations"),
        active: config.get("accessActive"),
    },
    channel: {
        algorithm: config.get("channelAlgorithm") as SigningAlgorithm | undefined ?? SigningAlgorithm.ES256,
        generations: config.requireObject<string[]>("channelGenerations"),
        active: config.get("channelActive"),
    },
};

const publicPort = config.getNumber("publicPort");
// Optional Basic auth for Kong's keyset fetches: `pulumi config set --secret kongBasicAuthPassword ...`.
const basicAuthPassword = config.getSecret("kongBasicAuthPassword");
const keys = new KongSigningKeyHost("kong-keys", {
    keysets,
    kongSources: config.requireObject<string[]>("kongSources"),
    hostname: config.get("hostname"),
    ...(config.get("publicBaseUrl") ? { publicBaseUrl: config.get("publicBaseUrl") } : {}),
    tls: { certValidityHours: config.getNumber("certValidityHours") },
    kongAuth: {
        clientCertificate: config.getBoolean("kongClientCertificate") ?? false,
        ...(basicAuthPassword ? { basicAuth: { username: config.get("kongBasicAuthUsername") ?? "kong", password: basicAuthPassword } } : {}),
    },
    docker: {
        image: config.get("image"),
        subnet: config.get("subnet"),
        ...(publicPort !== undefined ? { publicPort } : {}),
    },
});

export const privateKeysetUrls = keys.privateKeysetUrls;
export const publicJwksUrls = keys.publicJwksUrls;
export const publicJwks = keys.publicJwks;
export const privateJwks = keys.privateJwks;
export const activeKids = keys.activeKids;
export const caCertPem = keys.caCertPem;
// Present with kongClientCertificate=true (null otherwise, so the stack shows no undefined outputs).
export const kongClientCertPem = keys.kongClientCertPem.apply((pem) => pem ?? null);
export const kongClientKeyPem = keys.kongClientKeyPem.apply((pem) => pem ?? null);
// Kong's side: the certificate entity to create (with mTLS), the plugin config fragment that names it,
// and the Admin API request that reloads each keyset now.
export const kongClientCertificate = keys.kongClientCertificate.apply((payload) => payload ?? null);
export const jwtSignerConfig = keys.jwtSignerConfig;
export const kongRotatePaths = keys.kongRotatePaths;
export const kongRotateRequests = keys.kongRotateRequests;
// What each keyset serves, in clear: a rotation step's preview shows it change.
export const keysetGenerations = keys.keysetGenerations;
export const hostname = keys.hostname;
export const kongNetworkNames = keys.kongNetworkNames;
export const containerName = keys.containerName;
