import * as pulumi from "@pulumi/pulumi";

/** Stable codes for bad input, so callers and tests can match on them. */
export enum InputErrorCode {
    Missing = "ERR_KSKH_MISSING",
    Invalid = "ERR_KSKH_INVALID",
    Unsupported = "ERR_KSKH_UNSUPPORTED",
    Conflict = "ERR_KSKH_CONFLICT",
    Exposure = "ERR_KSKH_EXPOSURE",
}

/**
 * Bad component input, raised before any child resource exists.
 * `field` is the arg path (e.g. `keysets.access.active`); the message says what is allowed.
 *
 * A Pulumi RunError, so the engine shows the message alone, and its stack is that message without
 * frames: the frames say nothing to the user, and Node 20.20's `util.inspect` (which Pulumi's Node.js
 * SDK runs on every uncaught error) loops building a string on a frame under `node_modules/@scope/x.ts`
 * (what a refusal raised in an apply has) until V8 gives up — a minute of CPU and gigabytes of memory
 * before the preview could fail (measured: 50-65 s per refused preview on our machines).
 */
export class KongSigningKeyHostInputError extends pulumi.RunError {
    override readonly name = "KongSigningKeyHostInputError";

    constructor(
        readonly code: InputErrorCode,
        readonly field: string,
        message: string,
    ) {
        super(`${field}: ${message}`);
        this.stack = `${this.name}: ${this.message}`;
    }
}

/** Raises a {@link KongSigningKeyHostInputError}. */
export function fail(code: InputErrorCode, field: string, message: string): never {
    throw new KongSigningKeyHostInputError(code, field, message);
}
