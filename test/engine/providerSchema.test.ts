import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { engineEnv } from "../support/engine/exampleStack";

// The docker and tls plugins the engine runs (ours are bridged builds with our own name mapping:
// engine/README.md) must speak exactly the names the installed npm SDKs send and read. The schema
// comes from the installed plugin itself (`pulumi package get-schema`), the SDK's names from its .d.ts.

interface Schema {
    resources: Record<string, { inputProperties?: Record<string, unknown>; properties?: Record<string, unknown> }>;
    functions: Record<string, { inputs?: { properties?: Record<string, unknown> }; outputs?: { properties?: Record<string, unknown> } }>;
    types: Record<string, { properties?: Record<string, unknown> }>;
    config?: { variables?: Record<string, unknown> };
}

function pluginSchema(name: string, version: string): Schema {
    const out = execFileSync("pulumi", ["package", "get-schema", `${name}@${version}`], { env: engineEnv(), encoding: "utf8", maxBuffer: 64 << 20 });
    return JSON.parse(out) as Schema;
}

/** Every interface the SDK declares, by name ("input." / "output." prefixes for types/*.d.ts). */
function sdkInterfaces(sdkDir: string): Map<string, string[]> {
    const found = new Map<string, string[]>();
    const read = (file: string, prefix: string) => {
        const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest);
        source.forEachChild((node) => {
            if (ts.isInterfaceDeclaration(node)) {
                found.set(prefix + node.name.text, node.members.flatMap((m) => (m.name && ts.isIdentifier(m.name) ? [m.name.text] : [])));
            }
        });
    };
    for (const f of fs.readdirSync(sdkDir)) if (f.endsWith(".d.ts")) read(path.join(sdkDir, f), "");
    read(path.join(sdkDir, "types", "input.d.ts"), "input.");
    read(path.join(sdkDir, "types", "output.d.ts"), "output.");
    return found;
}

/** Resource classes the SDK registers: "pkg:index/x:X" tokens from its index.js. */
function sdkResourceTokens(sdkDir: string, pkg: string): string[] {
    const index = fs.readFileSync(path.join(sdkDir, "index.js"), "utf8");
    return [...new Set([...index.matchAll(new RegExp(`case "(${pkg}:index/[^"]+)"`, "g"))].map((m) => m[1]))].sort();
}

function sdkFunctionTokens(sdkDir: string, pkg: string): string[] {
    const tokens = new Set<string>();
    for (const f of fs.readdirSync(sdkDir)) {
        if (!f.endsWith(".js")) continue;
        for (const m of fs.readFileSync(path.join(sdkDir, f), "utf8").matchAll(new RegExp(`invoke(?:Output)?\\("(${pkg}:index/[^"]+)"`, "g"))) tokens.add(m[1]);
    }
    return [...tokens].sort();
}

const sorted = (names: Iterable<string>) => [...names].sort();
const lastPart = (token: string) => token.split(":")[2];

function compare(pkg: string, version: string) {
    const sdkDir = path.dirname(require.resolve(`@pulumi/${pkg}/package.json`));
    const schema = pluginSchema(pkg, version);
    const sdk = sdkInterfaces(sdkDir);
    const mismatches: string[] = [];
    const same = (what: string, sdkNames: string[] | undefined, schemaNames: string[]) => {
        if (!sdkNames) return;
        const a = sorted(sdkNames).join(",");
        const b = sorted(schemaNames).join(",");
        if (a !== b) mismatches.push(`${what}: SDK [${a}] vs plugin [${b}]`);
    };
    let checked = 0;
    for (const token of sdkResourceTokens(sdkDir, pkg)) {
        const resource = schema.resources[token];
        const name = lastPart(token);
        if (!resource) {
            // docker:index/image:Image is Pulumi's own Go resource, not a Terraform one: our build has none.
            mismatches.push(`resource ${token} missing from the plugin`);
            continue;
        }
        same(`${token} inputs`, sdk.get(`${name}Args`), Object.keys(resource.inputProperties ?? {}));
        same(`${token} state`, sdk.get(`${name}State`), Object.keys(resource.properties ?? {}));
        checked += 1;
    }
    for (const token of sdkFunctionTokens(sdkDir, pkg)) {
        const fn = schema.functions[token];
        const name = lastPart(token);
        const cap = name[0].toUpperCase() + name.slice(1);
        if (!fn) { mismatches.push(`function ${token} missing from the plugin`); continue; }
        same(`${token} args`, sdk.get(`${cap}Args`), Object.keys(fn.inputs?.properties ?? {}));
        same(`${token} result`, sdk.get(`${cap}Result`), Object.keys(fn.outputs?.properties ?? {}));
        checked += 1;
    }
    for (const [token, type] of Object.entries(schema.types)) {
        const name = lastPart(token);
        same(`type ${name} (input)`, sdk.get(`input.${name}`), Object.keys(type.properties ?? {}));
        same(`type ${name} (output)`, sdk.get(`output.${name}`), Object.keys(type.properties ?? {}));
        if (sdk.has(`input.${name}`) || sdk.has(`output.${name}`)) checked += 1;
    }
    return { mismatches, checked };
}

describe("the engine's provider plugins against the installed npm SDKs", () => {
    it("tls 5.6.1: every resource, function and type has the SDK's property names", () => {
        const { mismatches, checked } = compare("tls", "5.6.1");
        expect(mismatches).toEqual([]);
        expect(checked).toBeGreaterThanOrEqual(9); // 4 resources, 2 functions, 3 types
    });

    it("docker 5.2.0: the same, except Pulumi's own Go-native Image resource, which no Terraform provider has", () => {
        const { mismatches, checked } = compare("docker", "5.2.0");
        // The component never uses docker.Image (it builds images); a stack that does needs Pulumi's provider.
        expect(mismatches).toEqual(["resource docker:index/image:Image missing from the plugin"]);
        expect(checked).toBeGreaterThanOrEqual(40);
    });
});
