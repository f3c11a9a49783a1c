#!/usr/bin/env node
// kong-signing-key-host-sweep: finds key host containers that a stack's state does not own — what an
// interrupted `pulumi up` leaves behind — and, with --remove, removes them. Run it in the stack's
// project folder (the Pulumi CLI and the docker CLI on PATH, the same environment as `pulumi up`).
//
//   kong-signing-key-host-sweep [--stack <name>] [--docker-host <host>] [--remove]
//
// Removes only containers labelled with this stack and an instance whose server key is in this stack's
// state. Reports (never removes) any other container that answers to a key host's name on its network, and
// a key host of the state that is no longer on a network (or under an alias) the state declares. Refuses
// while the state has pending operations: resolve them first (README, "When things go wrong").
// Exit: 0 nothing left to do, 1 something found (orphans without --remove, foreign, detached), 2 cannot decide.
// @ts-check
"use strict";
const { execFileSync } = require("node:child_process");
const { LABEL_PREFIX, stateContainers, sweepPlan } = require("./sweepPlan");

function parseArgs(argv) {
    const opts = { remove: false, stack: undefined, dockerHost: undefined };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--remove") opts.remove = true;
        else if (a === "--stack" || a === "-s") opts.stack = argv[++i];
        else if (a === "--docker-host" || a === "-H") opts.dockerHost = argv[++i];
        else if (a === "--help" || a === "-h") { process.stdout.write(`usage: kong-signing-key-host-sweep [--stack <name>] [--docker-host <host>] [--remove]\n`); process.exit(0); }
        else throw new Error(`unknown argument ${JSON.stringify(a)} (see --help)`);
    }
    return opts;
}

function run(cmd, args) {
    try {
        return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 256 * 1024 * 1024 });
    } catch (e) {
        const err = /** @type {{ stderr?: string, message: string }} */ (e);
        throw new Error(`${cmd} ${args.join(" ")} failed: ${(err.stderr || err.message).trim()}`);
    }
}

function main() {
    const opts = parseArgs(process.argv.slice(2));
    const stackArgs = opts.stack ? ["--stack", opts.stack] : [];
    const stack = run("pulumi", ["stack", "--show-name", "--fully-qualify-stack-names", ...stackArgs]).trim();

    // The docker host: the flag, else the host of the stack's docker provider when it names one, else
    // the docker CLI's own (DOCKER_HOST or its context). Read before the listing: it needs state only
    // for the provider, and the listing must come before the state that decides.
    const firstExport = JSON.parse(run("pulumi", ["stack", "export", ...stackArgs])).deployment ?? {};
    const providerHost = (firstExport.resources ?? [])
        .filter((r) => r.type === "pulumi:providers:docker" && r.inputs?.host)
        .map((r) => r.inputs.host)[0];
    const dockerHost = opts.dockerHost ?? providerHost;
    const docker = (args) => run("docker", [...(dockerHost ? ["-H", dockerHost] : []), ...args]);

    // 1. The stack's labelled containers, listed before the state is read: anything an `up` of this
    //    stack creates after this line is recorded as a pending operation first, or owned by then.
    const listedBeforeState = docker(["ps", "--all", "--quiet", "--no-trunc", "--filter", `label=${LABEL_PREFIX}.stack=${stack}`])
        .split("\n").filter(Boolean);
    // 2. The state.
    const { containers, instances, pending } = stateContainers(JSON.parse(run("pulumi", ["stack", "export", ...stackArgs])).deployment ?? {});
    if (pending.length) {
        process.stderr.write(`sweep: stack ${stack} has ${pending.length} pending operation(s) from an interrupted update:\n` +
            pending.map((p) => `  ${p.type} ${p.urn}\n`).join("") +
            "resolve them first (README, \"When things go wrong\"):\n" +
            "  pulumi cancel --yes                           (the interrupted update's lock)\n" +
            "  pulumi refresh --clear-pending-creates --yes  (forget creates that may not have finished)\n" +
            "then run the sweep again: what those creates left running is what it removes.\n");
        process.exit(2);
    }
    // 3. Every container on the networks of the state's key hosts (impostors answer there), plus the listed ones.
    const ids = new Set(listedBeforeState);
    const networks = [...new Set(containers.flatMap((c) => c.networks.map((n) => n.name)))];
    for (const network of networks) {
        let attached;
        try {
            attached = JSON.parse(docker(["network", "inspect", "--format", "{{json .Containers}}", network]));
        } catch {
            continue; // a network the state names but Docker no longer has: `pulumi refresh` reports that
        }
        for (const id of Object.keys(attached ?? {})) ids.add(id);
    }
    // The state's own containers too (to check they are where the state says), those Docker still has.
    const existing = new Set(docker(["ps", "--all", "--quiet", "--no-trunc"]).split("\n").filter(Boolean));
    for (const c of containers) if (existing.has(c.id)) ids.add(c.id);
    const inspected = ids.size ? JSON.parse(docker(["inspect", "--type", "container", ...ids])) : [];
    const found = inspected.map((c) => ({
        id: c.Id,
        name: String(c.Name).replace(/^\//, ""),
        labels: c.Config?.Labels ?? {},
        networks: Object.fromEntries(Object.entries(c.NetworkSettings?.Networks ?? {}).map(([n, v]) => [n, { aliases: /** @type {any} */ (v).Aliases ?? [] }])),
    }));
    const plan = sweepPlan({ stack, state: { containers, instances }, listedBeforeState, docker: found });

    for (const c of plan.foreign) process.stdout.write(`foreign ${c.name} (${c.id.slice(0, 12)}): ${c.why}; it belongs to another stack or tool: remove it there, or give this key host another hostname or network\n`);
    for (const c of plan.remove) {
        if (opts.remove) {
            // As Pulumi removes a replaced key host: the container's stop signal (SIGQUIT, nginx finishes the
            // requests in flight) with a grace period, then removal. `rm --force` would reset them.
            docker(["stop", "--time", "10", c.id]);
            docker(["rm", c.id]);
            process.stdout.write(`removed ${c.name} (${c.id.slice(0, 12)}): ${c.why}\n`);
        } else {
            process.stdout.write(`orphan ${c.name} (${c.id.slice(0, 12)}): ${c.why} (run with --remove)\n`);
        }
    }
    for (const c of plan.detached) process.stdout.write(`detached ${c.name} (${c.id.slice(0, 12)}): ${c.why}\n`);
    const left = (opts.remove ? 0 : plan.remove.length) + plan.foreign.length + plan.detached.length;
    process.stdout.write(`sweep: stack ${stack}: ${containers.length} container(s) in state, ${plan.remove.length} orphan(s)${opts.remove ? " removed" : ""}, ` +
        `${plan.foreign.length} foreign, ${plan.detached.length} detached\n`);
    process.exit(left ? 1 : 0);
}

try {
    main();
} catch (e) {
    process.stderr.write(`sweep: ${/** @type {Error} */ (e).message}\n`);
    process.exit(2);
}
