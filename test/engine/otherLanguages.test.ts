import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildClientImage, runClient } from "../support/docker/clients";
import { cleanupRun, docker, requireTestImage, TEST_IMAGE } from "../support/docker/engine";
import { ExampleStack, type PreviewJson, urnName } from "../support/engine/exampleStack";
import { startGitServer } from "../support/gitServer";
import { type KongOutputs, pluginFetchSpec, rotateFetchSpec } from "../support/kongFromOutputs";
import { componentSchema } from "../support/schema";

// The component package (provider/) used from stacks in other languages by the real Pulumi CLI:
// examples/yaml and examples/python, each copied with `packages:` removed, then
// `pulumi package add ../../provider` (what a user runs in a stack of their own); examples/go as committed,
// with `pulumi install` (what a user runs in a clone); preview (YAML, Python, Go), and for Python
// one `pulumi up` on the local Docker engine that a Kong-like client fetches keys from, then destroy.
// Subnets from 172.16.0.0/16, which Docker's default address pools never hand out.
const ROOT = path.resolve(__dirname, "..", "..");
const runId = `ol${randomBytes(3).toString("hex")}`;
const COMPONENT = "kong-signing-key-host:index:KongSigningKeyHost";
const YAML_SUBNET = "172.16.205.0/24";
const YAML_KONG_IP = "172.16.205.10";
const PY_SUBNET = "172.16.206.0/24";
const PY_KONG_IP = "172.16.206.10";
const PY_UPSTREAM_IP = "172.16.206.20";
const GO_SUBNET = "172.16.207.0/24";

const yamlStack = new ExampleStack(`${runId}-yaml`, { language: "yaml" });
const gitStack = new ExampleStack(`${runId}-git`, { language: "yaml" });
const pythonStack = new ExampleStack(`${runId}-python`, { language: "python" });
const goStack = new ExampleStack(`${runId}-go`, { language: "go" });
const runPluginStack = new ExampleStack(`${runId}-runplugin`, { language: "yaml" });

function committedProject(language: string): any {
    return yaml.load(fs.readFileSync(path.join(ROOT, "examples", language, "Pulumi.yaml"), "utf8"));
}

/** The copied project without its `packages:` block, so that `pulumi package add` has to write it. */
function dropPackages(stack: ExampleStack): void {
    const file = path.join(stack.dir, "Pulumi.yaml");
    const text = fs.readFileSync(file, "utf8");
    const without = text.replace(/^packages:\n(?: {2}.*\n)+/m, "");
    expect(without).not.toMatch(/^packages:/m);
    fs.writeFileSync(file, without);
}

/** `pulumi package add ../../provider`, then the project's packages must be what the repository commits. */
async function packageAdd(stack: ExampleStack, language: string): Promise<string> {
    dropPackages(stack);
    const added = await stack.cli(["package", "add", "../../provider"]);
    expect(added.stderr).toContain("Added package kong-signing-key-host");
    const project = yaml.load(fs.readFileSync(path.join(stack.dir, "Pulumi.yaml"), "utf8")) as { packages?: unknown };
    expect(project.packages).toEqual(committedProject(language).packages);
    return added.stdout + added.stderr;
}

/** The steps that create the component's children. */
const childCreates = (preview: PreviewJson) => preview.steps.filter((s) => s.op === "create" && s.urn.includes(`${COMPONENT}$`));

/**
 * The engine's log lines (a preview at -v=9) on starting the component package: "from <path> with args"
 * for the file it looks for first, and, only when that is missing, "from <dir> via runtime 'nodejs'".
 */
async function packageLaunches(stack: ExampleStack): Promise<string[]> {
    const { stderr } = await stack.cli(["preview", "--non-interactive", "--stack", stack.stack, "--logtostderr", "--logflow", "-v=9"]);
    return stderr.split("\n").filter((l) => l.includes("Launching plugin 'kong-signing-key-host"));
}

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

beforeAll(async () => {
    await requireTestImage();
    buildClientImage();
}, 300_000);

afterAll(async () => {
    await cleanupRun(runId);
    for (const stack of [yamlStack, gitStack, pythonStack, goStack, runPluginStack]) {
        await stack.destroy();
        stack.removeFolder();
    }
}, 300_000);

describe("a YAML stack (examples/yaml) with the component package", () => {
    beforeAll(async () => {
        await yamlStack.init({ subnet: YAML_SUBNET, kongSources: [YAML_SUBNET], image: TEST_IMAGE });
        await packageAdd(yamlStack, "yaml");
    }, 300_000);

    it("previews the component and its children, all docker children through the stack's explicit docker provider", async () => {
        const preview = await yamlStack.previewJson();
        const component = preview.steps.find((s) => s.op === "create" && s.urn.endsWith(`::${COMPONENT}::keys`));
        expect(component).toBeDefined();
        const children = childCreates(preview);
        expect(children.map((s) => urnName(s.urn)).sort()).toEqual([
            "keys-ca-cert", "keys-ca-key", "keys-host", "keys-kong-client-ca-cert", "keys-kong-client-ca-key", "keys-kong-client-cert",
            "keys-kong-client-csr", "keys-kong-client-key", "keys-kong-net", "keys-server-cert", "keys-server-csr", "keys-server-key",
            "keys-signing-key-access.2026-11", "keys-signing-key-channel.2026-11"]);
        const providerOf = (s: { newState?: { provider?: string } }) => s.newState?.provider?.split("::")[3];
        const dockerChildren = children.filter((s) => s.urn.includes("$docker:"));
        expect(dockerChildren.length).toBe(2);
        expect(dockerChildren.map(providerOf)).toEqual(["localDocker", "localDocker"]);
        expect([...new Set(children.filter((s) => s.urn.includes("$tls:")).map(providerOf))]).toEqual(["default_5_6_1"]);
    });

    it("is started by the package's launcher, not through the Node.js language host's plugin runner", async () => {
        const launches = await packageLaunches(yamlStack);
        expect(launches.length).toBeGreaterThan(0);
        for (const launch of launches) {
            expect(launch).toMatch(/from '[^']*\/provider\/pulumi-resource-kong-signing-key-host' with args/);
            expect(launch).not.toContain("via runtime");
        }
    });

    it("`up` with mTLS: the certificate id is wired without a cycle, and a Kong-like client using only the outputs fetches each keyset", async () => {
        await yamlStack.up();
        const outputs = await yamlStack.outputs(true) as KongOutputs & { kongCertificateId: string; kongNetworkNames: string[] };
        // The id the YAML program read from the certificate payload is the one the fragment names.
        expect(outputs.kongCertificateId).toBe(outputs.kongClientCertificate!.id);
        expect(outputs.jwtSignerConfig.access_token_keyset_client_certificate).toEqual({ id: outputs.kongCertificateId });
        expect(outputs.kongRotateRequests.access.body).toEqual({ client_certificate: { id: outputs.kongCertificateId } });
        const fetch = (spec: Record<string, unknown>) => runClient({ runId, network: outputs.kongNetworkNames[0], ip: YAML_KONG_IP, spec });
        for (const spec of [pluginFetchSpec(outputs, "access_token"), pluginFetchSpec(outputs, "channel_token"), rotateFetchSpec(outputs, "channel")]) {
            expect(await fetch(spec)).toMatchObject({ status: 200, hasPrivate: true });
        }
        expect((await fetch(pluginFetchSpec(outputs, "access_token", "certificate entity"))).status).toBe(403);
        // Secret outputs stay secret in a YAML stack too.
        const shown = await yamlStack.outputs(false);
        expect(shown.kongClientCertificate).toBe("[secret]");
        expect(JSON.stringify(shown)).not.toMatch(/PRIVATE KEY/);
    }, 300_000);

    it("shows a YAML user the component's own input error, naming the field", async () => {
        const result = await yamlStack.previewWithConfig({ kongSources: ["0.0.0.0/0"] }, { kongSources: [YAML_SUBNET] });
        expect(result.code).not.toBe(0);
        expect(result.stdout + result.stderr).toMatch(/kongSources: "0\.0\.0\.0\/0" is not inside private-use space/);
    });
});

describe("a Python stack (examples/python) with the component package", () => {
    let addOutput: string;
    let venvPython: string;

    beforeAll(async () => {
        await pythonStack.init({ subnet: PY_SUBNET, kongSources: [PY_KONG_IP], image: TEST_IMAGE });
        addOutput = await packageAdd(pythonStack, "python");
        venvPython = path.join(pythonStack.dir, "venv", "bin", "python");
    }, 600_000);

    it("generates, links and installs a Python SDK with every arg and output of the schema, in Python's names", async () => {
        expect(addOutput).toContain("import pulumi_kong_signing_key_host");
        expect(fs.readFileSync(path.join(pythonStack.dir, "requirements.txt"), "utf8").split("\n")).toContain("./sdks/kong-signing-key-host");
        const script = `
import inspect, json
import pulumi_kong_signing_key_host as k
params = lambda cls: {n: str(p.annotation) for n, p in inspect.signature(cls.__init__).parameters.items() if n not in ("self", "__self__")}
print(json.dumps({
    "args": params(k.KongSigningKeyHostArgs),
    "outputs": sorted(n for n, v in vars(k.KongSigningKeyHost).items() if isinstance(v, property)),
    "argClasses": sorted(n for n in dir(k) if n.endswith("Args")),
    "docker": inspect.getsource(k.DockerArgs.__init__).split('"""')[0],
    "dockerDoc": k.DockerArgs.__init__.__doc__,
    "algorithms": sorted(a.value for a in k.SigningAlgorithm),
}))`;
        const sdk = JSON.parse(execFileSync(venvPython, ["-c", script], { cwd: pythonStack.dir, encoding: "utf8" }));
        const schema = (await componentSchema(ROOT)).resources[COMPONENT];
        expect(Object.keys(sdk.args).sort()).toEqual(Object.keys(schema.inputProperties).map(snake).sort());
        expect(sdk.outputs).toEqual(Object.keys(schema.properties).map(snake).sort());
        // No doubled suffix (KeysetArgsArgs) now that the schema's types are named without "Args".
        expect(sdk.argClasses).toEqual(["BasicAuthArgs", "DockerArgs", "JwtSignerArgs", "KeysetArgs", "KongAuthArgs", "KongSigningKeyHostArgs", "KubernetesArgs", "KubernetesResourcesArgs", "ProviderArgs", "TlsArgs"]);
        // Plain where the component decides its children, Input where a value only passes through; whole numbers are int.
        expect(sdk.docker).toMatch(/\bimage: pulumi\.Input\[Optional\[_builtins\.str\]\]/);
        expect(sdk.docker).toMatch(/\bnetworks: Optional\[Sequence\[pulumi\.Input\[_builtins\.str\]\]\]/);
        expect(sdk.docker).toMatch(/\bsubnet: Optional\[_builtins\.str\]/);
        expect(sdk.docker).toMatch(/\bpublic_port: Optional\[_builtins\.int\]/);
        expect(sdk.dockerDoc).toContain("Default: 64.");
        expect(sdk.algorithms).toContain("ES256");
    });

    it("`pulumi up` deploys a key host that a Kong-like client signs with and an upstream verifies against; secrets stay secret", async () => {
        await pythonStack.up();
        const outputs = await pythonStack.outputs(true);
        const shown = await pythonStack.outputs(false);
        expect(shown.privateJwks).toBe("[secret]");
        expect(typeof shown.caCertPem).toBe("string");
        expect(shown.publicJwks.access.keys[0]).not.toHaveProperty("d");

        const network = outputs.kongNetworkNames[0] as string;
        const kong = await runClient({
            runId, network, ip: PY_KONG_IP,
            spec: { mode: "kong", privateUrl: outputs.privateKeysetUrls.access, ca: outputs.caCertPem },
        });
        expect(kong).toMatchObject({ status: 200, keys: 1, hasPrivate: true, kid: outputs.activeKids.access });
        expect(outputs.privateJwks.access.keys[0].kid).toBe(outputs.activeKids.access);
        const upstream = await runClient({
            runId, network, ip: PY_UPSTREAM_IP,
            spec: { mode: "upstream", publicUrl: outputs.publicJwksUrls.access, privateUrl: outputs.privateKeysetUrls.access, ca: outputs.caCertPem, tokens: [kong.token] },
        });
        expect(upstream.verified).toEqual([{ ok: true, sub: "kong-test", kid: outputs.activeKids.access }]);
        expect(upstream).toMatchObject({ publicStatus: 200, privateStatus: 403, privateLeak: false });

        // The state: the component's private outputs as ciphertext, no private key or JWK member in the clear.
        const text = pythonStack.backendText();
        expect(text).not.toMatch(/PRIVATE KEY-----/);
        expect(text).not.toMatch(/"d":\s*"/);
        expect(text).toContain("ciphertext");

        await pythonStack.cli(["preview", "--expect-no-changes", "--non-interactive", "--stack", pythonStack.stack]);
        const { containers, networks } = await pythonStack.dockerIds();
        expect(containers.length).toBe(1);
        await pythonStack.cli(["destroy", "--yes", "--non-interactive", "--skip-preview", "--stack", pythonStack.stack]);
        const running = (await docker().listContainers({ all: true })).map((c) => c.Id);
        expect(containers.filter((id) => running.includes(id))).toEqual([]);
        const left = (await docker().listNetworks()).map((n) => n.Id);
        expect(networks.filter((id) => left.includes(id))).toEqual([]);
    });
});

describe("a Go stack (examples/go) with the component package", () => {
    beforeAll(async () => {
        await goStack.init({ subnet: GO_SUBNET, kongSources: [GO_SUBNET], image: TEST_IMAGE });
        // The committed example as a user clones it: `pulumi install` makes the SDK its `packages:` name.
        const installed = await goStack.cli(["install"]);
        expect(installed.stdout + installed.stderr).toContain("example.com/pulumi-kong-signing-key-host/sdk/go/kongsigningkeyhost");
    }, 300_000);

    it("has a complete go.sum: `pulumi install` (go mod tidy, offline) needs no checksum it lacks", () => {
        // Without one, go asks the checksum database (which a fresh machine here cannot reach) for every
        // module; a warm machine answers from its cache and hides that. Equal after tidy means nothing was missing.
        const committed = fs.readFileSync(path.join(ROOT, "examples", "go", "go.sum"), "utf8");
        expect(committed).toMatch(/^github\.com\/pulumi\/pulumi\/sdk\/v3 v3\.248\.0 h1:/m);
        expect(fs.readFileSync(path.join(goStack.dir, "go.sum"), "utf8")).toBe(committed);
    });

    it("`pulumi install` generates a Go SDK module, replaces it into go.mod, and the stack previews through `go build`", async () => {
        const goMod = fs.readFileSync(path.join(goStack.dir, "go.mod"), "utf8");
        expect(goMod).toMatch(/^replace example\.com\/pulumi-kong-signing-key-host\/sdk\/go => \.\/sdks\/kong-signing-key-host$/m);
        const sdk = path.join(goStack.dir, "sdks", "kong-signing-key-host", "kongsigningkeyhost");
        const resource = fs.readFileSync(path.join(sdk, "kongSigningKeyHost.go"), "utf8");
        const types = fs.readFileSync(path.join(sdk, "pulumiTypes.go"), "utf8");
        // Plain where the component decides, Input where it passes through, int for whole numbers, secrets named.
        expect(resource).toMatch(/^\tKongSources \[\]string /m);
        expect(resource).toMatch(/^\tPublicMaxAgeSeconds \*int /m);
        expect(resource).toMatch(/AdditionalSecretOutputs\(\[\]string\{\s*"kongClientCertificate",\s*"kongClientKeyPem",\s*"privateJwks",/);
        expect(types).toMatch(/^type DockerArgs struct \{[^}]*\n\tImage pulumi\.StringPtrInput /m);
        expect(types).toMatch(/^type DockerArgs struct \{[^}]*\n\tNetworks \[\]pulumi\.StringInput /m);
        expect(types).toMatch(/^type DockerArgs struct \{[^}]*\n\tPublicPort \*int /m);
        expect(types).not.toMatch(/KeysetArgsArgs/);

        const preview = await goStack.previewJson();
        expect(preview.steps.some((s) => s.op === "create" && s.urn.endsWith(`::${COMPONENT}::kong-keys`))).toBe(true);
        expect(childCreates(preview).length).toBe(9);
    });
});

describe("the component package where its launcher cannot run (Windows)", () => {
    it("is started through PulumiPlugin.yaml and the Node.js language host's plugin runner, and previews the same children", async () => {
        // The package folder as Windows sees it: every file of provider/ but the launcher, which has
        // neither of the extensions (.exe, .cmd) Pulumi looks for there.
        const folder = path.join(runPluginStack.home, "provider");
        fs.rmSync(folder);
        fs.mkdirSync(folder);
        for (const entry of fs.readdirSync(path.join(ROOT, "provider"))) {
            if (entry !== "pulumi-resource-kong-signing-key-host") fs.symlinkSync(path.join(ROOT, "provider", entry), path.join(folder, entry));
        }
        await runPluginStack.init({ subnet: YAML_SUBNET, kongSources: [YAML_SUBNET], image: TEST_IMAGE });
        await runPluginStack.cli(["install"]);
        const launches = await packageLaunches(runPluginStack);
        // The engine logs the path it tried first, then how it started the package instead.
        expect(launches.filter((l) => l.includes("via runtime 'nodejs'")).length).toBeGreaterThan(0);
        const preview = await runPluginStack.previewJson();
        expect(childCreates(preview).length).toBe(14);
    });
});

describe("the component package from a git host, at a tag", () => {
    it("`pulumi package add <git URL>/provider@v0.2.0` installs the tagged package and a YAML stack previews it", async () => {
        // A bare copy of this repository's committed HEAD, tagged v0.2.0, on a git host on loopback.
        const projects = path.join(gitStack.home, "git");
        const bare = path.join(projects, "kskh", "kong-signing-key-host.git");
        execFileSync("git", ["clone", "--quiet", "--bare", ROOT, bare]);
        execFileSync("git", ["-C", bare, "tag", "-f", "v0.2.0", "HEAD"]);
        // Port 443: pulumi 3.248 installs from a URL with a port, then crashes recording it (IsLocalPluginPath).
        const server = await startGitServer(projects, 443);
        const caFile = path.join(gitStack.home, "git-ca.pem");
        fs.writeFileSync(caFile, server.caCertPem);
        Object.assign(gitStack.extraEnv, { SSL_CERT_FILE: caFile });
        const home = gitStack.env.PULUMI_HOME!;
        const pluginsBefore = new Set(fs.readdirSync(path.join(home, "plugins")));
        try {
            await gitStack.init({ subnet: YAML_SUBNET, kongSources: [YAML_SUBNET], image: TEST_IMAGE });
            dropPackages(gitStack);
            const source = `${server.origin}/kskh/kong-signing-key-host.git/provider@v0.2.0`;
            const added = await gitStack.cli(["package", "add", source]);
            // The git host's first path segment becomes the package's namespace.
            expect(added.stderr).toContain("Added package kskh/kong-signing-key-host");
            const project = yaml.load(fs.readFileSync(path.join(gitStack.dir, "Pulumi.yaml"), "utf8")) as { packages: Record<string, unknown> };
            expect(project.packages).toEqual({ "kong-signing-key-host": "localhost/kskh/kong-signing-key-host.git/provider@v0.2.0" });
            const preview = await gitStack.previewJson();
            // The example at this commit: 9 children, and 5 more for Kong's client certificate (mTLS).
            expect(childCreates(preview).length).toBe(14);
        } finally {
            await server.close();
            // The installed package (with its node_modules) is this test's: leave the shared plugin folder as it was.
            for (const entry of fs.readdirSync(path.join(home, "plugins"))) {
                if (!pluginsBefore.has(entry)) fs.rmSync(path.join(home, "plugins", entry), { recursive: true, force: true });
            }
        }
    });
});
