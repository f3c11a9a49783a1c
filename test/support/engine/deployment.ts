import type Docker from "dockerode";
import { docker } from "../docker/engine";
import type { ExampleStack } from "./exampleStack";

export interface Deployment {
    /** The key host container the real docker provider created. */
    host: Docker.Container;
    /** The public-port proxy, when the stack publishes one. */
    proxy?: Docker.Container;
    /** The network Kong joins (the component's own, first of kongNetworkNames). */
    kongNetwork: string;
    /** The key host's address on that network. */
    address: string;
}

/** Finds what `pulumi up` made, by the container ids in the stack's state and their role labels. */
export async function deploymentOf(stack: ExampleStack, kongNetwork: string): Promise<Deployment> {
    const { containers } = await stack.dockerIds();
    let host: Docker.Container | undefined;
    let proxy: Docker.Container | undefined;
    for (const id of containers) {
        const c = docker().getContainer(id);
        const role = (await c.inspect()).Config.Labels["io.github.kong-signing-key-host.role"];
        if (role === "key-host") host = c;
        if (role === "public-proxy") proxy = c;
    }
    if (!host) throw new Error(`no key host among the stack's containers ${containers.join(", ")}`);
    const info = await host.inspect();
    const address = info.NetworkSettings.Networks[kongNetwork]?.IPAddress;
    if (!address) throw new Error(`key host has no address on ${kongNetwork}: ${JSON.stringify(Object.keys(info.NetworkSettings.Networks))}`);
    return { host, ...(proxy ? { proxy } : {}), kongNetwork, address };
}
