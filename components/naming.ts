/**
 * Child resource names. Every child is `${name}-<role>`, so two instances in one stack never collide;
 * signing keys join keyset and generation with "." (never part of a DNS label), so no keyset/generation
 * pair can produce another pair's name.
 */
export function childNames(name: string) {
    return {
        signingKey: (keyset: string, generation: string) => `${name}-signing-key-${keyset}.${generation}`,
        caKey: `${name}-ca-key`,
        caCert: `${name}-ca-cert`,
        serverKey: `${name}-server-key`,
        serverCsr: `${name}-server-csr`,
        serverCert: `${name}-server-cert`,
        kongClientCaKey: `${name}-kong-client-ca-key`,
        kongClientCaCert: `${name}-kong-client-ca-cert`,
        kongClientKey: `${name}-kong-client-key`,
        kongClientCsr: `${name}-kong-client-csr`,
        kongClientCert: `${name}-kong-client-cert`,
        kongNetwork: `${name}-kong-net`,
        publicNetwork: `${name}-public-net`,
        publicLinkNetwork: `${name}-public-link`,
        container: `${name}-host`,
        publicProxy: `${name}-public-proxy`,
        kubernetesSecret: `${name}-files-private`,
        kubernetesConfigMap: `${name}-files-public`,
        kubernetesNetworkPolicy: `${name}-network-policy`,
        kubernetesDeployment: `${name}-deployment`,
        kubernetesService: `${name}-service`,
        kubernetesPodDisruptionBudget: `${name}-disruption-budget`,
    };
}

export type ChildNames = ReturnType<typeof childNames>;
