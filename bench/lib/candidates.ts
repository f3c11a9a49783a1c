import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { files } from "../../components/layout";
import { renderNginxConfig } from "../../components/nginx/renderConfig";
import { freePort, startHostNginx } from "../../test/support/hostNginx";
import type { TlsFixture } from "../../test/support/tlsFixtures";
import { childrenOf } from "./cpu";

export const JWKS_PATH = "/public/access/jwks.json";

export interface Candidate {
    readonly name: string;
    readonly port: number;
    /** Every server process (nginx master and workers, or the node process). */
    pids(): number[];
    stop(): Promise<void>;
}

function containerFiles(tls: TlsFixture, jwks: string): Record<string, string> {
    return { [files.caCert]: tls.caCertPem, [files.serverCert]: tls.serverCertPem, [files.serverKey]: tls.serverKeyPem, [files.publicJwks("access")]: jwks };
}

/** The key host's generated config, as the component renders it, on core `cpu`. */
export async function startKeyHost(tls: TlsFixture, jwks: string, cpu: number): Promise<Candidate> {
    const conf = renderNginxConfig({
        hostname: "kong-keys", keysets: ["access"], kongSources: ["127.0.0.2"], denySources: [],
        mtls: false, basicAuth: false, publicListener: false, publicMaxAgeSeconds: 300,
    });
    const nginx = await startHostNginx(conf, containerFiles(tls, jwks), { cpu });
    return { name: "key host", port: nginx.ports.kong, pids: () => [nginx.pid, ...childrenOf(nginx.pid)], stop: () => nginx.stop() };
}

/**
 * nginx with a minimal config serving the same bytes at the same path, same certificate. It names the
 * protocols only because nginx 1.22 leaves TLS 1.3 off by default: without that line the comparison
 * would be TLS 1.2 against the key host's TLS 1.3 (measured: a TLS 1.2 resumption skips the key
 * exchange a TLS 1.3 one still does, which halves its cost per connection).
 */
export async function startBareNginx(tls: TlsFixture, jwks: string, cpu: number): Promise<Candidate> {
    const conf = [
        "daemon off;", "worker_processes 1;", "pid /tmp/nginx.pid;", "events { }",
        "http {", "    access_log off;",
        "    server {", "        listen 8443 ssl;", "        ssl_protocols TLSv1.2 TLSv1.3;",
        `        ssl_certificate ${files.serverCert};`, `        ssl_certificate_key ${files.serverKey};`,
        `        location = ${JWKS_PATH} { alias ${files.publicJwks("access")}; }`,
        "    }", "}", "",
    ].join("\n");
    const nginx = await startHostNginx(conf, containerFiles(tls, jwks), { cpu });
    return { name: "bare nginx", port: nginx.ports.kong, pids: () => [nginx.pid, ...childrenOf(nginx.pid)], stop: () => nginx.stop() };
}

/** A node:https server serving the same bytes, on core `cpu`. */
export async function startNodeServer(tls: TlsFixture, jwks: string, cpu: number): Promise<Candidate> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kskh-node-"));
    fs.writeFileSync(path.join(dir, "server.crt"), tls.serverCertPem);
    fs.writeFileSync(path.join(dir, "server.key"), tls.serverKeyPem);
    fs.writeFileSync(path.join(dir, "public.jwks.json"), jwks);
    const port = await freePort();
    const child = spawn("taskset", ["-c", String(cpu), process.execPath, path.join(__dirname, "nodeServer.js"), String(port), dir], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve, reject) => {
        child.stdout!.once("data", () => resolve());
        child.once("exit", (code) => reject(new Error(`node server exited ${code}`)));
    });
    return {
        name: "node:https", port, pids: () => [child.pid!],
        stop: async () => {
            const exited = new Promise((r) => child.once("exit", r));
            child.kill("SIGTERM");
            await exited;
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}
