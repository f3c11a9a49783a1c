import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { KongSigningKeyHost } from "./kongSigningKeyHost";
import { refinePackageSchema } from "./packageSchema";

export const PACKAGE_NAME = "kong-signing-key-host";

/**
 * The component package's provider (provider/index.ts serves it): the SDK's ComponentProvider, whose
 * schema comes from analysing the TypeScript source under `dirname`, with integers and secrets stated.
 */
export class KongSigningKeyHostProvider extends ComponentProvider {
    constructor(dirname: string) {
        super({ components: [KongSigningKeyHost], name: PACKAGE_NAME, dirname });
    }

    override async getSchema(): Promise<string> {
        return JSON.stringify(refinePackageSchema(JSON.parse(await super.getSchema())));
    }
}
