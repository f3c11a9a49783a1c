// Loads a Pulumi TypeScript program exactly as `pulumi up` does, without an engine: mocks first, then
// the SDK's own run entry (`@pulumi/pulumi/cmd/run`), which registers ts-node with the project's
// TypeScript (type-checking) and runs the entry point. Writes what was registered to a JSON file.
//
//   PULUMI_CONFIG='{"project:key":"value"}' node loadProgram.js <projectDir> <resultFile>
// (config must be in the environment before the SDK loads: it reads it once.)
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const [projectDir, resultFile] = process.argv.slice(2);
const project = path.resolve(projectDir);
const requireFromProject = (id) => require(require.resolve(id, { paths: [project] }));
const pulumi = requireFromProject("@pulumi/pulumi");
const { RealCryptoMocks, unwrapSecrets, SECRET_SIG } = require("./realCryptoMocks");

const mocks = new RealCryptoMocks({ pulumi });
let failure;
process.on("uncaughtException", (e) => { failure = failure ?? e; });

process.on("exit", () => {
    const monitor = requireFromProject("@pulumi/pulumi/runtime/settings").getMonitor();
    const stack = [...(monitor?.resources?.values() ?? [])].find((r) => r.urn.includes("::pulumi:pulumi:Stack::"));
    const outputs = stack?.state ? (stack.state.toJavaScript ? stack.state.toJavaScript() : stack.state) : undefined;
    const secretOutputs = outputs ? Object.keys(outputs).filter((k) => outputs[k] && outputs[k][SECRET_SIG]) : [];
    fs.writeFileSync(resultFile, JSON.stringify({
        error: failure ? String(failure.stack ?? failure) : undefined,
        exitCode: process.exitCode,
        resources: mocks.resources.map((r) => ({ type: r.type, name: r.name, plain: r.plain })),
        outputs: outputs ? unwrapSecrets(outputs) : undefined,
        secretOutputs,
    }));
});

(async () => {
    await pulumi.runtime.setMocks(mocks, "kong-signing-key-host", "dev", false, "organization");
    process.env.PULUMI_NODEJS_TYPESCRIPT = "true";
    process.chdir(project);
    process.argv = [process.argv[0], "run", "--monitor=127.0.0.1:1", "--project=kong-signing-key-host", "--stack=dev", "."];
    require(require.resolve("@pulumi/pulumi/cmd/run", { paths: [project] }));
})().catch((e) => { failure = e; process.exitCode = 1; });
