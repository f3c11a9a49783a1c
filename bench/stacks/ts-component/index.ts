// KongSigningKeyHost from the packed npm package, with the inputs of examples/python: the component side
// of the TypeScript preview benchmark (bench/previews.ts).
import * as pulumi from "@pulumi/pulumi";
import { KongSigningKeyHost, SigningAlgorithm } from "kong-signing-key-host";

const config = new pulumi.Config();
const keys = new KongSigningKeyHost("kong-keys", {
    keysets: { access: { generations: ["2026-11"] }, channel: { algorithm: SigningAlgorithm.ES256, generations: ["2026-11"] } },
    kongSources: [config.require("subnet")],
    docker: { subnet: config.require("subnet"), image: config.require("image") },
});

export const privateKeysetUrls = keys.privateKeysetUrls;
export const caCertPem = keys.caCertPem;
