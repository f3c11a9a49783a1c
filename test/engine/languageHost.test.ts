import { spawn } from "node:child_process";
import * as grpc from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { engineEnv } from "../support/engine/exampleStack";

// Our language hosts (engine/langhost) watch the engine that started them, as Pulumi's own hosts do: the
// engine starts a host in a process group of its own, so when the engine is killed nothing else ends it.
// The "engine" here is a gRPC server of the test's own on loopback (it implements nothing, and a host's
// health check takes "unimplemented" as alive).

async function fakeEngine(): Promise<{ address: string; stop: () => void }> {
    const server = new grpc.Server();
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
    return { address: `127.0.0.1:${port}`, stop: () => server.forceShutdown() };
}

describe("our language hosts and the engine that started them", () => {
    it.concurrent.each(["pulumi-language-nodejs", "pulumi-language-python", "pulumi-language-go"])("%s serves while the engine answers, and exits once it does not", async (binary) => {
        const engine = await fakeEngine();
        const host = spawn(binary, [engine.address], { env: engineEnv(), stdio: ["ignore", "pipe", "pipe"] });
        try {
            const port = await new Promise<string>((resolve, reject) => {
                host.stdout.once("data", (d: Buffer) => resolve(d.toString().trim()));
                host.once("exit", (code) => reject(new Error(`${binary} exited ${code} before serving`)));
            });
            expect(port).toMatch(/^\d+$/);
            const exited = new Promise<number>((resolve) => host.once("exit", () => resolve(Date.now())));
            // Two health checks' time with the engine up: still serving.
            const stillUp = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 11_000))]);
            expect(stillUp).toBe(true);
            const stopped = Date.now();
            engine.stop();
            const end = await Promise.race([exited, new Promise<number>((r) => setTimeout(() => r(-1), 30_000))]);
            expect(end, `${binary} still running 30 s after the engine went away`).toBeGreaterThan(0);
            console.log(`${binary}: exited ${((end - stopped) / 1000).toFixed(1)} s after the engine went away`);
        } finally {
            if (host.exitCode === null) host.kill("SIGKILL");
            engine.stop();
        }
    }, 60_000);
});
