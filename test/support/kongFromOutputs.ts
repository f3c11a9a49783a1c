// A Kong-like client that knows only what the component's outputs give Kong: the certificate entity
// payload (Kong stores it under its id), the plugin config fragment (URL, credentials, the certificate
// reference) and the rotate requests (path and JSON body). It does what Kong does with them: look the
// certificate entity up by the id the config names, and fetch the keyset URL with those credentials.

export interface KongOutputs {
    caCertPem: string;
    jwtSignerConfig: Record<string, any>;
    kongClientCertificate: { id: string; cert: string; key: string } | null;
    kongRotateRequests: Record<string, { method: string; path: string; body: Record<string, any> }>;
}

/** A piece a test leaves out, to show the fetch fails without it. */
export type MissingPiece = "certificate entity" | "certificate reference" | "username" | "password";

/** Credentials as Kong holds them for one fetch: a certificate reference and Basic-auth fields. */
interface FetchCredentials {
    url: string;
    username?: string;
    password?: string;
    certificate?: { id: string };
}

function specFor(outputs: KongOutputs, fetch: FetchCredentials, missing?: MissingPiece): Record<string, unknown> {
    // Kong's certificate entities, created from the payload output (under the id it carries).
    const entities = new Map<string, { cert: string; key: string }>();
    if (outputs.kongClientCertificate && missing !== "certificate entity") {
        entities.set(outputs.kongClientCertificate.id, { cert: outputs.kongClientCertificate.cert, key: outputs.kongClientCertificate.key });
    }
    const reference = missing === "certificate reference" ? undefined : fetch.certificate;
    const entity = reference ? entities.get(reference.id) : undefined;
    const username = missing === "username" ? undefined : fetch.username;
    const password = missing === "password" ? undefined : fetch.password;
    const headers = username !== undefined ? { authorization: `Basic ${Buffer.from(`${username}:${password ?? ""}`, "utf8").toString("base64")}` } : {};
    return { mode: "kong", privateUrl: fetch.url, ca: outputs.caCertPem, ...(entity ? { cert: entity.cert, key: entity.key } : {}), headers };
}

/** The fetch Kong makes for a token role (`access_token`, `channel_token`) from the plugin config. */
export function pluginFetchSpec(outputs: KongOutputs, role: "access_token" | "channel_token", missing?: MissingPiece): Record<string, unknown> {
    const config = outputs.jwtSignerConfig;
    return specFor(outputs, {
        url: config[`${role}_keyset`],
        username: config[`${role}_keyset_client_username`],
        password: config[`${role}_keyset_client_password`],
        certificate: config[`${role}_keyset_client_certificate`],
    }, missing);
}

/** The fetch Kong makes when the rotate request of `keyset` arrives: the URL named in the path, the body's credentials. */
export function rotateFetchSpec(outputs: KongOutputs, keyset: string, missing?: MissingPiece): Record<string, unknown> {
    const request = outputs.kongRotateRequests[keyset];
    const match = /^\/jwt-signer\/jwks\/([^/]+)\/rotate$/.exec(request.path);
    if (request.method !== "POST" || !match) throw new Error(`not a jwt-signer rotate request: ${request.method} ${request.path}`);
    return specFor(outputs, {
        url: decodeURIComponent(match[1]),
        username: request.body.client_username,
        password: request.body.client_password,
        certificate: request.body.client_certificate,
    }, missing);
}
