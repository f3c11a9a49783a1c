// Serving the component package's provider, shared by its two entries: dist/index.js (the package's
// `main`, which @pulumi/pulumi's plugin runner loads) and dist/provider.js (this file and everything it
// needs bundled into one, which the pulumi-resource-kong-signing-key-host launcher starts: see build.js).
import * as path from "node:path";
// Only the SDK's provider module here: the whole SDK (its Automation API among it) loads with the
// component at the first construct, not before the provider serves.
import { main } from "@pulumi/pulumi/provider";
import { KongSigningKeyHostProvider, readPrecomputedSchema } from "./components/packageProvider";

/** Serves KongSigningKeyHost to the engine whose address is in `args`, until the engine stops it. */
export function serve(args: string[]): Promise<void> {
    // __dirname is dist/ in both entries: the package is its parent, the build's schema beside us.
    const packageDir = path.resolve(__dirname, "..");
    const provider = new KongSigningKeyHostProvider(packageDir, readPrecomputedSchema(path.join(__dirname, "schema.json")));
    return main(provider, args);
}

/**
 * Loads what a construct loads (the component with the whole SDK and the docker, tls and kubernetes
 * SDKs) without serving: the build runs it once so that V8's code cache holds their compiled code.
 * Returns the SDK as bundled, for the tests to look inside.
 */
export function loadConstructCode(): typeof import("@pulumi/pulumi") {
    /* eslint-disable @typescript-eslint/no-require-imports */
    require("./components/kongSigningKeyHost");
    const k8s = require("@pulumi/kubernetes");
    // Each group loads on first access; these are the ones the Kubernetes target uses.
    void [k8s.core.v1.Secret, k8s.core.v1.ConfigMap, k8s.core.v1.Service, k8s.apps.v1.Deployment, k8s.networking.v1.NetworkPolicy, k8s.policy.v1.PodDisruptionBudget];
    return require("@pulumi/pulumi");
    /* eslint-enable @typescript-eslint/no-require-imports */
}
