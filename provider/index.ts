// The component package's entry: @pulumi/pulumi's plugin runner serves every component class this
// module exports, with a schema its analyzer reads from the TypeScript source.
export { KongSigningKeyHost } from "./components/kongSigningKeyHost";
