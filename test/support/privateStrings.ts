import { SECRET_SIG } from "./realCryptoMocks";

/** Every string in a registered input tree that carries private material, with whether a secret wraps it. */
export function privateStrings(value: unknown, underSecret = false, at = "", out: { at: string; secret: boolean }[] = []) {
    if (typeof value === "string") {
        if (/PRIVATE KEY-----|\{SSHA\}|"d":"/.test(value)) out.push({ at, secret: underSecret });
    } else if (Array.isArray(value)) {
        value.forEach((v, i) => privateStrings(v, underSecret, `${at}[${i}]`, out));
    } else if (value && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (record[SECRET_SIG]) return privateStrings(record.value, true, at, out);
        for (const [k, v] of Object.entries(record)) privateStrings(v, underSecret, `${at}.${k}`, out);
    }
    return out;
}
