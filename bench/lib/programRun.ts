// One measured program run in a fresh process: load the SDK, set cheap mocks (precomputed keys and
// certificates, so no key generation is timed), run the scenario's program, resolve every output.
// Prints JSON { wallMs, cpuMs, programMs } (wallMs and cpuMs from process start).
//   node programRun.js <empty|component> <keysetsJson> <poolFile>
import * as fs from "node:fs";
import { performance } from "node:perf_hooks";
import * as pulumi from "@pulumi/pulumi";

const [scenario, keysetsJson, poolFile] = process.argv.slice(2);
const pool = JSON.parse(fs.readFileSync(poolFile, "utf8")) as { rsa: string[]; ec: string; cert: string; csr: string };

let nextRsa = 0;
class CheapMocks implements pulumi.runtime.Mocks {
    newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
        const i = args.inputs as Record<string, unknown>;
        switch (args.type) {
            case "tls:index/privateKey:PrivateKey": {
                const pem = i.algorithm === "RSA" ? pool.rsa[nextRsa++ % pool.rsa.length] : pool.ec;
                return { id: args.name, state: { ...i, privateKeyPem: pem, privateKeyPemPkcs8: pem } };
            }
            case "tls:index/certRequest:CertRequest": return { id: args.name, state: { ...i, certRequestPem: pool.csr } };
            case "tls:index/selfSignedCert:SelfSignedCert":
            case "tls:index/locallySignedCert:LocallySignedCert": return { id: args.name, state: { ...i, certPem: pool.cert } };
            default: return { id: args.name, state: { ...i, name: i.name ?? `${args.name}-0000000` } };
        }
    }
    call(): Record<string, unknown> { return {}; }
}

async function main() {
    await pulumi.runtime.setMocks(new CheapMocks(), "bench", "bench", false, "organization");
    const started = performance.now();
    if (scenario === "component") {
        // Loaded here, like a stack that imports the component: its module load counts.
        const { KongSigningKeyHost } = await import("../../components/kongSigningKeyHost");
        const host = new KongSigningKeyHost("kong-keys", { keysets: JSON.parse(keysetsJson), kongSources: ["172.16.10.0/24"] });
        const outputs = [host.privateKeysetUrls, host.publicJwksUrls, host.privateJwks, host.publicJwks, host.activeKids, host.caCertPem,
            host.jwtSignerConfig, host.kongRotatePaths, host.kongNetworkNames, host.containerName];
        await Promise.all(outputs.map((o) => new Promise((resolve) => (o as pulumi.Output<unknown>).apply(resolve))));
    }
    const programMs = performance.now() - started;
    const cpu = process.cpuUsage();
    process.stdout.write(`${JSON.stringify({ wallMs: performance.now(), cpuMs: (cpu.user + cpu.system) / 1000, programMs })}\n`);
    process.exit(0);
}

main().catch((e) => { console.error(e); process.exit(1); });
