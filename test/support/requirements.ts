import { execFileSync } from "node:child_process";

const SETUP = "bash scripts/provision.sh";

/** Path of the host's nginx; throws, naming the setup command, when it is missing. */
export function requireNginx(): string {
    try {
        execFileSync("nginx", ["-v"], { stdio: "ignore" });
        return "nginx";
    } catch {
        throw new Error(`nginx is not installed on this machine: run \`${SETUP}\` (installs Debian's nginx, docker.io; starts dockerd)`);
    }
}

/** Throws, naming the setup command, when no Docker engine answers. */
export function requireDocker(): void {
    try {
        execFileSync("docker", ["info"], { stdio: "ignore", timeout: 20_000 });
    } catch {
        throw new Error(`no Docker engine answers: run \`${SETUP}\` (installs docker.io, starts dockerd, builds the local nginx image)`);
    }
}
