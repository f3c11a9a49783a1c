// A client that runs inside a container on the key host's Docker network, as Kong, an upstream or an
// attacker would. Reads its job from the SPEC environment variable (JSON); prints one JSON line.
import * as https from "node:https";
import * as tls from "node:tls";
import * as net from "node:net";
import { createHash } from "node:crypto";
import { Resolver } from "node:dns/promises";
import * as jose from "jose";

const spec = JSON.parse(process.env.SPEC);

function get(url, { ca, cert, key, headers } = {}) {
    return new Promise((resolve, reject) => {
        const req = https.get(url, { ca, cert, key, headers, agent: false, timeout: 10_000 }, (res) => {
            let body = "";
            res.setEncoding("utf8");
            res.on("data", (d) => { body += d; });
            res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body }));
        });
        req.on("timeout", () => req.destroy(new Error("timeout")));
        req.on("error", reject);
    });
}

const hasPrivateMember = (body) => /"(d|p|q|dp|dq|qi)"\s*:/.test(body);

/** Sends raw bytes (over TLS or plain TCP) and returns what came back. */
function raw(attack) {
    return new Promise((resolve) => {
        let data = "";
        let settled = false;
        const done = (extra) => {
            if (settled) return;
            settled = true;
            const status = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(data)?.[1];
            resolve({ name: attack.name, status: status ? Number(status) : undefined, leak: hasPrivateMember(data), bytes: data.length, ...extra });
        };
        const onConnect = (socket) => {
            socket.setEncoding("utf8");
            socket.on("data", (d) => { data += d; });
            socket.on("end", () => done());
            socket.on("close", () => done());
            socket.on("error", (e) => done({ error: e.code ?? e.message }));
            socket.setTimeout(5000, () => { socket.destroy(); done({ error: "timeout" }); });
            socket.write(attack.request);
        };
        if (attack.tls === false) {
            const socket = net.connect(attack.port, attack.host, () => onConnect(socket));
            socket.on("error", (e) => done({ error: e.code ?? e.message }));
        } else {
            const options = {
                host: attack.host, port: attack.port, servername: spec.servername, ca: spec.ca,
                minVersion: attack.tls?.minVersion ?? "TLSv1.2", maxVersion: attack.tls?.maxVersion ?? "TLSv1.3",
                ...(attack.tls?.ciphers ? { ciphers: attack.tls.ciphers } : {}),
                ...(attack.tls?.cert ? { cert: attack.tls.cert, key: attack.tls.key } : {}),
            };
            const socket = tls.connect(options, () => onConnect(socket));
            socket.on("error", (e) => done({ error: e.code ?? e.message }));
        }
    });
}

async function main() {
    if (spec.mode === "kong") {
        // Kong's side: fetch the private keyset trusting only the CA, import the key, sign.
        const res = await get(spec.privateUrl, { ca: spec.ca, cert: spec.cert, key: spec.key, headers: spec.headers });
        const out = { status: res.status, contentType: res.headers["content-type"], sha256: createHash("sha256").update(res.body).digest("hex") };
        if (res.status !== 200) return { ...out, body: res.body.slice(0, 200) };
        const jwks = JSON.parse(res.body);
        const jwk = jwks.keys[0];
        const key = await jose.importJWK(jwk, jwk.alg);
        const token = await new jose.SignJWT({ sub: "kong-test", scope: "keys" }).setProtectedHeader({ alg: jwk.alg, kid: jwk.kid })
            .setIssuedAt().setExpirationTime("10m").sign(key);
        return { ...out, kid: jwk.kid, keys: jwks.keys.length, hasPrivate: typeof jwk.d === "string", token };
    }
    if (spec.mode === "upstream") {
        // An upstream: verify by the public JWKS URL (jose's remote JWKS), and try the private URL.
        const remote = jose.createRemoteJWKSet(new URL(spec.publicUrl), {
            [jose.customFetch]: async (url) => {
                const r = await get(url, { ca: spec.ca });
                return new Response(r.body, { status: r.status, headers: { "content-type": String(r.headers["content-type"]) } });
            },
        });
        const results = [];
        for (const token of spec.tokens ?? []) {
            try {
                const { payload, protectedHeader } = await jose.jwtVerify(token, remote);
                results.push({ ok: true, sub: payload.sub, kid: protectedHeader.kid });
            } catch (e) {
                results.push({ ok: false, error: e.code ?? e.message });
            }
        }
        const privateTry = spec.privateUrl ? await get(spec.privateUrl, { ca: spec.ca }).catch((e) => ({ status: 0, body: String(e) })) : undefined;
        const publicRes = await get(spec.publicUrl, { ca: spec.ca });
        return {
            verified: results,
            publicStatus: publicRes.status, publicSha256: createHash("sha256").update(publicRes.body).digest("hex"),
            publicHasPrivate: hasPrivateMember(publicRes.body),
            privateStatus: privateTry?.status, privateLeak: privateTry ? hasPrivateMember(privateTry.body) : undefined,
        };
    }
    if (spec.mode === "loop") {
        // Requests continuously (a fresh connection and DNS lookup each time) until SIGTERM or maxMs.
        // Kong role: reports each new kid with a token signed by it, as one JSON line, when first seen.
        let stop = false;
        process.on("SIGTERM", () => { stop = true; });
        const started = Date.now();
        const summary = { total: 0, failures: [], kids: [] };
        while (!stop && Date.now() - started < (spec.maxMs ?? 300_000)) {
            const t = Date.now() - started;
            try {
                const res = await get(spec.url, { ca: spec.ca, cert: spec.cert, key: spec.key, headers: spec.headers });
                summary.total += 1;
                if (res.status !== 200) {
                    summary.failures.push({ t, status: res.status });
                } else {
                    const jwks = JSON.parse(res.body);
                    for (const jwk of jwks.keys) {
                        if (summary.kids.includes(jwk.kid)) continue;
                        summary.kids.push(jwk.kid);
                        if (spec.role === "kong") {
                            const key = await jose.importJWK(jwk, jwk.alg);
                            const token = await new jose.SignJWT({ sub: "rotation" }).setProtectedHeader({ alg: jwk.alg, kid: jwk.kid })
                                .setIssuedAt().setExpirationTime("1h").sign(key);
                            process.stdout.write(`${JSON.stringify({ event: "kid", t, kid: jwk.kid, token })}\n`);
                        } else {
                            process.stdout.write(`${JSON.stringify({ event: "kid", t, kid: jwk.kid })}\n`);
                        }
                    }
                }
            } catch (e) {
                summary.total += 1;
                summary.failures.push({ t, error: e.code ?? e.message });
            }
            await new Promise((r) => setTimeout(r, spec.intervalMs ?? 100));
        }
        return { summary };
    }
    if (spec.mode === "dns") {
        const resolver = new Resolver();
        resolver.setServers([spec.server ?? "127.0.0.11"]);
        return { answers: await resolver.resolve4(spec.name, { ttl: true }) };
    }
    if (spec.mode === "attack") {
        const results = [];
        for (const attack of spec.attacks) results.push(await raw({ host: spec.host, ...attack }));
        return { results };
    }
    throw new Error(`unknown mode ${spec.mode}`);
}

main().then((r) => { process.stdout.write(`${JSON.stringify(r)}\n`); }, (e) => { process.stdout.write(`${JSON.stringify({ error: String(e?.stack ?? e) })}\n`); process.exitCode = 1; });
