import { createHash, createHmac } from "node:crypto";

/**
 * One htpasswd line for nginx `auth_basic_user_file`, in the `{SSHA}` scheme nginx reads:
 * base64(SHA-1(password ‖ salt) ‖ salt). The stored line is short whatever the password (nginx reads the
 * file line by line into a fixed buffer), and it holds no character of the password, so nginx checks
 * exactly the bytes Kong sends. The salt is given, not random: two runs must give the same file, or
 * every `pulumi up` would replace the key host (see `htpasswdSalt`).
 */
export function htpasswdLine(username: string, password: string, salt: Buffer): string {
    const digest = createHash("sha1").update(Buffer.from(password, "utf8")).update(salt).digest();
    return `${username}:{SSHA}${Buffer.concat([digest, salt]).toString("base64")}\n`;
}

/**
 * A per-instance salt derived from secret material already in state (the key host's TLS private key,
 * which only this component holds), so it is stable across runs, differs between instances and users,
 * and cannot be computed by anyone who lacks that key.
 */
export function htpasswdSalt(secretKeyPem: string, username: string): Buffer {
    return createHmac("sha256", secretKeyPem).update(`kong-signing-key-host htpasswd salt\0${username}`).digest().subarray(0, 16);
}
