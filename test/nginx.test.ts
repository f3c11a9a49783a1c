import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as jose from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { files } from "../components/layout";
const filesLayout = files;
import { type Block, type ConfigNode, directive, emitConfig, quoteArg } from "../components/nginx/configTree";
import { type KeyHostConfigInput, keyHostConfigTree, renderNginxConfig } from "../components/nginx/renderConfig";
import { publicProxyConfigTree, renderPublicProxyConfig } from "../components/nginx/renderPublicProxyConfig";
import { type HostNginx, nginxTest, relocateConfig, startHostNginx, withHostNginx, writeFiles } from "./support/hostNginx";
import { httpsRequest, rawTlsRequest } from "./support/https";
import { issueClientCert, issueIntermediateCa, makeTlsFixture } from "./support/tlsFixtures";
import { htpasswdLine, htpasswdSalt } from "../components/htpasswd";

const minimal: KeyHostConfigInput = {
    hostname: "kong-keys", keysets: ["access"], kongSources: ["172.30.10.0/24"], denySources: [],
    mtls: false, basicAuth: false, publicListener: false, publicMaxAgeSeconds: 300,
};
const full: KeyHostConfigInput = {
    hostname: "kong-keys", keysets: ["access", "channel"], kongSources: ["172.30.10.0/24", "fd00::/64"], denySources: ["172.30.10.1"],
    mtls: true, basicAuth: true, publicListener: true, publicMaxAgeSeconds: 120,
};

function locations(nodes: readonly ConfigNode[], out: Block[] = []): Block[] {
    for (const node of nodes) {
        if (node.kind !== "block") continue;
        if (node.name === "location") out.push(node);
        locations(node.children, out);
    }
    return out;
}
function servers(nodes: readonly ConfigNode[]): Block[] {
    const http = nodes.find((n): n is Block => n.kind === "block" && n.name === "http")!;
    return http.children.filter((n): n is Block => n.kind === "block" && n.name === "server");
}
const has = (b: Block, name: string, ...args: string[]) =>
    b.children.some((c) => c.kind !== "comment" && c.name === name && args.every((a, i) => c.args[i] === a));

describe("config emitter", () => {
    it.each([
        ["plain", "plain"], ["with space", '"with space"'], ["semi;colon", '"semi;colon"'], ["", '""'],
        ['quo"te', '"quo\\"te"'], ["ok\n", '"ok\\n"'], ["$var", "$var"], ["{brace", '"{brace"'],
    ])("quotes %j as %s", (arg, quoted) => {
        expect(quoteArg(arg)).toBe(quoted);
    });

    it("prints nested blocks with indentation and semicolons", () => {
        expect(emitConfig([{ kind: "block", name: "events", args: [], children: [{ kind: "directive", name: "worker_connections", args: ["8"] }] }]))
            .toBe("events {\n    worker_connections 8;\n}");
    });
});

describe("key host nginx.conf", () => {
    it.each([["minimal", minimal], ["full", full]])("matches the reviewed golden file (%s)", async (label, input) => {
        await expect(renderNginxConfig(input)).toMatchFileSnapshot(`./golden/nginx.${label}.conf`);
    });

    it.each([["minimal", minimal], ["full", full]])("guards every /private/ location with the same rules (%s)", (_label, input) => {
        const tree = keyHostConfigTree(input);
        const privateLocations = locations(tree).filter((l) => l.args.some((a) => a.startsWith("/private")));
        expect(privateLocations.length).toBe(input.keysets.length + 1);
        for (const location of privateLocations) {
            for (const source of input.denySources) expect(has(location, "deny", source)).toBe(true);
            for (const source of input.kongSources) expect(has(location, "allow", source)).toBe(true);
            const rules = location.children.filter((c) => c.kind === "directive" && (c.name === "allow" || c.name === "deny"));
            expect(rules.at(-1)).toMatchObject({ name: "deny", args: ["all"] });
            // deny-before-allow: the Docker host's gateway cannot ride on an allowed subnet
            const names = rules.map((r) => (r as { args: readonly string[] }).args[0]);
            for (const source of input.denySources) expect(names.indexOf(source)).toBeLessThan(names.indexOf(input.kongSources[0]));
            expect(location.children.some((c) => c.kind === "block" && c.name === "if" && c.args.join(" ") === "($ssl_client_verify != SUCCESS)")).toBe(input.mtls);
            expect(has(location, "auth_basic_user_file", files.htpasswd)).toBe(input.basicAuth);
        }
    });

    it("serves no private path and has no client-certificate demand on the public-only listener", () => {
        const [kong, publicOnly, health] = servers(keyHostConfigTree(full));
        expect(has(kong, "listen", "8443", "ssl", "default_server")).toBe(true);
        expect(has(publicOnly, "listen", "9443", "ssl", "default_server")).toBe(true);
        expect(emitConfig(publicOnly.children)).not.toMatch(/private|ssl_verify_client|allow /);
        // The third is the loopback-only health listener, which serves /healthz alone.
        expect(has(health, "listen", "127.0.0.1:8080")).toBe(true);
        expect(emitConfig(health.children)).not.toMatch(/private|public|alias/);
        expect(servers(keyHostConfigTree(minimal))).toHaveLength(2);
    });

    it("writes nothing outside the tmpfs and names no default paths", () => {
        const text = renderNginxConfig(full);
        for (const line of text.split("\n").filter((l) => /(_temp_path|^pid) /.test(l.trim()))) expect(line).toMatch(/ \/tmp\//);
        expect(text).toMatch(/server_tokens off;/);
        expect(text).not.toMatch(/autoindex on|include /);
        expect(text).toMatch(/ssl_protocols TLSv1\.2 TLSv1\.3;/);
    });
});

describe("public-port proxy nginx.conf", () => {
    const input = { hostname: "kong-keys" };

    it("matches the reviewed golden file", async () => {
        await expect(renderPublicProxyConfig(input)).toMatchFileSnapshot("./golden/nginx.public-proxy.conf");
    });

    it("passes TLS through to the key host's public-only listener and holds no certificate or key", () => {
        const tree = publicProxyConfigTree(input);
        const stream = tree.find((n): n is Block => n.kind === "block" && n.name === "stream")!;
        const server = stream.children.find((n): n is Block => n.kind === "block" && n.name === "server")!;
        expect(has(server, "listen", "9443")).toBe(true);
        expect(has(server, "set", "$key_host", "kong-keys:9443")).toBe(true);
        expect(has(server, "proxy_pass", "$key_host")).toBe(true);
        const text = renderPublicProxyConfig(input);
        expect(text).not.toMatch(/ssl_certificate|ssl_|private|8443/);
        // The only http server is the loopback health listener.
        const http = tree.find((n): n is Block => n.kind === "block" && n.name === "http")!;
        const servers = http.children.filter((n): n is Block => n.kind === "block" && n.name === "server");
        expect(servers.map((s) => s.children.find((c) => c.kind === "directive" && c.name === "listen"))).toEqual([directive("listen", "127.0.0.1:8080")]);
    });
});

describe("real nginx", () => {
    const tls = makeTlsFixture(["kong-keys"]);
    // Kong's client CA and certificate (its "server" leaf, issued for a client name, serves as one).
    const kongClient = makeTlsFixture(["kong"], [], "ec", "clientAuth");
    const jwks = { keys: [{ kty: "EC", kid: "k1", alg: "ES256", use: "sig", crv: "P-256", x: "x", y: "y" }] };
    const containerFiles = (input: KeyHostConfigInput): Record<string, string> => ({
        [files.caCert]: tls.caCertPem, [files.serverCert]: tls.serverCertPem, [files.serverKey]: tls.serverKeyPem,
        [files.kongClientCaCert]: kongClient.caCertPem,
        [files.htpasswd]: htpasswdLine("kong", "0123456789abcdef", htpasswdSalt(tls.serverKeyPem, "kong")),
        ...Object.fromEntries(input.keysets.flatMap((k) => [
            [files.privateJwks(k), JSON.stringify({ keys: [{ ...jwks.keys[0], d: "private-member" }] })],
            [files.publicJwks(k), JSON.stringify(jwks)],
        ])),
    });

    it.each([
        ["minimal", minimal, renderNginxConfig(minimal)],
        ["full", full, renderNginxConfig(full)],
        ["public-port proxy", full, renderPublicProxyConfig({ hostname: "kong-keys" })],
    ])("accepts the generated config: nginx -t (%s)", (_label, input, text) => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kskh-nginx-t-"));
        try {
            fs.mkdirSync(path.join(dir, "scratch"));
            writeFiles(dir, containerFiles(input));
            const conf = path.join(dir, "etc", "nginx.conf");
            fs.writeFileSync(conf, relocateConfig(text, dir, { kong: 8443, public: 9443 }));
            const result = nginxTest(conf, dir);
            expect(result.output).toMatch(/syntax is ok/);
            expect(result.output.match(/\[(warn|emerg|alert)\].*/g) ?? []).toEqual([]);
            expect(result.ok).toBe(true);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    describe("serving on loopback with real TLS clients", () => {
        // 127.0.0.2 plays Kong, 127.0.0.3 anyone else: distinct local source addresses.
        const input: KeyHostConfigInput = { ...minimal, kongSources: ["127.0.0.2"], publicListener: true };
        let nginx: HostNginx;
        beforeAll(async () => { nginx = await startHostNginx(renderNginxConfig(input), containerFiles(input)); });
        afterAll(async () => { await nginx?.stop(); });
        const get = (path: string, localAddress: string, port = nginx.ports.kong, method = "GET") =>
            httpsRequest({ port, path, ca: tls.caCertPem, servername: "kong-keys", localAddress, method });

        it("gives Kong's address the private keyset, no-store, as a JWK Set", async () => {
            const res = await get("/private/access/jwks.json", "127.0.0.2");
            expect(res.status).toBe(200);
            expect(res.headers["content-type"]).toBe("application/jwk-set+json");
            expect(res.headers["cache-control"]).toBe("no-store");
            expect(JSON.parse(res.body).keys[0].d).toBe("private-member");
            expect(res.headers.server).toBe("nginx");
        });

        it("refuses every other address, and hides unknown private paths", async () => {
            expect((await get("/private/access/jwks.json", "127.0.0.3")).status).toBe(403);
            expect((await get("/private/nope/jwks.json", "127.0.0.3")).status).toBe(403); // no keyset-name probing
            expect((await get("/private/nope/jwks.json", "127.0.0.2")).status).toBe(404);
            expect((await get("/private/access/jwks.json", "127.0.0.2", nginx.ports.public)).status).toBe(404);
        });

        it("serves public keys to anyone, cacheable, and refuses other methods", async () => {
            const res = await get("/public/access/jwks.json", "127.0.0.3", nginx.ports.public);
            expect(res.status).toBe(200);
            expect(res.headers["cache-control"]).toBe("public, max-age=300");
            expect(res.body).not.toContain("private-member");
            expect((await get("/public/access/jwks.json", "127.0.0.3", nginx.ports.kong, "POST")).status).toBe(405);
            expect((await get("/healthz", "127.0.0.3")).body).toBe("ok\n");
            expect((await get("/", "127.0.0.3")).status).toBe(404);
        });

        it("answers Docker's healthcheck on the loopback health listener, in plain HTTP", async () => {
            const res = await fetch(`http://127.0.0.1:${nginx.ports.health}/healthz`);
            expect([res.status, await res.text()]).toEqual([200, "ok\n"]);
            expect((await fetch(`http://127.0.0.1:${nginx.ports.health}/public/access/jwks.json`)).status).toBe(404);
        });

        it("is reached through the public-port proxy with TLS end to end: public keys only", async () => {
            await withHostNginx(async (proxy) => {
            const through = (path: string) => httpsRequest({ port: proxy.ports.proxy, path, ca: tls.caCertPem, servername: "kong-keys" });
            const direct = await httpsRequest({ port: nginx.ports.public, path: "/public/access/jwks.json", ca: tls.caCertPem, servername: "kong-keys" });
            const res = await through("/public/access/jwks.json");
            expect(res.status).toBe(200);
            expect(res.body).toBe(direct.body);
            // The certificate the client verified is the key host's own: the proxy holds none.
            expect(res.serverCertFingerprint).toBe(direct.serverCertFingerprint);
            expect((await through("/private/access/jwks.json")).status).toBe(404);
            expect((await through("/healthz")).body).toBe("ok\n");
            expect((await fetch(`http://127.0.0.1:${proxy.ports.health}/healthz`)).status).toBe(200);
            }, renderPublicProxyConfig({ hostname: "kong-keys" }), {}, { keyHostPublicPort: nginx.ports.public });
        });

        it("keeps the audit trail unforgeable: client-chosen usernames are escaped, and nothing reaches the error log", async () => {
            const basic = { ...input, basicAuth: true };
            await withHostNginx(async (withAuth) => {
            const forged = "2026/11/30 06:00:00 [emerg] 1#1: *1 forged line";
            const auth = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` });
            const send = (headers: Record<string, string>) => httpsRequest({ port: withAuth.ports.kong, path: "/private/access/jwks.json", ca: tls.caCertPem, servername: "kong-keys", localAddress: "127.0.0.2", headers });
            expect((await send(auth(`kong\n${forged}`, "x"))).status).toBe(401);
            expect((await send(auth(`kong" client_cert=SUCCESS user="admin`, "x"))).status).toBe(401);
            expect((await send(auth("kong", "0123456789abcdef"))).status).toBe(200);
            await new Promise((r) => setTimeout(r, 200));
            const lines = withAuth.logs().split("\n");
            // No line a client wrote: the newline arrives escaped, inside the quoted user field.
            expect(lines.filter((l) => l.startsWith("2026/11/30 06:00:00"))).toEqual([]);
            // (Basic auth ends the username at the first ':'.)
            expect(lines.some((l) => / 401 /.test(l) && l.endsWith('user="kong\\x0A2026/11/30 06"'))).toBe(true);
            expect(lines.some((l) => l.includes('user="kong\\x22 client_cert=SUCCESS user=\\x22admin"'))).toBe(true);
            expect(lines.some((l) => l.includes('" 200 ') && l.endsWith('user="kong"'))).toBe(true);
            expect(lines.filter((l) => /\[(error|warn)\]/.test(l))).toEqual([]);
            }, renderNginxConfig(basic), containerFiles(basic));
        });

        it.each([
            ["colons and a hash", "kong:pass#word:with:colons"],
            ["spaces, leading and trailing", "  spaced out password  "],
            ["multi-byte UTF-8 (16 bytes in 8 characters)", "éééééééé"],
            ["1024 bytes", "p".repeat(1024)],
            ["a line break", "first line\nsecond line"],
        ])("checks exactly the Basic-auth password given: %s", async (_label, password) => {
            const basic = { ...input, basicAuth: true };
            const files = { ...containerFiles(basic), [filesLayout.htpasswd]: htpasswdLine("kong", password, htpasswdSalt(tls.serverKeyPem, "kong")) };
            await withHostNginx(async (withAuth) => {
            const send = (pw: string) => httpsRequest({
                port: withAuth.ports.kong, path: "/private/access/jwks.json", ca: tls.caCertPem, servername: "kong-keys", localAddress: "127.0.0.2",
                headers: { authorization: `Basic ${Buffer.from(`kong:${pw}`, "utf8").toString("base64")}` },
            });
            expect((await send(password)).status).toBe(200);
            // Not a prefix, not a trimmed or truncated form: only the exact bytes.
            for (const near of [password.slice(0, -1), password.trim(), `${password}x`, password.split(":")[0]]) {
                if (near !== password) expect((await send(near)).status).toBe(401);
            }
            }, renderNginxConfig(basic), files);
        });

        it("with mTLS, lets only the client certificate Kong's own CA issued through, not another with the same subject", async () => {
            const mtls = { ...input, mtls: true };
            await withHostNginx(async (withMtls) => {
            // The organisation's (here: the server's) CA issues a certificate with Kong's very subject.
            const impostor = issueClientCert(tls.caCertPem, tls.caKeyPem, "kong");
            const send = (cert?: { cert: string; key: string }) => httpsRequest({
                port: withMtls.ports.kong, path: "/private/access/jwks.json", ca: tls.caCertPem, servername: "kong-keys",
                localAddress: "127.0.0.2", ...(cert ? { cert: cert.cert, key: cert.key } : {}),
            });
            expect((await send({ cert: kongClient.serverCertPem, key: kongClient.serverKeyPem })).status).toBe(200);
            const refused = await send(impostor);
            expect(refused.status).toBe(400); // nginx: the certificate did not verify against Kong's CA
            expect(refused.body).not.toContain("private-member");
            expect((await send()).status).toBe(403);
            }, renderNginxConfig(mtls), containerFiles(mtls));
        });

        describe("on Kubernetes: no address list (the NetworkPolicy selects Kong), so Kong must authenticate", () => {
            const onKubernetes: KeyHostConfigInput = { ...input, kongSources: [], selectedByNetworkPolicy: true, mtls: true, publicListener: true };

            it("renders no allow/deny, a public listener, and the health listener on every address; refuses to render without auth", () => {
                const text = renderNginxConfig(onKubernetes);
                expect(text).not.toMatch(/^\s*(allow|deny) /m);
                expect(text).toMatch(/^\s*listen 9443 ssl default_server;/m);
                expect(text).toMatch(/^\s*listen 8080;/m);
                expect(text).not.toContain("127.0.0.1:8080");
                expect(() => renderNginxConfig({ ...onKubernetes, mtls: false, basicAuth: false })).toThrow(/must authenticate/);
                expect(() => renderNginxConfig({ ...onKubernetes, kongSources: ["10.0.0.1"] })).toThrow(/exclusive/);
            });

            it("serves Kong's certificate from any address, refuses any address without it, serves public keys and health", async () => {
                await withHostNginx(async (k8s) => {
                    const privateAs = (localAddress: string, cert?: { cert: string; key: string }) => httpsRequest({
                        port: k8s.ports.kong, path: "/private/access/jwks.json", ca: tls.caCertPem, servername: "kong-keys",
                        localAddress, ...(cert ? { cert: cert.cert, key: cert.key } : {}),
                    });
                    const kong = { cert: kongClient.serverCertPem, key: kongClient.serverKeyPem };
                    // 127.0.0.3 and 127.0.0.4 would be refused by an address list; here the certificate decides.
                    for (const address of ["127.0.0.3", "127.0.0.4"]) {
                        const ok = await privateAs(address, kong);
                        expect(ok.status).toBe(200);
                        expect(ok.body).toContain("private-member");
                        const refused = await privateAs(address);
                        expect(refused.status).toBe(403);
                        expect(refused.body).not.toContain("private-member");
                    }
                    const publicKeys = await httpsRequest({ port: k8s.ports.public, path: "/public/access/jwks.json", ca: tls.caCertPem, servername: "kong-keys", localAddress: "127.0.0.5" });
                    expect(publicKeys.status).toBe(200);
                    expect(JSON.parse(publicKeys.body)).toEqual(jwks);
                    // The public port serves no private path, even to Kong.
                    expect((await httpsRequest({ port: k8s.ports.public, path: "/private/access/jwks.json", ca: tls.caCertPem, servername: "kong-keys", localAddress: "127.0.0.3", cert: kong.cert, key: kong.key })).status).toBe(404);
                    const health = await fetch(`http://127.0.0.1:${k8s.ports.health}/healthz`);
                    expect(health.status).toBe(200);
                    expect((await fetch(`http://127.0.0.1:${k8s.ports.health}/private/access/jwks.json`)).status).toBe(404);
                }, renderNginxConfig(onKubernetes), containerFiles(onKubernetes));
            });
        });

        describe("second hardening round (issue 20)", () => {
            const basicAuthHeader = (password: string) => ({ authorization: `Basic ${Buffer.from(`kong:${password}`, "utf8").toString("base64")}` });

            it("class 5: with mTLS, refuses a certificate issued by an intermediate under Kong's own client CA", async () => {
                const mtls = { ...input, mtls: true };
                const intermediate = issueIntermediateCa(kongClient.caCertPem, kongClient.caKeyPem, "intermediate under Kong's client CA");
                const leaf = issueClientCert(intermediate.cert, intermediate.key, "kong");
                await withHostNginx(async (withMtls) => {
                    const send = (cert: string, key: string) => httpsRequest({
                        port: withMtls.ports.kong, path: "/private/access/jwks.json", ca: tls.caCertPem, servername: "kong-keys", localAddress: "127.0.0.2", cert, key,
                    });
                    // The leaf with its chain (what a client configured with the intermediate sends).
                    const chained = await send(`${leaf.cert}${intermediate.cert}`, leaf.key);
                    expect(chained.status).toBe(400);
                    expect(chained.body).not.toContain("private-member");
                    // The intermediate itself is no client certificate either; Kong's own still passes.
                    expect((await send(intermediate.cert, intermediate.key)).status).not.toBe(200);
                    expect((await send(kongClient.serverCertPem, kongClient.serverKeyPem)).status).toBe(200);
                }, renderNginxConfig(mtls), containerFiles(mtls));
            });

            it.each([
                ["address allow-list only", {}],
                ["with mTLS", { mtls: true }],
                ["with Basic auth", { basicAuth: true }],
                ["with mTLS and Basic auth", { mtls: true, basicAuth: true }],
            ])("class 6: refuses an existing and an unknown private keyset in identical bytes (%s)", async (_label, extra) => {
                const config = { ...input, ...extra };
                await withHostNginx(async (host) => {
                    const answer = async (path: string, localAddress: string) => {
                        const res = await httpsRequest({ port: host.ports.kong, path, ca: tls.caCertPem, servername: "kong-keys", localAddress });
                        const { date: _date, ...headers } = res.headers;
                        return { status: res.status, headers, body: res.body };
                    };
                    // Outsiders, and (where credentials are required) Kong's address without them.
                    const clients = ["127.0.0.3", ...("mtls" in extra || "basicAuth" in extra ? ["127.0.0.2"] : [])];
                    for (const client of clients) {
                        const known = await answer("/private/access/jwks.json", client);
                        expect(known.status).not.toBe(200);
                        expect(known.headers["cache-control"]).toBe("no-store");
                        for (const path of ["/private/nope/jwks.json", "/private/access/other.json", "/private/", "/private/access/jwks.json/x"]) {
                            expect({ path, ...(await answer(path, client)) }).toEqual({ path, ...known });
                        }
                    }
                }, renderNginxConfig(config), containerFiles(config));
            });

            it("class 8: a NUL in the Basic-auth header ends the password nginx checks (documented): the password must come before it", async () => {
                const basic = { ...input, basicAuth: true };
                await withHostNginx(async (host) => {
                    const send = (password: string) => httpsRequest({
                        port: host.ports.kong, path: "/private/access/jwks.json", ca: tls.caCertPem, servername: "kong-keys", localAddress: "127.0.0.2", headers: basicAuthHeader(password),
                    });
                    // The fixture's password is 0123456789abcdef.
                    expect((await send("0123456789abcdef\0junk")).status).toBe(200);
                    for (const wrong of ["0123456789abcde\0f", "\0" + "0123456789abcdef", "0123456789abcdeX\0junk", "\0"]) {
                        expect((await send(wrong)).status).toBe(401);
                    }
                }, renderNginxConfig(basic), containerFiles(basic));
            });

            it("class 9: no client-chosen text reaches the error log, on any path or listener", async () => {
                const basic = { ...input, basicAuth: true };
                await withHostNginx(async (host) => {
                    const forged = 'a",client:10.9.9.9,server:forged';
                    const request = (path: string, extraHeaders = "") =>
                        `GET ${path} HTTP/1.1\r\nHost: kong-keys\r\nContent-Length: 100000\r\n${extraHeaders}\r\n${"x".repeat(2000)}`;
                    const sends = [
                        { port: host.ports.kong, request: request(`/${forged}`) },
                        { port: host.ports.kong, request: request(`/public/access/jwks.json?${forged}`) },
                        { port: host.ports.kong, request: request(`/private/access/${forged}`, `Authorization: Basic ${Buffer.from(`kong\n${forged}:x`).toString("base64")}\r\n`) },
                        { port: host.ports.public, request: request(`/${forged}`) },
                        { port: host.ports.kong, request: `GET /${forged} HTTP/1.1\r\nHost: kong-keys\r\nBad Header${forged}: x\r\n\r\n` },
                        { port: host.ports.kong, request: `GET /${"y".repeat(9000)}${forged} HTTP/1.1\r\nHost: kong-keys\r\n\r\n` },
                    ];
                    for (const [i, send] of sends.entries()) {
                        const answer = await rawTlsRequest({ ...send, ca: tls.caCertPem, servername: "kong-keys", localAddress: i % 2 ? "127.0.0.2" : "127.0.0.3" });
                        expect(answer).toMatch(/^HTTP\/1\.1 \d{3}/);
                    }
                    await new Promise((r) => setTimeout(r, 200));
                    const lines = host.logs().split("\n").filter((l) => l !== "");
                    expect(lines.filter((l) => /\[(emerg|alert|crit|error|warn|notice|info)\]/.test(l))).toEqual([]);
                    // What does mention the forged text is the access log, where it stays inside the quoted, escaped request.
                    for (const line of lines.filter((l) => l.includes("10.9.9.9"))) expect(line).toMatch(/^127\.0\.0\.\d \[.*\] ".*\\x22,client:10\.9\.9\.9,server:forged.*" \d{3} /);
                }, renderNginxConfig(basic), containerFiles(basic));
            });
        });

        it("works for jose's remote JWKS client", async () => {
            const { publicKey, privateKey } = await jose.generateKeyPair("ES256");
            const jwk = { ...(await jose.exportJWK(publicKey)), kid: "k-remote", alg: "ES256", use: "sig" };
            fs.writeFileSync(path.join(nginx.dir, "etc", "public", "access.jwks.json"), JSON.stringify({ keys: [jwk] }));
            const token = await new jose.SignJWT({ sub: "s" }).setProtectedHeader({ alg: "ES256", kid: "k-remote" }).sign(privateKey);
            const remote = jose.createRemoteJWKSet(new URL(`https://kong-keys:${nginx.ports.public}/public/access/jwks.json`), {
                [jose.customFetch]: (url: string) => httpsRequest({ port: nginx.ports.public, path: new URL(url).pathname, ca: tls.caCertPem, servername: "kong-keys" })
                    .then((r) => new Response(r.body, { status: r.status, headers: { "content-type": String(r.headers["content-type"]) } })),
            });
            expect((await jose.jwtVerify(token, remote)).payload.sub).toBe("s");
        });
    });
});
