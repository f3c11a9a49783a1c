import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { configDefaults, loadProgram } from "./support/programLoader";

const root = path.resolve(__dirname, "..");

describe("the example stack, loaded as `pulumi up` loads it", () => {
    it("type-checks, runs against Pulumi.yaml's defaults and exports every output", () => {
        const result = loadProgram(root, configDefaults(root, "kong-signing-key-host"));
        expect(result.error).toBeUndefined();
        const types = result.resources.map((r) => r.type);
        expect(types).toContain("kong-signing-key-host:index:KongSigningKeyHost");
        expect(types.filter((t) => t === "tls:index/privateKey:PrivateKey")).toHaveLength(2 + 2); // 2 signing keys, CA, server
        expect(types.filter((t) => t === "docker:index/network:Network")).toHaveLength(3); // Kong network, publishing network, proxy link
        expect(Object.keys(result.outputs ?? {}).sort()).toEqual(expect.arrayContaining([
            "activeKids", "caCertPem", "containerName", "hostname", "jwtSignerConfig", "keysetGenerations", "kongClientCertificate",
            "kongNetworkNames", "kongRotatePaths", "kongRotateRequests", "privateJwks", "privateKeysetUrls", "publicJwks", "publicJwksUrls"]));
        expect(result.secretOutputs).toEqual(["privateJwks"]);
        expect(result.outputs!.privateKeysetUrls.access).toBe("https://kong-keys:8443/private/access/jwks.json");
        expect(result.outputs!.publicJwks.channel.keys[0].alg).toBe("ES256");
        const containers = result.resources.filter((r) => r.type === "docker:index/container:Container");
        expect(containers.map((c) => c.name).sort()).toEqual(["kong-keys-host", "kong-keys-public-proxy"]);
        expect(containers.find((c) => c.name === "kong-keys-public-proxy")!.plain.ports).toEqual([{ internal: 9443, external: 19443, ip: "127.0.0.1", protocol: "tcp" }]);
    });

    it("fails the load on a type error, as `pulumi up` would", () => {
        const dir = fs.mkdtempSync(path.join(root, ".tmp-typeerror-"));
        try {
            for (const f of ["package.json", "tsconfig.json", "Pulumi.yaml"]) fs.copyFileSync(path.join(root, f), path.join(dir, f));
            fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"));
            fs.symlinkSync(path.join(root, "components"), path.join(dir, "components"));
            fs.writeFileSync(path.join(dir, "index.ts"), fs.readFileSync(path.join(root, "index.ts"), "utf8")
                .replace('kongSources: config.requireObject<string[]>("kongSources"),', "kongSources: 42,"));
            const result = loadProgram(dir, configDefaults(root, "kong-signing-key-host"));
            expect(result.error ?? "").toMatch(/TS2322|not assignable/);
            expect(result.resources.filter((r) => r.type.startsWith("docker"))).toEqual([]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
