/**
 * Requests against the private keysets that must never return a private key: path tricks, methods,
 * spoofing headers, protocol oddities, TLS downgrades, mTLS and Basic-auth failures.
 */
export interface Attack {
    name: string;
    port: number;
    request: string;
    tls?: false | { minVersion?: string; maxVersion?: string; ciphers?: string; cert?: string; key?: string };
}

export interface AttackContext {
    hostname: string;
    kongPort: number;
    publicPort: number;
    keyset: string;
    kongAddress: string;
    /** A valid Kong client certificate (for attacks that get past mTLS but not the address check). */
    kongCert?: { cert: string; key: string };
    /** A certificate from another CA. */
    foreignCert?: { cert: string; key: string };
    basicAuth?: { username: string; password: string };
}

/** What a client would like to see as a line of its own in the key host's logs. */
export const FORGED_LOG_LINE = "2026/11/30 06-00-00 [emerg] 1#1 forged by a client";

const request = (target: string, host: string, headers: string[] = [], method = "GET", version = "HTTP/1.1") =>
    `${method} ${target} ${version}\r\nHost: ${host}\r\n${headers.map((h) => `${h}\r\n`).join("")}Connection: close\r\n\r\n`;

/** Attacks sent from an address that is not in kongSources. */
export function outsiderAttacks(c: AttackContext): Attack[] {
    const p = `/private/${c.keyset}/jwks.json`;
    const host = `${c.hostname}:${c.kongPort}`;
    const auth = c.basicAuth ? [`Authorization: Basic ${Buffer.from(`${c.basicAuth.username}:${c.basicAuth.password}`).toString("base64")}`] : [];
    const withCert = c.kongCert ? { cert: c.kongCert.cert, key: c.kongCert.key } : {};
    const on = (name: string, target: string, headers: string[] = [], method = "GET", version = "HTTP/1.1"): Attack =>
        ({ name, port: c.kongPort, request: request(target, host, [...auth, ...headers], method, version), tls: withCert });
    const paths: [string, string][] = [
        ["plain", p], ["double leading slash", `/${p}`], ["double inner slash", p.replace("/private/", "/private//")],
        ["dot segment", `/.${p}`], ["dot-dot from public", `/public/..${p}`], ["inner dot segment", p.replace("/jwks.json", "/./jwks.json")],
        ["percent-encoded p", p.replace("/private", "/%70rivate")], ["encoded slashes", p.replace(/\//g, "%2F")],
        ["encoded NUL suffix", `${p}%00`], ["query string", `${p}?x=1`], ["fragment", `${p}#f`], ["trailing slash", `${p}/`],
        ["trailing dot", `${p}.`], ["upper-case prefix", p.replace("/private", "/PRIVATE")], ["mixed case", p.replace("/private", "/Private").replace("jwks", "JWKS")],
        ["path parameter", `${p};.css`], ["encoded dot-dot", p.replace("/jwks.json", `/%2e%2e/${c.keyset}/jwks.json`)],
        ["encoded traversal from public", `/public/${c.keyset}/..%2f..%2fprivate/${c.keyset}/jwks.json`], ["double-encoded dot", `/%252e/${p}`],
        ["directory", "/private/"], ["keyset directory", `/private/${c.keyset}/`], ["file path", `/etc/kong-keys/private/${c.keyset}.jwks.json`],
        ["file name", `/private/${c.keyset}.jwks.json`], ["traversal to file", `/public/../../etc/kong-keys/private/${c.keyset}.jwks.json`],
        ["backslashes", p.replace(/\//g, "\\")], ["unknown keyset", "/private/nope/jwks.json"], ["overlong UTF-8 slash", p.replace("/jwks", "%c0%afjwks")],
    ];
    const attacks: Attack[] = paths.map(([name, target]) => on(`path: ${name}`, target));
    for (const method of ["HEAD", "POST", "OPTIONS", "TRACE", "PUT", "PROPFIND"]) attacks.push(on(`method: ${method}`, p, method === "POST" || method === "PUT" ? ["Content-Length: 0"] : [], method));
    attacks.push(
        on("header: X-Forwarded-For", p, [`X-Forwarded-For: ${c.kongAddress}`]),
        on("header: X-Real-IP", p, [`X-Real-IP: ${c.kongAddress}`]),
        on("header: Forwarded", p, [`Forwarded: for=${c.kongAddress}`]),
        on("header: True-Client-IP", p, [`True-Client-IP: ${c.kongAddress}`, `Client-IP: ${c.kongAddress}`]),
        on("header: X-Original-URL on public", `/public/${c.keyset}/jwks.json`, [`X-Original-URL: ${p}`, `X-Rewrite-URL: ${p}`]),
        on("header: Range", p, ["Range: bytes=0-64"]),
        { name: "header: Host localhost", port: c.kongPort, request: request(p, "localhost", auth), tls: withCert },
        { name: "header: Host = Kong address", port: c.kongPort, request: request(p, c.kongAddress, auth), tls: withCert },
        on("protocol: HTTP/1.0", p, [], "GET", "HTTP/1.0"),
        { name: "protocol: HTTP/0.9", port: c.kongPort, request: `GET ${p}\r\n\r\n`, tls: withCert },
        on("protocol: absolute-form", `https://${host}${p}`),
        on("protocol: absolute-form, localhost", `https://localhost${p}`),
        { name: "protocol: pipelined after public", port: c.kongPort, tls: withCert,
            request: `GET /public/${c.keyset}/jwks.json HTTP/1.1\r\nHost: ${host}\r\n\r\n${request(p, host, auth)}` },
        { name: "protocol: plain HTTP to TLS port", port: c.kongPort, request: request(p, host), tls: false },
        { name: "tls: TLS 1.0", port: c.kongPort, request: request(p, host, auth), tls: { minVersion: "TLSv1", maxVersion: "TLSv1", ciphers: "DEFAULT@SECLEVEL=0", ...withCert } },
        { name: "tls: TLS 1.1", port: c.kongPort, request: request(p, host, auth), tls: { minVersion: "TLSv1.1", maxVersion: "TLSv1.1", ciphers: "DEFAULT@SECLEVEL=0", ...withCert } },
        { name: "listener: public-only port", port: c.publicPort, request: request(p, `${c.hostname}:${c.publicPort}`, auth), tls: withCert },
    );
    return attacks;
}

/** Attacks sent from Kong's own address with missing or wrong credentials. */
export function credentialAttacks(c: AttackContext): Attack[] {
    const p = `/private/${c.keyset}/jwks.json`;
    const host = `${c.hostname}:${c.kongPort}`;
    const good = c.basicAuth ? `Authorization: Basic ${Buffer.from(`${c.basicAuth.username}:${c.basicAuth.password}`).toString("base64")}` : undefined;
    const attacks: Attack[] = [];
    if (c.kongCert) {
        attacks.push({ name: "mtls: no client certificate", port: c.kongPort, request: request(p, host, good ? [good] : []), tls: {} });
        if (c.foreignCert) attacks.push({ name: "mtls: certificate from another CA", port: c.kongPort, request: request(p, host, good ? [good] : []), tls: { ...c.foreignCert } });
    }
    if (c.basicAuth) {
        const cert = c.kongCert ? { ...c.kongCert } : {};
        const basic = (user: string, pass: string) => `Authorization: Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;
        attacks.push(
            { name: "basic: missing", port: c.kongPort, request: request(p, host), tls: cert },
            { name: "basic: wrong password", port: c.kongPort, request: request(p, host, [basic(c.basicAuth.username, `${c.basicAuth.password}x`)]), tls: cert },
            { name: "basic: wrong user", port: c.kongPort, request: request(p, host, [basic("admin", c.basicAuth.password)]), tls: cert },
            { name: "basic: password prefix", port: c.kongPort, request: request(p, host, [basic(c.basicAuth.username, c.basicAuth.password.slice(0, -1))]), tls: cert },
            { name: "basic: {PLAIN} scheme in password", port: c.kongPort, request: request(p, host, [basic(c.basicAuth.username, `{PLAIN}${c.basicAuth.password}`)]), tls: cert },
            { name: "basic: bearer instead", port: c.kongPort, request: request(p, host, [`Authorization: Bearer ${c.basicAuth.password}`]), tls: cert },
            { name: "basic: password cut at its first colon", port: c.kongPort, request: request(p, host, [basic(c.basicAuth.username, c.basicAuth.password.split(":")[0])]), tls: cert },
            { name: "basic: username forging a log line", port: c.kongPort, request: request(p, host, [basic(`${c.basicAuth.username}\n${FORGED_LOG_LINE}`, c.basicAuth.password)]), tls: cert },
        );
    }
    return attacks;
}
