import { fail, InputErrorCode } from "./errors";

/** Largest uid/gid: 32-bit ids, and (uid_t)-1 is reserved. */
export const MAX_ID = 4294967294;
/** The stock nginx image's unprivileged user. */
export const DEFAULT_USER = "101:101";

/**
 * The numeric, non-root `uid:gid` nginx runs as, on either target (`field` names the arg). Root could
 * change what the key host serves.
 */
export function resolveUser(field: string, user: unknown): { uid: number; gid: number } {
    const match = typeof user === "string" ? /^(\d+):(\d+)$/.exec(user) : null;
    if (!match) fail(InputErrorCode.Invalid, field, `(${JSON.stringify(user)}) must be numeric "uid:gid", e.g. "${DEFAULT_USER}"`);
    const uid = Number(match[1]);
    const gid = Number(match[2]);
    if (uid > MAX_ID || gid > MAX_ID) {
        fail(InputErrorCode.Invalid, field, `(${JSON.stringify(user)}) has an id above ${MAX_ID}, the largest the kernel allows (ids are 32-bit; ${MAX_ID + 1} means "none")`);
    }
    if (uid === 0 || gid === 0) {
        fail(InputErrorCode.Exposure, field, `(${JSON.stringify(user)}) must not be root: root could change what the key host serves`);
    }
    return { uid, gid };
}
