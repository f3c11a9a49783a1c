import type * as pulumi from "@pulumi/pulumi";

export interface RecordedResource {
    type: string;
    name: string;
    /** Inputs as the mock received them: secret values wrapped. */
    inputs: Record<string, unknown>;
    /** The same inputs with secrets unwrapped. */
    plain: Record<string, any>;
    /** Reference (`urn::id`) of the provider the resource was registered with, when not the default. */
    provider?: string;
    /** The auto-name the mock provider gave (Docker networks and containers). */
    physicalName?: string;
}

export declare const SECRET_SIG: string;
export declare function unwrapSecrets<T>(value: T): T;
export declare class RealCryptoMocks implements pulumi.runtime.Mocks {
    constructor(options?: { secretOutputs?: boolean; pulumi?: unknown });
    secretOutputs: boolean;
    readonly resources: RecordedResource[];
    /** Every provider function called (token, inputs, provider). */
    readonly calls: pulumi.runtime.MockCallArgs[];
    newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, any> };
    call(args: pulumi.runtime.MockCallArgs): Record<string, any>;
    byType(type: string): RecordedResource[];
}
