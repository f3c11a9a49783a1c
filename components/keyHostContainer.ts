import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import {
    CONFIG_DIR, files, HEALTH_LISTENER, HEALTH_PATH, NGINX_BINARY, PUBLIC_LISTENER_PORT, SCRATCH_DIR,
} from "./layout";
import type { ChildNames } from "./naming";
import { type KeyHostContent, octalMode, servedFiles } from "./servedFiles";
import { keysetLabels, LABEL_PREFIX, stackLabelValue } from "./labels";
import { claimNetworkAlias } from "./docker/aliasClaims";
import { checkNetworkName, checkResolvedNetwork, type ResolvedSettings } from "./settings";

export interface KeyHost {
    readonly container: docker.Container;
    readonly publicProxy?: docker.Container;
    readonly kongNetworkNames: pulumi.Output<string[]>;
}

/**
 * Default healthcheck, the same in the key host and the public-port proxy: the loopback-only health
 * listener, via the stock image's curl. (A TLS check costs the same ~25 ms per exec — measured — but the
 * proxy has no TLS of its own; nginx refuses to start with a bad certificate or key anyway.)
 */
export const DEFAULT_HEALTHCHECK_COMMAND: readonly string[] = [
    "curl", "--fail", "--silent", "--show-error", "--max-time", "2", `http://${HEALTH_LISTENER}${HEALTH_PATH}`];

type Upload = docker.types.input.ContainerUpload;

/**
 * Uploads are root:root: nginx reads them (private ones, 0440, through the root group it is given as a
 * supplementary group: `ROOT_GROUP`) but can neither change nor chmod them. Public files are
 * world-readable. No `owner`/`group` on purpose: the docker provider then asks the daemon to chown every
 * uploaded file to the container's user (Docker's CopyUIDGID), which would make nginx their owner, and
 * which Docker 20.10 refuses outright for a numeric `user` (measured with the real provider).
 */
export function keyHostUploads(settings: ResolvedSettings, content: KeyHostContent): Upload[] {
    return servedFiles(settings, content).map((f) => ({ file: f.path, content: f.content, permissions: octalMode(f.mode) }));
}

/** Supplementary group of the nginx user: lets it read the root-owned 0440 files, nothing more. */
export const ROOT_GROUP = "0";

/** The public-port proxy passes TLS through: its config is all it holds (no certificate, no key). */
export function publicProxyUploads(content: KeyHostContent): Upload[] {
    return [{ file: files.nginxConf, content: content.publicProxyConf!, permissions: octalMode(0o444) }];
}

/** What both containers share: non-root nginx, no capabilities, tmpfs scratch, limits, healthcheck. */
function hardenedContainerArgs(
    settings: ResolvedSettings, role: string, image: pulumi.Input<string>, uploads: Upload[],
    networks: pulumi.Input<string>[], aliases: string[], instance: pulumi.Input<string>,
    extraLabels: { label: string; value: string }[] = [],
): docker.ContainerArgs {
    const { docker: d } = settings;
    return {
        image,
        labels: [
            { label: `${LABEL_PREFIX}.component`, value: settings.name },
            { label: `${LABEL_PREFIX}.hostname`, value: settings.hostname },
            { label: `${LABEL_PREFIX}.role`, value: role },
            { label: `${LABEL_PREFIX}.stack`, value: stackLabelValue() },
            { label: `${LABEL_PREFIX}.instance`, value: instance },
            ...extraLabels,
        ],
        entrypoints: [NGINX_BINARY],
        command: ["-e", "stderr", "-c", files.nginxConf],
        user: `${d.uid}:${d.gid}`,
        groupAdds: [ROOT_GROUP],
        workingDir: CONFIG_DIR,
        uploads,
        // The only writable place for nginx; no exec, no devices, no setuid.
        tmpfs: { [SCRATCH_DIR]: "rw,noexec,nosuid,nodev,size=16m,mode=1777" },
        capabilities: { drops: ["ALL"] },
        securityOpts: ["no-new-privileges:true"],
        // No networkMode: the provider creates the container on Docker's default bridge, disconnects it
        // and connects each of these. Naming the first network as networkMode as well loses its alias
        // (measured on Docker 20.10: the container is then unreachable by hostname).
        networksAdvanced: networks.map((name) => ({ name, aliases })),
        healthcheck: {
            tests: ["CMD", ...(d.healthcheckCommand ?? DEFAULT_HEALTHCHECK_COMMAND)],
            // Docker 20.10 runs the first check one interval after start, so the interval is most of
            // create-to-healthy; each check costs ~25 ms of CPU (bench/RESULTS.md, healthcheck).
            interval: `${d.healthcheckIntervalSeconds}s`,
            timeout: "3s",
            startPeriod: "10s",
            // Docker 25+ only: the provider refuses the field against older engines (API < 1.44).
            ...(d.healthcheckStartIntervalMs !== undefined ? { startInterval: `${d.healthcheckStartIntervalMs}ms` } : {}),
            retries: 3,
        },
        restart: d.restart,
        memory: d.memoryMb,
        memorySwap: d.memoryMb,
        ulimits: [
            { name: "nproc", soft: d.maxProcesses, hard: d.maxProcesses },
            { name: "nofile", soft: 4096, hard: 4096 },
        ],
        stopSignal: "SIGQUIT",
        destroyGraceSeconds: 10,
        // Create waits until healthy, so during a replacement the new host serves before the old one goes.
        wait: true,
        waitTimeout: 60,
        mustRun: true,
    };
}

/** The Docker networks, the key host container and, with `publicPort`, the public-port proxy. */
export function createKeyHost(
    settings: ResolvedSettings,
    content: KeyHostContent,
    image: pulumi.Input<string>,
    names: ChildNames,
    parent: pulumi.Resource,
): KeyHost {
    const { docker: d } = settings;
    const networkLabels = [{ label: `${LABEL_PREFIX}.component`, value: settings.name }];

    let kongNetworkNames: pulumi.Output<string>[];
    if (d.existingNetworks) {
        // A name that was another resource's output is checked here, once it is known. (Plain names were
        // checked, and their aliases claimed, by the component before any resource.) Then every name is
        // looked up on the Docker engine (through the stack's docker provider): Docker also takes ids and
        // id prefixes, so what a name resolves to is what must be checked.
        kongNetworkNames = d.existingNetworks.map((n) => {
            const name = typeof n === "string"
                ? pulumi.output(n)
                : pulumi.output(n).apply((resolved) => {
                    checkNetworkName(resolved);
                    claimNetworkAlias(settings.name, resolved, settings.hostname);
                    return resolved;
                });
            return pulumi.all([name, docker.getNetworkOutput({ name }, { parent })]).apply(([given, network]) => {
                checkResolvedNetwork(given, network);
                return given;
            });
        });
    } else {
        // Internal: the key host needs no egress, and only containers joined to it (Kong) can reach it.
        const network = new docker.Network(names.kongNetwork, {
            driver: "bridge",
            internal: true,
            labels: networkLabels,
            ...(d.subnet ? { ipamConfigs: [{ subnet: d.subnet, gateway: d.gateway }] } : {}),
        }, { parent });
        kongNetworkNames = [network.name];
    }
    // Docker publishes ports only through a network with outside connectivity: only the proxy joins that
    // one, and it reaches the key host over an internal link network, so the key host never has egress.
    let publishNetworkName: pulumi.Output<string> | undefined;
    let linkNetworkName: pulumi.Output<string> | undefined;
    if (d.publicPort !== undefined) {
        publishNetworkName = new docker.Network(names.publicNetwork, { driver: "bridge", labels: networkLabels }, { parent }).name;
        linkNetworkName = new docker.Network(names.publicLinkNetwork, { driver: "bridge", internal: true, labels: networkLabels }, { parent }).name;
    }
    const keyHostNetworks = linkNetworkName ? [...kongNetworkNames, linkNetworkName] : kongNetworkNames;

    // The key host publishes nothing: its content changes at every rotation, and a replacement that
    // overlaps the old container could not bind the same host port.
    const container = new docker.Container(names.container,
        hardenedContainerArgs(settings, "key-host", image, keyHostUploads(settings, content), keyHostNetworks, [settings.hostname], content.instance, keysetLabels(settings)),
        { parent });

    let publicProxy: docker.Container | undefined;
    if (d.publicPort !== undefined && publishNetworkName && linkNetworkName) {
        publicProxy = new docker.Container(names.publicProxy, {
            ...hardenedContainerArgs(settings, "public-proxy", image, publicProxyUploads(content), [publishNetworkName, linkNetworkName], [], content.instance),
            ports: [{ internal: PUBLIC_LISTENER_PORT, external: d.publicPort, ip: d.publicHostIp, protocol: "tcp" }],
        }, {
            parent,
            // It holds the host port, so a replacement (only when hostname or the port changes) must free it first.
            deleteBeforeReplace: true,
        });
    }

    return { container, ...(publicProxy ? { publicProxy } : {}), kongNetworkNames: pulumi.all(kongNetworkNames) };
}
