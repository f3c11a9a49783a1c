import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clusterEnv, kubectl, kubectlOk } from "../support/cluster";
import { TEST_IMAGE } from "../support/docker/engine";
import { ExampleStack } from "../support/engine/exampleStack";
import { clientSecrets, fetchFrom, KONG, type KeyHostOutputs, restrictedNamespace } from "../support/keyHostClients";

// examples/yaml-kubernetes: the Kubernetes target from a YAML stack, through the component package that
// `pulumi package add ../../provider` writes into the project, on the real cluster.
const runId = `ky${randomBytes(3).toString("hex")}`;
const NS = `${runId}-keys`;

describe("a YAML stack (examples/yaml-kubernetes) with the component package, on the cluster", () => {
    const stack = new ExampleStack(`${runId}-yaml-k8s`, { source: "examples/yaml-kubernetes", language: "yaml" });

    beforeAll(async () => {
        clusterEnv();
        kubectlOk(["apply", "-f", "-"], restrictedNamespace(NS, runId));
        Object.assign(stack.extraEnv, { KUBECONFIG: clusterEnv().KUBECONFIG });
        await stack.init({ namespace: NS, image: TEST_IMAGE, imagePullPolicy: "Never" });
    }, 120_000);

    afterAll(async () => {
        await stack.cli(["destroy", "--yes", "--non-interactive", "--skip-preview", "--stack", stack.stack], { allowFailure: true });
        kubectl(["delete", "namespace", NS, "--wait=true", "--timeout=120s"]);
        stack.removeFolder();
    }, 300_000);

    it("`package add` writes the committed packages block; `up` serves Kong's pod and refuses it without its certificate; secrets stay secret; `destroy` empties the namespace", async () => {
        const file = path.join(stack.dir, "Pulumi.yaml");
        const committed = fs.readFileSync(file, "utf8");
        fs.writeFileSync(file, committed.replace(/^packages:\n(?: {2}.*\n)+/m, ""));
        const added = await stack.cli(["package", "add", "../../provider"]);
        expect(added.stderr).toContain("Added package kong-signing-key-host");
        expect(fs.readFileSync(file, "utf8")).toMatch(/^packages:\n {2}kong-signing-key-host: \.\.\/\.\.\/provider\n/m);

        await stack.up();
        const out = await stack.outputs(true) as KeyHostOutputs;
        expect(out.kubernetesNamespace).toBe(NS);
        expect(JSON.parse(kubectlOk(["-n", NS, "get", "deployment", out.serviceName, "-o", "json"])).status.readyReplicas).toBe(2);
        clientSecrets(out, NS);
        const [kong, without] = await Promise.all([
            fetchFrom(NS, KONG, out.privateKeysetUrls.access, { cert: true, retries: 10 }),
            fetchFrom(NS, KONG, out.privateKeysetUrls.access, { cert: false, retries: 10 }),
        ]);
        expect(kong.status, kong.log).toBe("200");
        expect(JSON.parse(kong.body).keys.map((k: { kid: string }) => k.kid)).toEqual([out.activeKids.access]);
        expect(without.status, without.log).toBe("403");

        const shown = await stack.outputs(false);
        expect(shown.privateJwks).toBe("[secret]");
        expect(shown.kongClientCertificate).toBe("[secret]");
        expect(JSON.stringify(shown)).not.toMatch(/PRIVATE KEY/);

        await stack.cli(["destroy", "--yes", "--non-interactive", "--skip-preview", "--stack", stack.stack]);
        kubectlOk(["-n", NS, "delete", "pods,secrets", "--all", "--wait=true"]);
        const left = kubectlOk(["-n", NS, "get", "all,configmaps,secrets,networkpolicies,poddisruptionbudgets", "-o", "name"]).split("\n").filter(Boolean);
        expect(left).toEqual(["configmap/kube-root-ca.crt"]);
    }, 600_000);
});
