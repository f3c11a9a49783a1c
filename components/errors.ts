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
 */
export class KongSigningKeyHostInputError extends Error {
    override readonly name = "KongSigningKeyHostInputError";

    constructor(
        readonly code: InputErrorCode,
        readonly field: string,
        message: string,
    ) {
        super(`${field}: ${message}`);
    }
}

/** Raises a {@link KongSigningKeyHostInputError}. */
export function fail(code: InputErrorCode, field: string, message: string): never {
    throw new KongSigningKeyHostInputError(code, field, message);
}
