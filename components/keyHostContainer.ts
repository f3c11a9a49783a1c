import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import {
    CONFIG_DIR, files, HEALTH_PATH, KONG_LISTENER_PORT, NGINX_BINARY, PUBLIC_LISTENER_PORT, SCRATCH_DIR,
} from "./layout";
import type { ChildNames } from "./naming";
import type { ResolvedSettings } from "./settings";

/** Everything the container serves or reads; secrets stay secret all the way into `uploads`. */
export interface KeyHostContent {
    readonly nginxConf: string;
    readonly caCertPem: pulumi.Input<string>;
    readonly serverChainPem: pulumi.Input<string>;
    readonly serverKeyPem: pulumi.Input<string>;
    readonly privateJwks: Readonly<Record<string, pulumi.Input<string>>>;
    readonly publicJwks: Readonly<Record<string, pulumi.Input<string>>>;
    readonly htpasswd?: pulumi.Input<string>;
}

export interface KeyHost {
    readonly container: docker.Container;
    readonly kongNetworkNames: pulumi.Output<string[]>;
}

export const DEFAULT_IMAGE = "nginx:1.27-alpine";
export const LABEL_PREFIX = "io.github.kong-signing-key-host";

/** Default healthcheck: the real TLS listener, trusting only our CA, via the stock image's curl. */
export function defaultHealthcheckCommand(hostname: string): string[] {
    return ["curl", "--fail", "--silent", "--show-error", "--max-time", "3",
        "--cacert", files.caCert, "--resolve", `${hostname}:${KONG_LISTENER_PORT}:127.0.0.1`,
        `https://${hostname}:${KONG_LISTENER_PORT}${HEALTH_PATH}`];
}

/**
 * Files to upload. Owned by root with the nginx user's group: nginx reads them (private ones through
 * its group only) but can neither change nor chmod them. Public files are world-readable.
 */
export function keyHostUploads(settings: ResolvedSettings, content: KeyHostContent): docker.types.input.ContainerUpload[] {
    const group = String(settings.docker.gid);
    const readable = (file: string, body: pulumi.Input<string>) => ({ file, content: body, owner: "0", group, permissions: "0444" });
    const secret = (file: string, body: pulumi.Input<string>) => ({ file, content: pulumi.secret(body), owner: "0", group, permissions: "0440" });
    return [
        readable(files.nginxConf, content.nginxConf),
        readable(files.caCert, content.caCertPem),
        readable(files.serverCert, content.serverChainPem),
        secret(files.serverKey, content.serverKeyPem),
        ...settings.keysets.flatMap((k) => [
            secret(files.privateJwks(k.name), content.privateJwks[k.name]),
            readable(files.publicJwks(k.name), content.publicJwks[k.name]),
        ]),
        ...(content.htpasswd !== undefined ? [secret(files.htpasswd, content.htpasswd)] : []),
    ];
}

/** The Docker networks and the nginx container. */
export function createKeyHost(
    settings: ResolvedSettings,
    content: KeyHostContent,
    image: pulumi.Input<string>,
    names: ChildNames,
    parent: pulumi.Resource,
): KeyHost {
    const { docker: d } = settings;
    const labels = [
        { label: `${LABEL_PREFIX}.component`, value: settings.name },
        { label: `${LABEL_PREFIX}.hostname`, value: settings.hostname },
    ];

    let kongNetworkNames: pulumi.Output<string>[];
    if (d.existingNetworks) {
        kongNetworkNames = d.existingNetworks.map((n) => pulumi.output(n));
    } else {
        // Internal: the key host needs no egress, and only containers joined to it (Kong) can reach it.
        const network = new docker.Network(names.kongNetwork, {
            driver: "bridge",
            internal: true,
            labels,
            ...(d.subnet ? { ipamConfigs: [{ subnet: d.subnet, gateway: d.gateway }] } : {}),
        }, { parent });
        kongNetworkNames = [network.name];
    }
    // Docker publishes ports only through a network with outside connectivity.
    const publishNetworkName = d.publicPort !== undefined && !d.existingNetworks
        ? new docker.Network(names.publicNetwork, { driver: "bridge", labels }, { parent }).name
        : undefined;
    const allNetworks = publishNetworkName ? [...kongNetworkNames, publishNetworkName] : kongNetworkNames;

    const container = new docker.Container(names.container, {
        image,
        labels,
        entrypoints: [NGINX_BINARY],
        command: ["-e", "stderr", "-c", files.nginxConf],
        user: `${d.uid}:${d.gid}`,
        workingDir: CONFIG_DIR,
        uploads: keyHostUploads(settings, content),
        // The only writable place for nginx; no exec, no devices, no setuid.
        tmpfs: { [SCRATCH_DIR]: "rw,noexec,nosuid,nodev,size=16m,mode=1777" },
        capabilities: { drops: ["ALL"] },
        securityOpts: ["no-new-privileges:true"],
        // No networkMode: the provider creates the container on Docker's default bridge, disconnects it
        // and connects each of these. Naming the first network as networkMode as well loses its alias
        // (measured on Docker 20.10: the container is then unreachable by hostname).
        networksAdvanced: allNetworks.map((name) => ({ name, aliases: [settings.hostname] })),
        // Only the public-only listener is ever published; the Kong listener has no port mapping.
        ports: d.publicPort !== undefined
            ? [{ internal: PUBLIC_LISTENER_PORT, external: d.publicPort, ip: d.publicHostIp, protocol: "tcp" }]
            : [],
        healthcheck: {
            tests: ["CMD", ...(d.healthcheckCommand ?? defaultHealthcheckCommand(settings.hostname))],
            interval: "10s",
            timeout: "5s",
            startPeriod: "10s",
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
    }, { parent });

    return { container, kongNetworkNames: pulumi.all(kongNetworkNames) };
}
