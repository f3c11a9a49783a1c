// The component package's entry: serves KongSigningKeyHost as a provider for stacks in any Pulumi
// language. @pulumi/pulumi's plugin runner awaits what this module exports.
import * as pulumi from "@pulumi/pulumi";
import { KongSigningKeyHostProvider } from "./components/packageProvider";

export = pulumi.provider.main(new KongSigningKeyHostProvider(__dirname), process.argv.slice(2));
