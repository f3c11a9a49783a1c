import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { engineEnv } from "../support/engine/exampleStack";

// The kubernetes plugin the engine runs (ours is built from github.com/pulumi/pulumi-kubernetes/provider/v4
// at a pseudo-version: cluster/README.md) must speak the names the installed @pulumi/kubernetes SDK sends
// and reads. The schema comes from the installed plugin (`pulumi package get-schema`), the SDK's names from
// its .d.ts files, as test/engine/providerSchema.test.ts does for docker and tls.
const SDK_DIR = path.dirname(require.resolve("@pulumi/kubernetes/package.json"));
const SDK_VERSION = JSON.parse(fs.readFileSync(path.join(SDK_DIR, "package.json"), "utf8")).pulumi.version as string;

interface Schema {
    version: string;
    resources: Record<string, { inputProperties?: Record<string, unknown> }>;
    types: Record<string, { properties?: Record<string, unknown> }>;
}

function walk(dir: string, out: string[] = []): string[] {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory() && e.name !== "node_modules") walk(p, out);
        else if (e.isFile()) out.push(p);
    }
    return out;
}

/** The SDK's input types by qualified name, `input.<group>.<version>.Name`, from types/input.d.ts. */
function sdkInputTypes(): Map<string, string[]> {
    const found = new Map<string, string[]>();
    const visit = (node: ts.Node, prefix: string) => {
        if (ts.isInterfaceDeclaration(node)) {
            found.set(prefix + node.name.text, node.members.flatMap((m) => (m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)) ? [m.name.text] : [])));
        } else if (ts.isModuleDeclaration(node) && node.body) {
            const inner = `${prefix}${node.name.getText()}.`;
            if (ts.isModuleBlock(node.body)) node.body.statements.forEach((s) => visit(s, inner));
            else visit(node.body, inner);
        }
    };
    const file = path.join(SDK_DIR, "types", "input.d.ts");
    ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true).statements.forEach((s) => visit(s, "input."));
    return found;
}

/** Resource tokens the SDK registers (`case "kubernetes:apps/v1:Deployment":` in each module's index.js). */
function sdkResourceTokens(): string[] {
    const tokens = new Set<string>();
    for (const file of walk(SDK_DIR).filter((f) => f.endsWith("index.js"))) {
        for (const m of fs.readFileSync(file, "utf8").matchAll(/case "(kubernetes:[^"]+)"/g)) tokens.add(m[1]);
    }
    return [...tokens].sort();
}

describe(`the kubernetes plugin against the installed @pulumi/kubernetes ${SDK_VERSION}`, () => {
    const schema = JSON.parse(execFileSync("pulumi", ["package", "get-schema", `kubernetes@${SDK_VERSION}`],
        { env: engineEnv(), encoding: "utf8", maxBuffer: 256 << 20 })) as Schema;
    const sdk = sdkInputTypes();
    const sdkTokens = sdkResourceTokens();

    it("is installed under the version the SDK asks for, and knows every resource the SDK registers", () => {
        expect(schema.version).toBe(SDK_VERSION);
        const missing = sdkTokens.filter((t) => !schema.resources[t]);
        expect(missing).toEqual([]);
        expect(sdkTokens.length).toBeGreaterThan(300);
    });

    it("has the SDK's input names on every resource and every input type", () => {
        const mismatches: string[] = [];
        let checked = 0;
        const same = (what: string, sdkNames: string[] | undefined, schemaNames: string[]) => {
            if (!sdkNames) return;
            checked += 1;
            const a = [...sdkNames].sort().join(",");
            const b = [...schemaNames].sort().join(",");
            if (a !== b) mismatches.push(`${what}: SDK [${a}] vs plugin [${b}]`);
        };
        for (const token of sdkTokens) {
            same(`${token} inputs`, resourceArgs(token), Object.keys(schema.resources[token]?.inputProperties ?? {}));
        }
        for (const [token, type] of Object.entries(schema.types)) {
            const [, module, name] = token.split(":");
            same(`type ${token}`, sdk.get(`input.${module.split("/").join(".")}.${name}`), Object.keys(type.properties ?? {}));
        }
        expect(mismatches).toEqual([]);
        expect(checked).toBeGreaterThan(500);
    });

    /** `<Name>Args` of the file that declares the resource (names repeat across API versions). */
    function resourceArgs(token: string): string[] | undefined {
        const [, module, name] = token.split(":");
        const file = path.join(SDK_DIR, ...module.split("/"), `${name[0].toLowerCase()}${name.slice(1)}.d.ts`);
        if (!fs.existsSync(file)) return undefined;
        const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
        for (const s of source.statements) {
            if (ts.isInterfaceDeclaration(s) && s.name.text === `${name}Args`) {
                return s.members.flatMap((m) => (m.name && ts.isIdentifier(m.name) ? [m.name.text] : []));
            }
        }
        return undefined;
    }
});
