import Docker from "dockerode";
import { requireDocker } from "../requirements";

/** Every object the real-Docker tests create carries this label, with the run's id as value. */
export const RUN_LABEL = "io.github.kong-signing-key-host.test-run";
/** The image the harness swaps in for the declared one: Debian's nginx + curl (scripts/provision.sh). */
export const TEST_IMAGE = process.env.KSKH_TEST_IMAGE ?? "kong-signing-key-host-test/nginx:local";

let client: Docker | undefined;

export function docker(): Docker {
    requireDocker();
    client ??= new Docker({ socketPath: "/var/run/docker.sock" });
    return client;
}

export async function requireTestImage(): Promise<void> {
    try {
        await docker().getImage(TEST_IMAGE).inspect();
    } catch {
        throw new Error(`image ${TEST_IMAGE} is missing: run \`bash scripts/provision.sh\` (builds it from Debian's nginx)`);
    }
}

/** Removes every container and network labelled with this run id (also after a failed test). */
export async function cleanupRun(runId: string): Promise<void> {
    const d = docker();
    const filters = JSON.stringify({ label: [`${RUN_LABEL}=${runId}`] });
    for (const info of await d.listContainers({ all: true, filters })) {
        await d.getContainer(info.Id).remove({ force: true, v: true }).catch(() => undefined);
    }
    for (const info of await d.listNetworks({ filters })) {
        await d.getNetwork(info.Id).remove().catch(() => undefined);
    }
}

/** Splits Docker's multiplexed (non-TTY) log stream into stdout and stderr text. */
export function demuxLogs(buffer: Buffer): { stdout: string; stderr: string } {
    let stdout = "";
    let stderr = "";
    let offset = 0;
    while (offset + 8 <= buffer.length) {
        const stream = buffer[offset];
        const size = buffer.readUInt32BE(offset + 4);
        const chunk = buffer.subarray(offset + 8, offset + 8 + size).toString("utf8");
        if (stream === 2) stderr += chunk; else stdout += chunk;
        offset += 8 + size;
    }
    return { stdout, stderr };
}

export async function containerLogs(container: Docker.Container): Promise<{ stdout: string; stderr: string }> {
    const raw = await container.logs({ stdout: true, stderr: true, follow: false });
    return demuxLogs(Buffer.isBuffer(raw) ? raw : Buffer.from(raw as unknown as string));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
