import { containerOf, type Recorded } from "../component";
import { createDeclaredContainer, createDeclaredNetwork, type RealContainer, type RealNetwork } from "./providerCreate";

export interface DeployedKeyHost {
    networks: RealNetwork[];
    host: RealContainer;
    /** The public-port proxy, when the component declared one. */
    proxy?: RealContainer;
    /** Real name of the network the component created for Kong (or the first declared one). */
    kongNetwork: string;
    /** The key host's address on that network. */
    address: string;
}

/**
 * Creates the declared networks (real names carry the run id) and the key host container.
 * `existing` maps networks the component only joins (docker.networks) to networks the test made.
 */
export async function deployDeclared(recorded: Recorded, runId: string, existing: RealNetwork[] = []): Promise<DeployedKeyHost> {
    const networks = [...existing];
    for (const resource of recorded.byType("docker:index/network:Network")) {
        networks.push(await createDeclaredNetwork(resource, runId, `kskh-${runId}-${resource.name}`));
    }
    const containerResource = containerOf(recorded, "key-host");
    const host = await createDeclaredContainer(containerResource, runId, networks);
    const proxyResource = recorded.byType("docker:index/container:Container").find((c) => c !== containerResource);
    const proxy = proxyResource ? await createDeclaredContainer(proxyResource, runId, networks) : undefined;
    const firstDeclared = containerResource.plain.networksAdvanced[0].name as string;
    const kongNetwork = networks.find((n) => n.declaredName === firstDeclared)?.realName ?? firstDeclared;
    const info = await host.container.inspect();
    const address = info.NetworkSettings.Networks[kongNetwork]?.IPAddress;
    if (!address) throw new Error(`key host has no address on ${kongNetwork}: ${JSON.stringify(info.NetworkSettings.Networks)}`);
    return { networks, host, ...(proxy ? { proxy } : {}), kongNetwork, address };
}
