/**
 * One htpasswd line for nginx `auth_basic_user_file`. `{PLAIN}` on purpose: the file sits in the same
 * container, with the same permissions, as the private keysets it guards, so a hash would protect
 * nothing more, while a salted crypt() would cost CPU on every keyset fetch and need randomness the
 * program must not have (two runs must give identical inputs).
 */
export function htpasswdLine(username: string, password: string): string {
    return `${username}:{PLAIN}${password}\n`;
}
