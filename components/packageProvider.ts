import * as fs from "node:fs";
import type * as pulumi from "@pulumi/pulumi";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import type { KongSigningKeyHost } from "./kongSigningKeyHost";
import { refinePackageSchema } from "./packageSchema";

type ComponentClass = new (name: string, args: any, opts?: pulumi.ComponentResourceOptions) => pulumi.ComponentResource;

/**
 * Stands in for the KongSigningKeyHost class (same name, so the provider serves the same type) and loads
 * it — and with it the docker and tls SDKs, about 0.3 s — at the first construct, not at start: with a
 * precomputed schema, answering GetSchema needs no component code.
 */
const LazyKongSigningKeyHost = {
    KongSigningKeyHost: function (name: string, args: unknown, opts?: pulumi.ComponentResourceOptions) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const real: typeof KongSigningKeyHost = require("./kongSigningKeyHost").KongSigningKeyHost;
        return new real(name, args as never, opts);
    },
}.KongSigningKeyHost as unknown as ComponentClass;

export const PACKAGE_NAME = "kong-signing-key-host";

/**
 * What the SDK's schema analyser produces from the TypeScript source, computed when the package is built
 * (provider/build.js) so that starting the provider type-checks and analyses nothing: the package schema
 * (refined: integers and secrets stated) and the component definitions `construct` reads its outputs from.
 */
export interface PrecomputedSchema {
    readonly schema: Record<string, unknown>;
    readonly componentDefinitions: Record<string, unknown>;
}

/** The SDK's ComponentProvider keeps these private; they are what getSchema() fills in. */
interface ProviderInternals {
    componentDefinitions?: Record<string, unknown>;
}

/**
 * The component package's provider (provider/index.ts serves it): the SDK's ComponentProvider with
 * integers and secrets stated in the schema. With `precomputed`, the schema comes from the build instead
 * of from analysing the TypeScript source under `dirname`.
 */
export class KongSigningKeyHostProvider extends ComponentProvider {
    private refinedSchema?: string;

    constructor(dirname: string, precomputed?: PrecomputedSchema) {
        super({ components: [LazyKongSigningKeyHost], name: PACKAGE_NAME, dirname });
        if (precomputed) {
            this.refinedSchema = JSON.stringify(precomputed.schema);
            (this as unknown as ProviderInternals).componentDefinitions = precomputed.componentDefinitions;
        }
    }

    override async getSchema(): Promise<string> {
        this.refinedSchema ??= JSON.stringify(refinePackageSchema(JSON.parse(await super.getSchema())));
        return this.refinedSchema;
    }

    /** Analyses the source (once) and returns what a build stores: see {@link PrecomputedSchema}. */
    async precompute(): Promise<PrecomputedSchema> {
        const schema = JSON.parse(await this.getSchema());
        const componentDefinitions = (this as unknown as ProviderInternals).componentDefinitions;
        if (!componentDefinitions) throw new Error("the schema analyser produced no component definitions");
        return { schema, componentDefinitions: JSON.parse(JSON.stringify(componentDefinitions)) };
    }
}

/** Reads a build's precomputed schema; undefined when there is none (the provider then analyses the source). */
export function readPrecomputedSchema(file: string): PrecomputedSchema | undefined {
    if (!fs.existsSync(file)) return undefined;
    return JSON.parse(fs.readFileSync(file, "utf8")) as PrecomputedSchema;
}
