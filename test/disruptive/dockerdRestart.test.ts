import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildClientImage, runClient } from "../support/docker/clients";
import { cleanupRun, docker, requireTestImage, sleep, TEST_IMAGE } from "../support/docker/engine";
import { deploymentOf } from "../support/engine/deployment";
import { ExampleStack } from "../support/engine/exampleStack";
import { freePort } from "../support/hostNginx";
import { httpsRequest } from "../support/https";

// Drill: the Docker engine itself restarts under a running key host. It stops every container, so this
// file runs alone, after every other test (vitest.disruptive.config.ts, scripts/test.sh), and it restarts
// only a dockerd that scripts/provision.sh of this checkout started (its PID in .state/dockerd.pid).
const ROOT = path.resolve(__dirname, "..", "..");
const runId = `dr${randomBytes(3).toString("hex")}`;
const SUBNET = "172.16.209.0/24";
const KONG_IP = "172.16.209.10";
const stack = new ExampleStack(runId);
let publicPort: number;
let ca: string;
let privateUrl: string;

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** The dockerd this checkout started, or a loud failure naming the setup that makes it so. */
function ownDockerd(): number {
    const file = path.join(ROOT, ".state", "dockerd.pid");
    const pid = fs.existsSync(file) ? Number(fs.readFileSync(file, "utf8").trim()) : NaN;
    const alive = Number.isInteger(pid) && fs.existsSync(`/proc/${pid}`) && fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "dockerd";
    if (!alive) {
        throw new Error("this drill restarts only a dockerd that scripts/provision.sh of this checkout started (.state/dockerd.pid); " +
            "the running one is not: stop it where it was started, then run `bash scripts/provision.sh`");
    }
    return pid;
}

beforeAll(async () => {
    ownDockerd();
    await requireTestImage();
    buildClientImage();
    publicPort = await freePort();
    await stack.init({ kongSources: [SUBNET], subnet: SUBNET, publicPort, image: TEST_IMAGE, accessGenerations: ["2026-11"], channelGenerations: ["2026-11"] });
    await stack.up();
    const out = await stack.outputs();
    ca = out.caCertPem;
    privateUrl = out.privateKeysetUrls.access;
}, 600_000);

afterAll(async () => {
    await cleanupRun(runId);
    await stack.destroy();
    stack.removeFolder();
}, 300_000);

describe("dockerd restarted under a running key host", () => {
    it("serves again, byte-identical, on its own (restart policy); `pulumi preview` then shows no change", async () => {
        const kongNetwork = (await stack.outputs()).kongNetworkNames[0];
        const kong = () => runClient<{ status: number; sha256: string; kid: string }>({ runId, network: kongNetwork, ip: KONG_IP, spec: { mode: "kong", privateUrl, ca } });
        const publicJwks = async () => (await httpsRequest({ port: publicPort, path: "/public/access/jwks.json", ca, servername: "kong-keys" })).body;
        const kongBefore = await kong();
        const publicBefore = await publicJwks();
        const hostBefore = (await deploymentOf(stack, kongNetwork)).host.id;

        const pid = ownDockerd();
        process.kill(pid, "SIGTERM");
        for (let i = 0; i < 300 && fs.existsSync(`/proc/${pid}`); i++) await sleep(100);
        expect(fs.existsSync(`/proc/${pid}`)).toBe(false);
        const started = Date.now();
        execFileSync("bash", [path.join(ROOT, "scripts", "provision.sh")], { stdio: "ignore" });
        const dockerdUpMs = Date.now() - started;
        // Serving again through the published port: the proxy and the key host both came back.
        let servingMs = -1;
        while (Date.now() - started < 60_000) {
            try {
                if (sha256(await publicJwks()) === sha256(publicBefore)) { servingMs = Date.now() - started; break; }
            } catch { /* not yet */ }
            await sleep(100);
        }
        const kongAfter = await kong();
        const hostAfter = (await deploymentOf(stack, kongNetwork)).host.id;
        const preview = await stack.cli(["preview", "--expect-no-changes", "--non-interactive", "--stack", stack.stack], { allowFailure: true });
        const refresh = await stack.cli(["refresh", "--expect-no-changes", "--yes", "--non-interactive", "--skip-preview", "--stack", stack.stack], { allowFailure: true });
        console.log(`dockerd restart: ${JSON.stringify({ dockerdUpMs, servingAfterDockerdStartMs: servingMs })}`);
        expect(servingMs).toBeGreaterThan(0);
        expect(hostAfter).toBe(hostBefore); // the same container, restarted by its policy
        expect(kongAfter).toMatchObject({ status: 200, sha256: kongBefore.sha256, kid: kongBefore.kid });
        expect(preview.code, preview.stdout.slice(-2000)).toBe(0);
        expect(refresh.code, refresh.stdout.slice(-2000)).toBe(0);
        expect((await docker().getContainer(hostAfter).inspect()).State.Running).toBe(true);
    }, 300_000);
});
