import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { KongSigningKeyHost } from "../components/kongSigningKeyHost";
import { SigningAlgorithm } from "../components/args";
import { RSA_SIZES } from "../components/algorithms";
import { describeBound, INTEGER_LIMITS } from "../components/limits";
import { SECRET_INPUTS, SECRET_OUTPUTS } from "../components/packageSchema";
import { componentSchema } from "./support/schema";
import { buildUnderMocks } from "./support/component";

const TYPE = "kong-signing-key-host:index:KongSigningKeyHost";

describe("multi-language schema (ComponentProvider.getSchema, offline)", () => {
    it("expresses every arg and output, with the signing algorithms as an enum", async () => {
        const schema = await componentSchema(path.resolve(__dirname, ".."));
        const resource = schema.resources[TYPE];
        expect(resource.isComponent).toBe(true);
        expect(Object.keys(resource.inputProperties).sort()).toEqual(
            ["docker", "hostname", "jwtSigner", "keysets", "kongAuth", "kongSources", "kubernetes", "publicBaseUrl", "publicMaxAgeSeconds", "tls"]);
        // kongSources is required on Docker only (resolveSettings says so, naming the field).
        expect(resource.requiredInputs.sort()).toEqual(["keysets"]);

        // Every public output field of the class is in the schema, and nothing else.
        const { host } = await buildUnderMocks("kong-keys", { keysets: { access: { generations: ["a"] } }, kongSources: ["172.30.10.10"] });
        const outputFields = Object.keys(host).filter((k) => !k.startsWith("__") && k !== "urn" && (host as unknown as Record<string, unknown>)[k]?.constructor?.name === "OutputImpl");
        expect(outputFields.length).toBeGreaterThan(10);
        expect(Object.keys(resource.properties).sort()).toEqual(outputFields.sort());

        const enumType = schema.types["kong-signing-key-host:index:SigningAlgorithm"];
        expect(enumType.enum.map((m: { value: string }) => m.value).sort()).toEqual(Object.values(SigningAlgorithm).sort());
        const keyset = schema.types["kong-signing-key-host:index:Keyset"];
        expect(Object.keys(keyset.properties).sort()).toEqual(["active", "algorithm", "generations", "rsaBits"]);
        expect(keyset.properties.algorithm.$ref).toBe("#/types/kong-signing-key-host:index:SigningAlgorithm");
        for (const type of ["Tls", "KongAuth", "BasicAuth", "JwtSigner", "Docker", "Kubernetes", "KubernetesResources", "JsonWebKeySet", "JsonWebKey", "JwtSignerConfig"]) {
            expect(schema.types[`kong-signing-key-host:index:${type}`], type).toBeDefined();
        }
        expect(KongSigningKeyHost.name).toBe("KongSigningKeyHost");

        // Other languages' SDKs see descriptions, not TypeScript's @default tags: every optional input says its default.
        // Python and Go name input types <Type>Args: a schema type already ending in Args would read KeysetArgsArgs.
        expect(Object.keys(schema.types).filter((t) => t.endsWith("Args"))).toEqual([]);
        const inputTypes = ["Keyset", "Tls", "KongAuth", "BasicAuth", "JwtSigner", "Docker", "Kubernetes", "KubernetesResources"]
            .map((t) => [t, schema.types[`kong-signing-key-host:index:${t}`]] as const);
        const withoutDefault: string[] = [];
        let optional = 0;
        for (const [name, type] of [["KongSigningKeyHost", { properties: resource.inputProperties, required: resource.requiredInputs }] as const, ...inputTypes]) {
            for (const [prop, spec] of Object.entries(type.properties as Record<string, { description?: string }>)) {
                if ((type.required ?? []).includes(prop)) continue;
                optional += 1;
                if (!/Default: /.test(spec.description ?? "")) withoutDefault.push(`${name}.${prop}`);
            }
        }
        expect(optional).toBeGreaterThan(25);
        expect(withoutDefault).toEqual([]);
    });

    it("states what TypeScript types cannot: whole numbers as integer, and which inputs and outputs are secret", async () => {
        const schema = await componentSchema(path.resolve(__dirname, ".."));
        const resource = schema.resources[TYPE];
        const numeric: string[] = [];
        const visit = (where: string, p: any) => {
            if (!p) return;
            if (p.type === "number" || p.type === "integer") numeric.push(`${where}:${p.type}`);
            visit(`${where}[]`, p.items);
            visit(`${where}{}`, p.additionalProperties);
        };
        for (const [t, spec] of Object.entries<any>(schema.types)) for (const [k, p] of Object.entries(spec.properties ?? {})) visit(`${t.split(":")[2]}.${k}`, p);
        for (const [k, p] of Object.entries(resource.inputProperties)) visit(`in.${k}`, p);
        expect(numeric.length).toBeGreaterThan(10);
        expect(numeric.filter((n) => n.endsWith(":number"))).toEqual([]);
        expect(numeric).toContain("Docker.publicPort:integer");
        expect(numeric).toContain("in.publicMaxAgeSeconds:integer");

        // Each whole-number input states the range resolveSettings enforces (components/limits.ts).
        const typeOf: Record<string, string> = { docker: "Docker", tls: "Tls", jwtSigner: "JwtSigner", kubernetes: "Kubernetes" };
        const propertyOf = (field: string) => {
            const [group, name] = field.includes(".") ? field.split(".") : [undefined, field];
            return group ? schema.types[`kong-signing-key-host:index:${typeOf[group]}`].properties[name] : resource.inputProperties[name];
        };
        for (const [field, { min, max }] of Object.entries(INTEGER_LIMITS)) {
            expect(propertyOf(field).description, field).toContain(`Allowed: ${describeBound(min)} to ${describeBound(max)}.`);
        }
        expect(schema.types["kong-signing-key-host:index:Keyset"].properties.rsaBits.description)
            .toContain(`Allowed: ${RSA_SIZES.slice(0, -1).join(", ")} or ${RSA_SIZES.at(-1)}.`);
        const readme = fs.readFileSync(path.resolve(__dirname, "..", "README.md"), "utf8").replace(/\s+/g, " ");
        for (const [field, { min, max }] of Object.entries(INTEGER_LIMITS)) {
            expect(readme, `README range of ${field}`).toContain(`\`${field}\` ${describeBound(min)} to ${describeBound(max)}`);
        }
        // ...and no whole-number input goes without a stated range (JwtSignerConfig is an output).
        expect(numeric.filter((n) => !n.startsWith("JwtSignerConfig.")).length).toBe(Object.keys(INTEGER_LIMITS).length + 1);

        const secret = (props: Record<string, any>) => Object.keys(props).filter((k) => props[k].secret).sort();
        expect(secret(resource.properties)).toEqual([...SECRET_OUTPUTS].sort());
        for (const [type, names] of Object.entries(SECRET_INPUTS)) {
            expect(secret(schema.types[`kong-signing-key-host:index:${type}`].properties), type).toEqual([...names].sort());
        }
        expect(Object.entries<any>(schema.types).filter(([, t]) => secret(t.properties ?? {}).length > 0).map(([t]) => t.split(":")[2]).sort())
            .toEqual(Object.keys(SECRET_INPUTS).sort());
    });
});
