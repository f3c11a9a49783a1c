import type * as pulumi from "@pulumi/pulumi";

/** Resolves an Output's value (under mocks every value is known). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((v) => { resolve(v); return v; }));
}

/** Whether an Output is secret (the SDK keeps this as a promise on the Output). */
export function isSecret(output: pulumi.Output<unknown>): Promise<boolean> {
    return (output as unknown as { isSecret: Promise<boolean> }).isSecret;
}
