import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { KongSigningKeyHostProvider } from "../../components/packageProvider";

/**
 * The package schema `pulumi package add` gets from provider/ (the plugin serves the same provider
 * class), made offline. The analyzer reads the package's entry from package.json, so it gets a scratch
 * package whose main is the component barrel, as provider/ has.
 */
export async function componentSchema(root: string): Promise<any> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kskh-schema-"));
    try {
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "kong-signing-key-host", version: "0.1.0", main: "components/index.js" }));
        fs.symlinkSync(path.join(root, "components"), path.join(dir, "components"));
        fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"));
        fs.copyFileSync(path.join(root, "tsconfig.json"), path.join(dir, "tsconfig.json"));
        return JSON.parse(await new KongSigningKeyHostProvider(dir).getSchema());
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
