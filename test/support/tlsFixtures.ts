import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface TlsFixture {
    caCertPem: string;
    caKeyPem: string;
    serverCertPem: string;
    serverKeyPem: string;
}

/** A real CA and a server certificate (ECDSA P-256 or RSA 2048) for `names`, made with the openssl CLI. */
export function makeTlsFixture(names: string[], ips: string[] = [], serverKey: "ec" | "rsa" = "ec", usage: "serverAuth" | "clientAuth" = "serverAuth"): TlsFixture {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kskh-tls-"));
    const run = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
    try {
        run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
            "-subj", "/CN=test CA", "-days", "2", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign");
        const keyOptions = serverKey === "ec" ? ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"] : ["-newkey", "rsa:2048"];
        run("req", "-new", ...keyOptions, "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", `/CN=${names[0]}`);
        const sans = [...names.map((n) => `DNS:${n}`), ...ips.map((ip) => `IP:${ip}`)].join(",");
        fs.writeFileSync(path.join(dir, "ext.cnf"), `subjectAltName=${sans}\nextendedKeyUsage=${usage}\n`);
        run("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-extfile", "ext.cnf", "-out", "server.crt");
        const read = (f: string) => fs.readFileSync(path.join(dir, f), "utf8");
        return { caCertPem: read("ca.crt"), caKeyPem: read("ca.key"), serverCertPem: read("server.crt"), serverKeyPem: read("server.key") };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** A P-256 certificate for `commonName` with these X.509 extensions, issued by the given CA (openssl CLI). */
function issueFromCa(caCertPem: string, caKeyPem: string, commonName: string, extensions: string): { cert: string; key: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kskh-issued-"));
    const run = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
    try {
        fs.writeFileSync(path.join(dir, "ca.crt"), caCertPem);
        fs.writeFileSync(path.join(dir, "ca.key"), caKeyPem);
        run("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "c.key", "-out", "c.csr", "-subj", `/CN=${commonName}`);
        fs.writeFileSync(path.join(dir, "ext.cnf"), extensions);
        run("x509", "-req", "-in", "c.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-extfile", "ext.cnf", "-out", "c.crt");
        return { cert: fs.readFileSync(path.join(dir, "c.crt"), "utf8"), key: fs.readFileSync(path.join(dir, "c.key"), "utf8") };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** A client certificate (clientAuth) for `commonName`, issued by the given CA. */
export function issueClientCert(caCertPem: string, caKeyPem: string, commonName: string): { cert: string; key: string } {
    return issueFromCa(caCertPem, caKeyPem, commonName, "extendedKeyUsage=clientAuth\n");
}

/** An intermediate CA (CA:TRUE, keyCertSign) issued by the given CA. */
export function issueIntermediateCa(caCertPem: string, caKeyPem: string, commonName: string): { cert: string; key: string } {
    return issueFromCa(caCertPem, caKeyPem, commonName, "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n");
}
