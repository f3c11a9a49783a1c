import * as pulumi from "@pulumi/pulumi";
import { KongSigningKeyHost, SigningAlgorithm } from "../../components";

// The key host on Kubernetes: Kong's pods (label app.kubernetes.io/name=<kongPodLabel> in <namespace>)
// fetch the private keysets with the client certificate the component issues (mTLS is the default
// there); any pod reads the public JWKS. The stack's default kubernetes provider (KUBECONFIG) is used.
const config = new pulumi.Config();

const keys = new KongSigningKeyHost("kong-keys", {
    keysets: {
        access: { generations: config.requireObject<string[]>("accessGenerations"), active: config.get("accessActive") },
        channel: { algorithm: SigningAlgorithm.ES256, generations: config.requireObject<string[]>("channelGenerations"), active: config.get("channelActive") },
    },
    kubernetes: {
        namespace: config.require("namespace"),
        kongPodLabels: { "app.kubernetes.io/name": config.require("kongPodLabel") },
        // Kong in another namespace: select it by the name label Kubernetes gives every namespace.
        ...(config.get("kongNamespace") ? { kongNamespaceLabels: { "kubernetes.io/metadata.name": config.require("kongNamespace") } } : {}),
        replicas: config.requireNumber("replicas"),
        image: config.require("image"),
        imagePullPolicy: config.require("imagePullPolicy"),
    },
});

export const privateKeysetUrls = keys.privateKeysetUrls;
export const publicJwksUrls = keys.publicJwksUrls;
export const publicJwks = keys.publicJwks;
export const privateJwks = keys.privateJwks;
export const activeKids = keys.activeKids;
export const caCertPem = keys.caCertPem;
export const kongClientCertificate = keys.kongClientCertificate;
export const jwtSignerConfig = keys.jwtSignerConfig;
export const keysetGenerations = keys.keysetGenerations;
export const kubernetesNamespace = keys.kubernetesNamespace;
export const serviceName = keys.serviceName;
