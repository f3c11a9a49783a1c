import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as jose from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clusterEnv, kubectl, kubectlOk } from "../support/cluster";
import { TEST_IMAGE } from "../support/docker/engine";
import { ExampleStack } from "../support/engine/exampleStack";
import { clientSecrets, fetchFrom, KONG, type KeyHostOutputs as Outputs, restrictedNamespace, startLoop } from "../support/keyHostClients";

// examples/kubernetes through the real engine and the kubernetes plugin on the cluster scripts/cluster.sh
// runs (Pod Security `restricted` enforced, NetworkPolicy enforced by kube-router). Clients are curl pods
// of this test in its own namespaces; every request goes to this test's Service, in bounded loops.
const runId = `kk${randomBytes(3).toString("hex")}`;
const NS = `${runId}-keys`;
const OTHER_NS = `${runId}-other`;

/**
 * `pulumi preview --diff` as a reviewer reads it, made stable: no URNs, ids or provider references, the
 * test's namespace, the provider's random name suffixes, digests, kids and public key material replaced.
 */
function normalizePreview(text: string, kids: Map<string, string>): string {
    let out = text.split("\n")
        .filter((l) => !/^\s*\[(id|provider)=/.test(l) && l.trim() !== "" && !/^Previewing update|^\s*View in Browser/.test(l))
        .map((l) => l.replace(/\[urn=urn:pulumi:[^\]]*::([^:\]]+)\]/, "[urn=…::$1]"))
        .join("\n")
        .split(NS).join("<namespace>")
        .replace(/(kong-keys-files-(?:private|public))-[a-z0-9]{8}\b/g, "$1-<random>")
        .split("\n").map((l) => (l.includes("kong-signing-key-host/public-files") ? l.replace(/"[0-9a-f]{16}"/g, '"<digest>"') : l)).join("\n")
        // Certificates differ every run (the display cuts them short).
        .replace(/"-----BEGIN CERTIFICATE-----[^"]*"/g, '"<certificate>"')
        .split("\n").map((l) => (/^\s*[~+-]?\s*(n|x|y)\s*:/.test(l) ? l.replace(/"[A-Za-z0-9_-]{16,}(\.\.\.)?"/g, '"…"') : l)).join("\n");
    for (const [kid, label] of kids) out = out.split(kid).join(`<${label}>`);
    return out;
}

describe("KongSigningKeyHost on Kubernetes (examples/kubernetes, real engine, real cluster)", () => {
    const stack = new ExampleStack(`${runId}-k8s`, { source: "examples/kubernetes" });
    let out: Outputs;
    const baseConfig = { namespace: NS, image: TEST_IMAGE, imagePullPolicy: "Never", accessGenerations: ["2026-11"], channelGenerations: ["2026-11"] };

    beforeAll(async () => {
        clusterEnv();
        for (const ns of [NS, OTHER_NS]) kubectlOk(["apply", "-f", "-"], restrictedNamespace(ns, runId));
        Object.assign(stack.extraEnv, { KUBECONFIG: clusterEnv().KUBECONFIG });
        await stack.init(baseConfig);
    }, 120_000);

    afterAll(async () => {
        await stack.cli(["destroy", "--yes", "--non-interactive", "--skip-preview", "--stack", stack.stack], { allowFailure: true });
        kubectl(["delete", "namespace", NS, OTHER_NS, "--wait=true", "--timeout=120s"]);
        stack.removeFolder();
    }, 300_000);

    it("`up` runs every replica Ready and hardened under Pod Security `restricted`", async () => {
        await stack.up();
        out = await stack.outputs(true) as Outputs;
        expect(out.kubernetesNamespace).toBe(NS);
        expect(out.privateKeysetUrls.access).toBe(`https://${out.serviceName}.${NS}.svc.cluster.local:8443/private/access/jwks.json`);
        const deployment = JSON.parse(kubectlOk(["-n", NS, "get", "deployment", out.serviceName, "-o", "json"]));
        expect(deployment.status.readyReplicas).toBe(2);
        const pods = JSON.parse(kubectlOk(["-n", NS, "get", "pods", "-l", `app.kubernetes.io/instance=${out.serviceName}`, "-o", "json"])).items;
        expect(pods.length).toBe(2);
        for (const pod of pods) {
            expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 101, fsGroup: 101 });
            expect(pod.spec.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
            expect(pod.spec.automountServiceAccountToken).toBe(false);
        }
        // The served files, as nginx sees them: root-owned, private ones readable by the group only.
        const listing = kubectlOk(["-n", NS, "get", "pod", pods[0].metadata.name, "-o", "jsonpath={.spec.volumes[0].projected.sources}"]);
        expect(listing).toMatch(/"mode":288/); // 0440
        clientSecrets(out, NS);
        clientSecrets(out, OTHER_NS);
    }, 400_000);

    it("gives Kong's pod with its certificate the private keyset, refuses it without, and keeps other pods off the private port", async () => {
        const url = out.privateKeysetUrls.access;
        const [kong, kongWithout, unlabelled, otherNamespace] = await Promise.all([
            fetchFrom(NS, KONG, url, { cert: true, retries: 10 }),
            fetchFrom(NS, KONG, url, { cert: false, retries: 10 }),
            fetchFrom(NS, { app: "other" }, url, { cert: true, retries: 3 }),
            fetchFrom(OTHER_NS, KONG, url, { cert: true, retries: 3 }),
        ]);
        expect(kong.status, kong.log).toBe("200");
        const served = JSON.parse(kong.body) as { keys: jose.JWK[] };
        expect(served.keys.map((k) => k.kid)).toEqual([out.activeKids.access]);
        expect(served.keys[0].d).toBeDefined();
        expect(kongWithout.status, kongWithout.log).toBe("403");
        expect(kongWithout.body).not.toContain('"d"');
        // The NetworkPolicy: not even a TCP connection (curl 7: refused by kube-router, 28: timed out).
        for (const refused of [unlabelled, otherNamespace]) {
            expect(refused.phase, refused.log).toBe("Failed");
            expect(refused.log).toMatch(/curl: \((7|28)\)/);
            expect(refused.log).not.toContain('"d"');
        }
    }, 300_000);

    it("serves the public JWKS to any pod, in any namespace, and it verifies what Kong signs", async () => {
        const [here, there] = await Promise.all([
            fetchFrom(NS, { app: "upstream" }, out.publicJwksUrls.access, { cert: false, retries: 10 }),
            fetchFrom(OTHER_NS, { app: "upstream" }, out.publicJwksUrls.access, { cert: false, retries: 10 }),
        ]);
        for (const r of [here, there]) {
            expect(r.status, r.log).toBe("200");
            expect(r.body).not.toContain('"d"');
        }
        const jwks = JSON.parse(there.body) as jose.JSONWebKeySet;
        expect(jwks).toEqual(out.publicJwks.access);
        // A token as Kong would sign it with the private keyset, verified upstream with what the pod read.
        const signingKey = out.privateJwks.access.keys[0];
        const token = await new jose.SignJWT({ sub: "user" }).setProtectedHeader({ alg: signingKey.alg!, kid: signingKey.kid })
            .setIssuer("kong").setExpirationTime("5m").sign(await jose.importJWK(signingKey, signingKey.alg));
        const verified = await jose.jwtVerify(token, jose.createLocalJWKSet(jwks), { issuer: "kong" });
        expect(verified.protectedHeader.kid).toBe(out.activeKids.access);
        // The public port serves no private path, even to Kong.
        const viaPublic = await fetchFrom(NS, KONG, out.privateKeysetUrls.access.replace(":8443/", ":9443/"), { cert: true, retries: 10 });
        expect(viaPublic.status).toBe("404");
    }, 300_000);

    it("keeps serving Kong while a replica is deleted, and through three rotation steps (rolling, surge first)", async () => {
        const counts: Record<string, unknown> = {};
        const underLoad = async (step: string, action: () => Promise<unknown>, count = 300) => {
            const [kong, upstream] = await Promise.all([
                startLoop(NS, KONG, out.privateKeysetUrls.access, true, count),
                startLoop(OTHER_NS, { app: "upstream" }, out.publicJwksUrls.access, false, count),
            ]);
            await action();
            const result = { kong: await kong(), upstream: await upstream() };
            counts[step] = result;
            return result;
        };
        const pods = () => kubectlOk(["-n", NS, "get", "pods", "-l", `app.kubernetes.io/instance=${out.serviceName}`, "-o", "name"]).split("\n").filter(Boolean);

        const deleted = await underLoad("delete one replica", async () => {
            kubectlOk(["-n", NS, "delete", pods()[0], "--wait=false"]);
            await new Promise((r) => setTimeout(r, 10_000));
        }, 200);
        const steps: [string, Record<string, unknown>][] = [
            ["pre-publish", { accessGenerations: ["2026-11", "2026-12"], accessActive: "2026-11" }],
            ["promote", { accessGenerations: ["2026-11", "2026-12"], accessActive: "2026-12" }],
            ["retire", { accessGenerations: ["2026-12"], accessActive: "2026-12" }],
        ];
        const rotated = [];
        const previews: Record<string, string> = {};
        for (const [step, config] of steps) {
            await stack.setConfig(config);
            previews[step] = await stack.previewText();
            rotated.push(await underLoad(step, () => stack.up()));
        }
        console.log(`kubernetes key host under load: ${JSON.stringify(counts)}`);
        for (const r of [deleted, ...rotated]) {
            for (const side of [r.kong, r.upstream]) {
                expect(side.failed).toEqual([]);
                expect(side.ok).toBeGreaterThan(50);
            }
        }
        // Each step's `preview --diff`: a rolling update of the Deployment (never a replacement), new files
        // as a new Secret and ConfigMap, what changes shown in clear on the pod template, nothing private.
        const expected: Record<string, [string, string]> = {
            "pre-publish": ["published 2026-11; active 2026-11", "published 2026-11,2026-12; active 2026-11"],
            promote: ["published 2026-11,2026-12; active 2026-11", "published 2026-11,2026-12; active 2026-12"],
            retire: ["published 2026-11,2026-12; active 2026-12", "published 2026-12; active 2026-12"],
        };
        for (const [step, text] of Object.entries(previews)) {
            expect(text, step).toMatch(/~ kubernetes:apps\/v1:Deployment/);
            expect(text, step).not.toMatch(/[+-]{2}\s*kubernetes:apps\/v1:Deployment|replace.*Deployment/);
            // Each step replaces only what it changes: a promotion the private files (the Secret), a
            // pre-publish or a retirement the public ones (the ConfigMap).
            expect(text.match(/\+-\s*kubernetes:core\/v1:Secret/) !== null, step).toBe(step === "promote");
            expect(text.match(/\+-\s*kubernetes:core\/v1:ConfigMap/) !== null, step).toBe(step !== "promote");
            expect(text, step).toContain(`"${expected[step][0]}" => "${expected[step][1]}"`);
            expect(text, step).not.toMatch(/PRIVATE KEY|"d":/);
        }
        // The README's "On Kubernetes" quotes these real previews, made stable.
        const after = await stack.outputs(true) as Outputs;
        const kids = new Map<string, string>([
            [out.activeKids.access, "access.2026-11"], [after.activeKids.access, "access.2026-12"], [out.activeKids.channel, "channel.2026-11"]]);
        const golden = Object.entries(previews).map(([step, text]) => `# ${step}\n${normalizePreview(text, kids)}`).join("\n\n") + "\n";
        await expect(golden).toMatchFileSnapshot("../golden/kubernetes-rotation-preview.txt");
        expect(fs.readFileSync(path.resolve(__dirname, "..", "..", "README.md"), "utf8")).toContain(golden.trim());
        expect(after.publicJwks.access.keys.map((k) => k.kid)).toEqual([after.activeKids.access]);
        expect(after.activeKids.access).not.toBe(out.activeKids.access);
        const kong = await fetchFrom(NS, KONG, out.privateKeysetUrls.access, { cert: true, retries: 10 });
        expect(JSON.parse(kong.body).keys.map((k: jose.JWK) => k.kid)).toEqual([after.activeKids.access]);
        expect(JSON.parse(kubectlOk(["-n", NS, "get", "deployment", out.serviceName, "-o", "json"])).status.readyReplicas).toBe(2);
        out = after;
    }, 900_000);

    it("with kongNamespaceLabels, admits Kong's pods of that namespace and no longer those of its own (only the policy changes)", async () => {
        await stack.setConfig({ kongNamespace: OTHER_NS });
        const preview = await stack.previewJson();
        const changed = preview.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.urn.split("::").pop()}`);
        expect(changed).toEqual(["update kong-keys-network-policy"]);
        await stack.up();
        const url = out.privateKeysetUrls.access;
        const [there, here] = await Promise.all([
            fetchFrom(OTHER_NS, KONG, url, { cert: true, retries: 10 }),
            fetchFrom(NS, KONG, url, { cert: true, retries: 3 }),
        ]);
        expect(there.status, there.log).toBe("200");
        expect(JSON.parse(there.body).keys.map((k: jose.JWK) => k.kid)).toEqual([out.activeKids.access]);
        expect(here.phase, here.log).toBe("Failed");
        expect(here.log).toMatch(/curl: \((7|28)\)/);
        await stack.setConfig({ kongNamespace: undefined });
        await stack.up();
    }, 300_000);

    it("a second `up` and a refresh change nothing; state and ConfigMaps hold no private key in clear; `destroy` empties the namespace", async () => {
        const second = await stack.cli(["up", "--expect-no-changes", "--yes", "--non-interactive", "--skip-preview", "--stack", stack.stack], { allowFailure: true });
        expect(second.code, second.stdout.slice(-3000)).toBe(0);
        const refresh = await stack.cli(["refresh", "--expect-no-changes", "--yes", "--non-interactive", "--skip-preview", "--stack", stack.stack], { allowFailure: true });
        expect(refresh.code, refresh.stdout.slice(-3000)).toBe(0);
        const state = JSON.stringify(await stack.exportState());
        expect(state).not.toMatch(/PRIVATE KEY|\\"d\\":/);
        expect(state).toContain("kubernetes:apps/v1:Deployment");
        const configMaps = kubectlOk(["-n", NS, "get", "configmaps", "-o", "json"]);
        expect(configMaps).toContain("public_access.jwks.json");
        expect(configMaps).not.toMatch(/PRIVATE KEY|\\"d\\":/);

        await stack.cli(["destroy", "--yes", "--non-interactive", "--skip-preview", "--stack", stack.stack]);
        kubectlOk(["-n", NS, "delete", "pods,secrets", "--all", "--wait=true"]);
        const left = kubectlOk(["-n", NS, "get", "all,configmaps,secrets,networkpolicies,poddisruptionbudgets", "-o", "name"]).split("\n").filter(Boolean);
        expect(left).toEqual(["configmap/kube-root-ca.crt"]);
    }, 600_000);
});
