export declare const LABEL_PREFIX: string;
export declare function instanceLabelValue(publicKeyPem: string): string;
export interface StateContainer {
    urn: string;
    id: string;
    name: string;
    labels: Record<string, string>;
    networks: { name: string; aliases: string[] }[];
    provider?: string;
    /** The old container of a replacement that has not been deleted yet (`delete: true` in state). */
    replaced: boolean;
}
export interface DockerContainer {
    id: string;
    name: string;
    labels: Record<string, string>;
    networks: Record<string, { aliases: string[] }>;
}
export interface Finding { id: string; name: string; why: string }
export declare function stateContainers(deployment: unknown): { containers: StateContainer[]; instances: string[]; pending: { type: string; urn: string; resourceType: string }[] };
export declare function sweepPlan(input: {
    stack: string;
    state: { containers: (Pick<StateContainer, "id" | "labels" | "networks"> & Partial<Pick<StateContainer, "urn" | "replaced">>)[]; instances: string[] };
    listedBeforeState: string[];
    docker: DockerContainer[];
}): { remove: Finding[]; foreign: Finding[]; detached: Finding[] };
