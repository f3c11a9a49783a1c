// The component package's `main`, compiled to dist/index.js by build.js (at `npm install`, which
// `pulumi package add` runs): what @pulumi/pulumi's plugin runner loads where the engine starts the
// package through the Node.js language host (on Windows, or if the launcher is missing). Elsewhere the
// engine runs pulumi-resource-kong-signing-key-host, which starts the bundled dist/provider.js instead.
// The plugin runner awaits what this module exports.
import { serve } from "./serve";

export = serve(process.argv.slice(2));
