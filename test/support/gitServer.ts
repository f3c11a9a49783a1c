import { spawn } from "node:child_process";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { makeTlsFixture } from "./tlsFixtures";

export interface GitServer {
    /** https://localhost:<port> */
    origin: string;
    /** PEM of the CA that signed the server's certificate (for SSL_CERT_FILE). */
    caCertPem: string;
    close(): Promise<void>;
}

/**
 * A git host on loopback: Git's smart HTTP protocol (`git http-backend`, run as CGI per request) over
 * node:https with a certificate for localhost from a CA of the test's own, serving the bare
 * repositories under `projectRoot`. Pulumi fetches git package sources over https only. Port 0 picks a
 * free port; `pulumi package add` needs 443 (a URL with a port makes it fail after installing).
 */
export async function startGitServer(projectRoot: string, port = 0): Promise<GitServer> {
    const tls = makeTlsFixture(["localhost"], ["127.0.0.1"]);
    const server = https.createServer({ cert: tls.serverCertPem, key: tls.serverKeyPem }, (req, res) => {
        const url = new URL(req.url ?? "/", "https://localhost");
        const cgi = spawn("git", ["http-backend"], {
            env: {
                PATH: process.env.PATH,
                GIT_PROJECT_ROOT: projectRoot,
                GIT_HTTP_EXPORT_ALL: "1",
                REQUEST_METHOD: req.method ?? "GET",
                PATH_INFO: decodeURIComponent(url.pathname),
                QUERY_STRING: url.search.slice(1),
                CONTENT_TYPE: req.headers["content-type"] ?? "",
                REMOTE_ADDR: req.socket.remoteAddress ?? "",
                ...(req.headers["content-encoding"] ? { HTTP_CONTENT_ENCODING: String(req.headers["content-encoding"]) } : {}),
                ...(req.headers["git-protocol"] ? { GIT_PROTOCOL: String(req.headers["git-protocol"]) } : {}),
            },
            stdio: ["pipe", "pipe", "inherit"],
        });
        req.pipe(cgi.stdin);
        // CGI output: header lines, a blank line, then the body.
        let head = Buffer.alloc(0);
        let headerDone = false;
        cgi.stdout.on("data", (chunk: Buffer) => {
            if (headerDone) { res.write(chunk); return; }
            head = Buffer.concat([head, chunk]);
            const end = head.indexOf("\r\n\r\n");
            if (end < 0) return;
            headerDone = true;
            let status = 200;
            for (const line of head.subarray(0, end).toString("latin1").split("\r\n")) {
                const colon = line.indexOf(":");
                const name = line.slice(0, colon).trim();
                const value = line.slice(colon + 1).trim();
                if (name.toLowerCase() === "status") status = Number.parseInt(value, 10);
                else res.setHeader(name, value);
            }
            res.statusCode = status;
            res.write(head.subarray(end + 4));
        });
        cgi.on("close", () => res.end());
    });
    await new Promise<void>((resolve, reject) => {
        server.once("error", (e) => reject(new Error(`git host on 127.0.0.1:${port}: ${e.message}`)));
        server.listen(port, "127.0.0.1", resolve);
    });
    const bound = (server.address() as AddressInfo).port;
    return {
        origin: bound === 443 ? "https://localhost" : `https://localhost:${bound}`,
        caCertPem: tls.caCertPem,
        close: () => new Promise((resolve) => server.close(() => resolve())),
    };
}
