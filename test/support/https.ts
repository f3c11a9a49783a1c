import * as net from "node:net";
import * as tls from "node:tls";
import * as https from "node:https";

export interface HttpsResult {
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: string;
    /** SHA-256 fingerprint of the server certificate the client verified. */
    serverCertFingerprint: string;
}

/** One real HTTPS request on loopback, trusting only `ca`, from a chosen local address. */
export function httpsRequest(options: {
    host?: string; port: number; path: string; ca: string; servername?: string; method?: string;
    localAddress?: string; headers?: Record<string, string>; cert?: string; key?: string;
}): Promise<HttpsResult> {
    return new Promise((resolve, reject) => {
        const req = https.request({
            host: options.host ?? "127.0.0.1", port: options.port, path: options.path, method: options.method ?? "GET",
            ca: options.ca, servername: options.servername, localAddress: options.localAddress, headers: options.headers,
            cert: options.cert, key: options.key, agent: false, timeout: 10_000,
        }, (res) => {
            const serverCertFingerprint = (res.socket as import("node:tls").TLSSocket).getPeerCertificate().fingerprint256 ?? "";
            let body = "";
            res.setEncoding("utf8");
            res.on("data", (d) => { body += d; });
            res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, serverCertFingerprint }));
        });
        req.on("timeout", () => req.destroy(new Error("timeout")));
        req.on("error", reject);
        req.end();
    });
}

/**
 * Sends `request` byte for byte over a real TLS connection (what an HTTP client would refuse to send: a
 * forged request line, odd headers) and returns what the server answered before closing or `waitMs`.
 */
export function rawTlsRequest(options: { port: number; ca: string; servername: string; localAddress?: string; request: string | Buffer; waitMs?: number }): Promise<string> {
    return new Promise((resolve, reject) => {
        let answer = "";
        const tcp = net.connect({ host: "127.0.0.1", port: options.port, localAddress: options.localAddress });
        const socket = tls.connect({ socket: tcp, ca: options.ca, servername: options.servername }, () => {
            socket.write(options.request);
        });
        const timer = setTimeout(() => socket.destroy(), options.waitMs ?? 1000);
        socket.setEncoding("utf8");
        socket.on("data", (d) => { answer += d; });
        socket.on("close", () => { clearTimeout(timer); resolve(answer); });
        socket.on("error", (e) => { clearTimeout(timer); if (answer) resolve(answer); else reject(e); });
    });
}
