/**
 * What the SDK's schema analyzer cannot read from TypeScript types, stated for other languages' SDKs:
 * TypeScript has one `number`, but every numeric input of ours is a whole number (resolveSettings
 * refuses fractions), so the schema says `integer` (Python `int`, Go `int`, not floats); and which
 * values are secret, so generated SDKs wrap those inputs and outputs as secrets themselves.
 */

/** Inputs that carry private material, by schema type and property. */
export const SECRET_INPUTS: Readonly<Record<string, readonly string[]>> = {
    BasicAuth: ["password"],
    Tls: ["caKeyPem"],
};

/**
 * Component outputs that are always secret. (`jwtSignerConfig` and `kongRotateRequests` are secret only
 * with a Basic-auth password.)
 */
export const SECRET_OUTPUTS: readonly string[] = ["privateJwks", "kongClientKeyPem", "kongClientCertificate"];

type Property = { type?: string; secret?: boolean; items?: Property; additionalProperties?: Property; [key: string]: unknown };
type Properties = Record<string, Property>;

function integers(property: Property): Property {
    const out: Property = { ...property };
    if (out.type === "number") out.type = "integer";
    if (out.items) out.items = integers(out.items);
    if (out.additionalProperties) out.additionalProperties = integers(out.additionalProperties);
    return out;
}

function refine(properties: Properties | undefined, secrets: readonly string[] = []): Properties | undefined {
    if (!properties) return properties;
    return Object.fromEntries(Object.entries(properties).map(([name, p]) => {
        const refined = integers(p);
        if (secrets.includes(name)) refined.secret = true;
        return [name, refined];
    }));
}

/** The package schema with integers and secrets stated (a new object; the input is not changed). */
export function refinePackageSchema<S extends { resources?: Record<string, any>; types?: Record<string, any> }>(schema: S): S {
    const typeName = (token: string) => token.split(":").pop()!;
    const resources = Object.fromEntries(Object.entries(schema.resources ?? {}).map(([token, r]) => [token, {
        ...r,
        inputProperties: refine(r.inputProperties),
        properties: refine(r.properties, SECRET_OUTPUTS),
    }]));
    const types = Object.fromEntries(Object.entries(schema.types ?? {}).map(([token, t]) => [token, {
        ...t,
        ...(t.properties ? { properties: refine(t.properties, SECRET_INPUTS[typeName(token)]) } : {}),
    }]));
    return { ...schema, resources, types };
}
