import { type ChildProcess, spawn } from "node:child_process";
import * as grpc from "@grpc/grpc-js";

/* eslint-disable @typescript-eslint/no-require-imports */
const providerRpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const providerProto = require("@pulumi/pulumi/proto/provider_pb");

export interface ProviderProcess {
    readonly port: number;
    /** Milliseconds from spawn to the port line on stdout (the provider serving). */
    readonly readyMs: number;
    getSchema(): Promise<string>;
    stop(): Promise<void>;
}

/**
 * Starts a provider the way the engine does — through the Node.js language host's RunPlugin (`node
 * <args>`) or, with `command`, a plugin executable — reads the port from its stdout and connects a real
 * gRPC client to it. The engine address argument is a placeholder: serving the schema needs no engine.
 */
export async function startProviderProcess(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; command?: string }): Promise<ProviderProcess> {
    const started = process.hrtime.bigint();
    const child: ChildProcess = spawn(options.command ?? process.execPath, [...args, "127.0.0.1:1"], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d) => { stderr += d; });
    const port = await new Promise<number>((resolve, reject) => {
        let stdout = "";
        child.stdout!.on("data", (d) => {
            stdout += d;
            const match = /^(\d+)\s*$/m.exec(stdout);
            if (match) resolve(Number(match[1]));
        });
        child.on("exit", (code) => reject(new Error(`provider exited (${code}) before serving: ${stderr}`)));
    });
    const readyMs = Number(process.hrtime.bigint() - started) / 1e6;
    const client = new providerRpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return {
        port,
        readyMs,
        getSchema: () => new Promise<string>((resolve, reject) => {
            client.getSchema(new providerProto.GetSchemaRequest(), (err: Error | null, res: { getSchema(): string }) => (err ? reject(err) : resolve(res.getSchema())));
        }),
        async stop() {
            client.close();
            if (child.exitCode === null) {
                const exited = new Promise((r) => child.once("exit", r));
                child.kill("SIGTERM");
                await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
                if (child.exitCode === null) child.kill("SIGKILL");
            }
        },
    };
}
