import * as tar from "tar-stream";
import type Docker from "dockerode";
import { demuxLogs, sleep } from "./engine";

/** Runs a command in a running container; returns its exit code and output. */
export async function execIn(container: Docker.Container, cmd: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({ hijack: true, stdin: false });
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
        stream.on("data", (d: Buffer) => chunks.push(d));
        stream.on("end", () => resolve());
        stream.on("error", reject);
    });
    const { stdout, stderr } = demuxLogs(Buffer.concat(chunks));
    const info = await exec.inspect();
    return { exitCode: info.ExitCode ?? -1, stdout, stderr };
}

/** Owner, group and mode of every entry under a path in the container. */
export async function archiveEntries(container: Docker.Container, path: string): Promise<{ name: string; uid: number; gid: number; mode: number }[]> {
    const stream = await container.getArchive({ path });
    const extract = tar.extract();
    const entries: { name: string; uid: number; gid: number; mode: number }[] = [];
    extract.on("entry", (header, body, next) => {
        entries.push({ name: header.name, uid: header.uid ?? -1, gid: header.gid ?? -1, mode: (header.mode ?? 0) & 0o7777 });
        body.on("end", next);
        body.resume();
    });
    await new Promise<void>((resolve, reject) => {
        extract.on("finish", () => resolve());
        extract.on("error", reject);
        stream.pipe(extract);
    });
    return entries;
}

/** Resolves when Docker reports the container healthy (its healthcheck passed); returns the wait in ms. */
export async function waitHealthy(container: Docker.Container, timeoutMs: number): Promise<number> {
    const started = Date.now();
    for (;;) {
        const info = await container.inspect();
        if (info.State.Health?.Status === "healthy") return Date.now() - started;
        if (!info.State.Running && info.State.Restarting !== true) throw new Error(`container stopped: ${JSON.stringify(info.State)}`);
        if (Date.now() - started > timeoutMs) throw new Error(`not healthy after ${timeoutMs} ms: ${JSON.stringify(info.State.Health)}`);
        await sleep(100);
    }
}
