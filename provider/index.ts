// The component package's entry, compiled to dist/index.js by build.js (at `npm install`, which
// `pulumi package add` runs): serves KongSigningKeyHost as a provider for stacks in any Pulumi language.
// @pulumi/pulumi's plugin runner awaits what this module exports. The schema comes precomputed from the
// build (dist/schema.json), so starting the provider type-checks and analyses nothing.
import * as path from "node:path";
// Only the SDK's provider module here: the whole SDK (its Automation API among it) loads with the
// component at the first construct, not before the provider serves.
import { main } from "@pulumi/pulumi/provider";
import { KongSigningKeyHostProvider, readPrecomputedSchema } from "./components/packageProvider";

const packageDir = path.resolve(__dirname, "..");
const provider = new KongSigningKeyHostProvider(packageDir, readPrecomputedSchema(path.join(__dirname, "schema.json")));

export = main(provider, process.argv.slice(2));
