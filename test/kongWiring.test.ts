// Issue 19: the Kong side in every auth mode and for several Kong versions, field by field against the
// table of what Kong accepts (test/support/kongSchema.ts, written from Kong's published schemas).
import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { InputErrorCode, KongSigningKeyHostInputError } from "../components/errors";
import { buildJwtSignerConfig, buildKongRotateRequests, kongCertificateEntityId, kongRotatePath } from "../components/jwtSignerConfig";
import { keysetLabels } from "../components/labels";
import { resolveSettings } from "../components/settings";
import type { KongSigningKeyHostArgs } from "../components/args";
import { buildUnderMocks } from "./support/component";
import { inputErrorOf } from "./support/inputErrors";
import { certificatePayloadProblems, fragmentProblems, rotateBodyProblems } from "./support/kongSchema";
import { isSecret, valueOf } from "./support/outputs";

const base: KongSigningKeyHostArgs = {
    keysets: { access: { generations: ["2026-11", "2026-12"], active: "2026-11" }, channel: { algorithm: "ES256" as never, generations: ["2026-11"] } },
    kongSources: ["172.30.10.10"],
};
const PASSWORD = "0123456789abcdef";
const ID = "0f1e2d3c-4b5a-8697-a8b9-cadbecfd0e1f";
const URLS = { access: "https://kong-keys:8443/private/access/jwks.json", channel: "https://kong-keys:8443/private/channel/jwks.json" };
const MODES = {
    "no authentication": {},
    "Basic auth": { basicAuth: { username: "kong", password: PASSWORD } },
    "mTLS": { clientCertificate: true },
    "mTLS and Basic auth": { clientCertificate: true, basicAuth: { username: "kong", password: PASSWORD } },
} as const;
const VERSIONS = ["3.0", "3.6", "3.7", "3.9", "3.10", "3.12", "3.13", "3.14", "3.15", "3.14.0.1"];

function settingsOrError(args: KongSigningKeyHostArgs) {
    let settings: ReturnType<typeof resolveSettings> | undefined;
    return inputErrorOf(() => { settings = resolveSettings("kong-keys", args); }) ?? settings!;
}
const minor = (version: string) => Number(version.split(".")[1]);

describe("the fragment and the rotate requests, per Kong version and auth mode, as Kong's schema defines them", () => {
    const cases = VERSIONS.flatMap((version) => Object.entries(MODES).map(([mode, kongAuth]) => [version, mode, kongAuth] as const));

    it.each(cases)("Kong %s, %s", (version, _mode, kongAuth) => {
        const result = settingsOrError({ ...base, kongAuth, jwtSigner: { kongVersion: version } });
        const basic = "basicAuth" in kongAuth;
        const mtls = "clientCertificate" in kongAuth;
        // Basic auth is checked first (3.7), then the certificate reference (3.10).
        const needs = basic && minor(version) < 7 ? "3.7" : mtls && minor(version) < 10 ? "3.10" : undefined;
        if (needs) {
            // Asking for what the version lacks is refused, naming the version that introduced it.
            expect(result).toBeInstanceOf(KongSigningKeyHostInputError);
            const error = result as KongSigningKeyHostInputError;
            expect({ code: error.code, field: error.field }).toEqual({ code: InputErrorCode.Unsupported, field: needs === "3.7" ? "kongAuth.basicAuth" : "kongAuth.clientCertificate" });
            expect(error.message).toContain(`needs Kong ${needs} or later`);
            expect(error.message).toContain(`jwtSigner.kongVersion is "${version}"`);
            return;
        }
        if (result instanceof KongSigningKeyHostInputError) throw result;
        const credentials = { ...(basic ? { password: PASSWORD } : {}), ...(mtls ? { clientCertificateId: ID } : {}) };
        const fragment = buildJwtSignerConfig(result, URLS, credentials) as unknown as Record<string, unknown>;
        expect(fragmentProblems(fragment, version.split(".").slice(0, 2).join("."))).toEqual([]);
        for (const prefix of ["access_token", "channel_token"]) {
            expect(fragment[`${prefix}_keyset`]).toBe(prefix === "access_token" ? URLS.access : URLS.channel);
            expect(fragment[`${prefix}_keyset_rotate_period`]).toBe(minor(version) >= 7 ? 300 : undefined);
            expect(fragment[`${prefix}_keyset_client_username`]).toBe(basic ? "kong" : undefined);
            expect(fragment[`${prefix}_keyset_client_password`]).toBe(basic ? PASSWORD : undefined);
            expect(fragment[`${prefix}_keyset_client_certificate`]).toEqual(mtls ? { id: ID } : undefined);
            expect(fragment[`${prefix}_endpoints_ssl_verify`]).toBe(minor(version) >= 13 ? true : undefined);
        }
        const requests = buildKongRotateRequests(result, URLS, credentials);
        expect(Object.keys(requests)).toEqual(["access", "channel"]);
        for (const [keyset, request] of Object.entries(requests)) {
            expect(request.method).toBe("POST");
            expect(request.path).toBe(kongRotatePath(URLS[keyset as keyof typeof URLS]));
            expect(rotateBodyProblems(request.body as Record<string, unknown>)).toEqual([]);
            expect(request.body).toEqual({
                ...(basic ? { client_username: "kong", client_password: PASSWORD } : {}),
                ...(mtls ? { client_certificate: { id: ID } } : {}),
            });
        }
    });

    it("the table check can fail: a field a version lacks, a wrong type, an unknown field", () => {
        expect(fragmentProblems({ access_token_endpoints_ssl_verify: true }, "3.12")).toEqual(["access_token_endpoints_ssl_verify: Kong 3.12 does not have it (since 3.13)"]);
        expect(fragmentProblems({ access_token_signing_algorithm: "RS384" }, "3.14")).toHaveLength(1);
        expect(fragmentProblems({ access_token_keyset_client_certificate: ID }, "3.14")).toHaveLength(1);
        expect(fragmentProblems({ access_token_keyset_url: "x" }, "3.14")).toEqual(["access_token_keyset_url: not a jwt-signer field"]);
        expect(rotateBodyProblems({ password: "x" })).toHaveLength(1);
        expect(certificatePayloadProblems({ id: "x", cert: "c" })).toEqual(["key: required", "id: not a uuid"]);
    });

    it.each([
        ["an explicit reload period on Kong 3.6", { keysetRotatePeriod: 300, kongVersion: "3.6" }, "jwtSigner.keysetRotatePeriod", /needs Kong 3\.7 or later, which introduced \*_keyset_rotate_period/],
        ["Kong 2.8", { kongVersion: "2.8" }, "jwtSigner.kongVersion", /3\.0 or later/],
        ["a major version alone", { kongVersion: "3" }, "jwtSigner.kongVersion", /major\.minor/],
        ["a leading v", { kongVersion: "v3.14" }, "jwtSigner.kongVersion", /major\.minor/],
        ["a leading zero", { kongVersion: "3.014" }, "jwtSigner.kongVersion", /major\.minor/],
    ])("refuses %s", (_label, jwtSigner, field, message) => {
        const result = settingsOrError({ ...base, jwtSigner });
        expect(result).toBeInstanceOf(KongSigningKeyHostInputError);
        expect((result as KongSigningKeyHostInputError).field).toBe(field);
        expect((result as KongSigningKeyHostInputError).message).toMatch(message);
    });

    it("leaves the reload period out by default on a Kong that lacks it", () => {
        const settings = resolveSettings("kong-keys", { ...base, jwtSigner: { kongVersion: "3.6" } });
        expect(settings.jwtSigner.keysetRotatePeriod).toBe(0);
    });
});

describe("the component's Kong outputs, with mTLS and Basic auth together", () => {
    it("gives the certificate payload Kong's /certificates takes, whose id the fragment and every rotate body name", async () => {
        const { host } = await buildUnderMocks("kong-keys", { ...base, kongAuth: MODES["mTLS and Basic auth"] });
        const payload = (await valueOf(host.kongClientCertificate))!;
        expect(certificatePayloadProblems(payload as unknown as Record<string, unknown>)).toEqual([]);
        expect(payload.cert).toBe(await valueOf(host.kongClientCertPem));
        expect(payload.key).toBe(await valueOf(host.kongClientKeyPem));
        expect(new X509Certificate(payload.cert).checkPrivateKey(createPrivateKey(payload.key))).toBe(true);
        // The id is the client key's: stable across certificate renewals (the key stays), ours to choose.
        const publicKeyPem = createPublicKey(payload.key).export({ type: "spki", format: "pem" }).toString();
        expect(payload.id).toBe(kongCertificateEntityId(publicKeyPem));
        const fragment = await valueOf(host.jwtSignerConfig);
        expect(fragment.access_token_keyset_client_certificate).toEqual({ id: payload.id });
        expect(fragment.channel_token_keyset_client_certificate).toEqual({ id: payload.id });
        for (const request of Object.values(await valueOf(host.kongRotateRequests))) {
            expect(request.body).toEqual({ client_username: "kong", client_password: PASSWORD, client_certificate: { id: payload.id } });
        }
        // Everything carrying the key or the password is secret.
        expect(await isSecret(host.kongClientCertificate)).toBe(true);
        expect(await isSecret(host.jwtSignerConfig)).toBe(true);
        expect(await isSecret(host.kongRotateRequests)).toBe(true);
    });

    it("gives two instances different certificate entity ids", async () => {
        const one = await buildUnderMocks("keys-one", { ...base, kongAuth: MODES.mTLS });
        const two = await buildUnderMocks("keys-two", { ...base, kongAuth: MODES.mTLS });
        expect((await valueOf(one.host.kongClientCertificate))!.id).not.toBe((await valueOf(two.host.kongClientCertificate))!.id);
    });

    it("keeps rotate requests and the fragment non-secret without a password, and has no certificate payload without mTLS", async () => {
        const { host } = await buildUnderMocks("kong-keys", base);
        expect(await isSecret(host.kongRotateRequests)).toBe(false);
        expect(await isSecret(host.jwtSignerConfig)).toBe(false);
        expect(await valueOf(host.kongClientCertificate)).toBeUndefined();
        expect((await valueOf(host.kongRotateRequests)).access).toEqual({ method: "POST", path: kongRotatePath(URLS.access), body: {} });
    });
});

describe("what a rotation step changes, in clear", () => {
    it("states each keyset's published and active generations as an output and as key host labels", async () => {
        const { host, mocks } = await buildUnderMocks("kong-keys", base);
        expect(await valueOf(host.keysetGenerations)).toEqual({
            access: { published: ["2026-11", "2026-12"], active: "2026-11" },
            channel: { published: ["2026-11"], active: "2026-11" },
        });
        const labels = mocks.byType("docker:index/container:Container")[0].plain.labels as { label: string; value: string }[];
        expect(labels).toEqual(expect.arrayContaining(keysetLabels(resolveSettings("kong-keys", base))));
        expect(labels.filter((l) => l.label.includes(".keyset."))).toEqual([
            { label: "io.github.kong-signing-key-host.keyset.access", value: "published 2026-11,2026-12; active 2026-11" },
            { label: "io.github.kong-signing-key-host.keyset.channel", value: "published 2026-11; active 2026-11" },
        ]);
    });
});

describe("the README's Kong version table", () => {
    it("states for every field the fragment can carry the version the code requires", async () => {
        const fs = await import("node:fs");
        const path = await import("node:path");
        const { CERTIFICATE_OBJECT_SINCE, FIELD_SINCE, formatVersion } = await import("../components/kongVersions");
        const readme = fs.readFileSync(path.resolve(__dirname, "..", "README.md"), "utf8");
        const section = readme.slice(readme.indexOf("## Wiring Kong"), readme.indexOf("## Configuration reference"));
        const rows = section.split("\n").filter((l) => l.startsWith("| `")).map((l) => {
            const [fields, version] = l.split(" | ");
            return { fields, version: version.match(/^\d+\.\d+/)?.[0] };
        });
        for (const suffix of Object.keys(FIELD_SINCE) as (keyof typeof FIELD_SINCE)[]) {
            const row = rows.find((r) => r.fields.includes(suffix) || (suffix === "keyset_client_password" && r.fields.includes("client_username") && r.fields.includes("_password")));
            expect(row, suffix).toBeDefined();
            const required = suffix === "keyset_client_certificate" ? CERTIFICATE_OBJECT_SINCE : FIELD_SINCE[suffix];
            expect(row!.version, suffix).toBe(formatVersion(required));
        }
    });
});
