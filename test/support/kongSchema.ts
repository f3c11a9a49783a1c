// What Kong accepts, as a table we wrote from Kong's published definitions (their text is not copied
// here; the sources are named so the table can be checked against them):
// - jwt-signer plugin config: Kong/developer.konghq.com, app/_schemas/gateway/plugins/3.11/JwtSigner.json,
//   3.12/JwtSigner.json, 3.13/JwtSigner.json, 3.14/JwtSigner.json (3.15 is the same as 3.14); fields
//   older than 3.11 from the jwt-signer changelog (keyset client auth and rotate periods in 3.7; the
//   certificate reference a plain string before 3.10, an object {id} from 3.10).
// - the rotate call: Kong's jwt-signer Admin API, `POST /jwt-signer/jwks/{name or id}/rotate` with an
//   optional JSON body {client_username, client_password, client_certificate: {id}} (Kong's own
//   jwt-signer spec sends exactly that to reload an authenticated keyset URL).
// - the certificate entity: Kong Admin API `POST /certificates` / `PUT /certificates/{id}`: `id` (uuid),
//   `cert` and `key` (PEM, required), `cert_alt`, `key_alt`, `snis`, `tags` (optional).

export type KongType =
    | { kind: "string"; enum?: readonly string[] }
    | { kind: "number" }
    | { kind: "boolean" }
    | { kind: "certificate-reference" };

export interface KongField {
    /** First Kong version with the field (major.minor). */
    readonly since: string;
    readonly type: KongType;
}

const SIGNING_ALGORITHMS = ["ES256", "ES384", "ES512", "EdDSA", "HS256", "HS384", "HS512", "PS256", "PS384", "PS512", "RS256", "RS512"] as const;

/** jwt-signer config fields the fragment may carry, per token role. */
function roleFields(prefix: "access_token" | "channel_token"): Record<string, KongField> {
    return {
        [`${prefix}_keyset`]: { since: "3.0", type: { kind: "string" } },
        [`${prefix}_signing_algorithm`]: { since: "3.0", type: { kind: "string", enum: SIGNING_ALGORITHMS } },
        [`${prefix}_keyset_rotate_period`]: { since: "3.7", type: { kind: "number" } },
        [`${prefix}_keyset_client_username`]: { since: "3.7", type: { kind: "string" } },
        [`${prefix}_keyset_client_password`]: { since: "3.7", type: { kind: "string" } },
        // A string id in 3.7-3.9; the object form the fragment uses from 3.10.
        [`${prefix}_keyset_client_certificate`]: { since: "3.10", type: { kind: "certificate-reference" } },
        [`${prefix}_endpoints_ssl_verify`]: { since: "3.13", type: { kind: "boolean" } },
    };
}

export const JWT_SIGNER_FIELDS: Readonly<Record<string, KongField>> = { ...roleFields("access_token"), ...roleFields("channel_token") };

/** The rotate call's JSON body fields. */
export const ROTATE_BODY_FIELDS: Readonly<Record<string, KongType>> = {
    client_username: { kind: "string" },
    client_password: { kind: "string" },
    client_certificate: { kind: "certificate-reference" },
};

/** The certificate entity's fields (the ones a payload may carry), and which are required. */
export const CERTIFICATE_FIELDS = { required: ["cert", "key"], optional: ["id", "cert_alt", "key_alt", "snis", "tags"] } as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function versionAtLeast(version: string, since: string): boolean {
    const [a, b] = version.split(".").map(Number);
    const [c, d] = since.split(".").map(Number);
    return a > c || (a === c && b >= d);
}

/** Why `value` is not of Kong's `type`; undefined when it is. */
export function typeProblem(value: unknown, type: KongType): string | undefined {
    switch (type.kind) {
        case "string":
            if (typeof value !== "string") return `is ${typeof value}, not a string`;
            return type.enum && !type.enum.includes(value) ? `${JSON.stringify(value)} is not one of ${type.enum.join(", ")}` : undefined;
        case "number":
            return typeof value === "number" && Number.isFinite(value) ? undefined : "is not a number";
        case "boolean":
            return typeof value === "boolean" ? undefined : "is not a boolean";
        case "certificate-reference": {
            const keys = value && typeof value === "object" ? Object.keys(value) : [];
            return keys.length === 1 && keys[0] === "id" && UUID.test((value as { id: unknown }).id as string) ? undefined : "is not {id: <uuid>}";
        }
    }
}

/** Every problem Kong of `version` would have with a jwt-signer config fragment: unknown fields, wrong types. */
export function fragmentProblems(fragment: Record<string, unknown>, version: string): string[] {
    return Object.entries(fragment).flatMap(([field, value]) => {
        const known = JWT_SIGNER_FIELDS[field];
        if (!known) return [`${field}: not a jwt-signer field`];
        if (!versionAtLeast(version, known.since)) return [`${field}: Kong ${version} does not have it (since ${known.since})`];
        const problem = typeProblem(value, known.type);
        return problem ? [`${field}: ${problem}`] : [];
    });
}

/** Every problem Kong would have with a rotate request body. */
export function rotateBodyProblems(body: Record<string, unknown>): string[] {
    return Object.entries(body).flatMap(([field, value]) => {
        const type = ROTATE_BODY_FIELDS[field];
        if (!type) return [`${field}: not a rotate body field`];
        const problem = typeProblem(value, type);
        return problem ? [`${field}: ${problem}`] : [];
    });
}

/** Every problem Kong would have with a certificate entity payload. */
export function certificatePayloadProblems(payload: Record<string, unknown>): string[] {
    const allowed: readonly string[] = [...CERTIFICATE_FIELDS.required, ...CERTIFICATE_FIELDS.optional];
    return [
        ...CERTIFICATE_FIELDS.required.filter((f) => typeof payload[f] !== "string").map((f) => `${f}: required`),
        ...Object.keys(payload).filter((f) => !allowed.includes(f)).map((f) => `${f}: not a certificate field`),
        ...(payload.id !== undefined && !UUID.test(String(payload.id)) ? ["id: not a uuid"] : []),
    ];
}
