import * as pulumi from "@pulumi/pulumi";
import { KongSigningKeyHost } from "../../components/kongSigningKeyHost";
import type { KongSigningKeyHostArgs } from "../../components/args";
import { RealCryptoMocks, type RecordedResource } from "./realCryptoMocks";
import { valueOf } from "./outputs";

/** What one build registered (a copy: later builds do not change it). */
export class Recorded {
    constructor(readonly resources: RecordedResource[]) {}
    byType(type: string): RecordedResource[] {
        return this.resources.filter((r) => r.type === type);
    }
}

export interface Built {
    host: KongSigningKeyHost;
    mocks: Recorded;
}

let shared: RealCryptoMocks | undefined;

/**
 * One mock monitor per test process (late `registerOutputs` calls of an earlier build must still find
 * their resource); each build starts a fresh record. Keys are cached by name: same URN, same key.
 */
export async function freshMocks(options: { secretOutputs?: boolean } = {}): Promise<RealCryptoMocks> {
    if (!shared) {
        shared = new RealCryptoMocks();
        await pulumi.runtime.setMocks(shared, "kskh", "test", false, "organization");
    }
    shared.resources.length = 0;
    (shared as { secretOutputs: boolean }).secretOutputs = options.secretOutputs ?? true;
    return shared;
}

/** Fresh record, one component, all resources registered. */
export async function buildUnderMocks(name: string, args: KongSigningKeyHostArgs, options: { secretOutputs?: boolean } = {}): Promise<Built> {
    const mocks = await freshMocks(options);
    const host = new KongSigningKeyHost(name, args);
    await Promise.all([valueOf(host.containerName), valueOf(host.publicJwks), valueOf(host.caCertPem), valueOf(host.kongClientKeyPem)]);
    return { host, mocks: new Recorded([...mocks.resources]) };
}

/** Builds several components in one stack (one mock monitor). */
export async function buildManyUnderMocks(specs: [string, KongSigningKeyHostArgs][]): Promise<{ hosts: KongSigningKeyHost[]; mocks: Recorded }> {
    const mocks = await freshMocks();
    const hosts = specs.map(([name, args]) => new KongSigningKeyHost(name, args));
    await Promise.all(hosts.map((h) => valueOf(h.containerName)));
    return { hosts, mocks: new Recorded([...mocks.resources]) };
}

/** The declared container with this role label ("key-host" or "public-proxy"). */
export function containerOf(mocks: Recorded, role = "key-host") {
    const containers = mocks.byType("docker:index/container:Container")
        .filter((c) => (c.plain.labels as { label: string; value: string }[]).some((l) => l.label.endsWith(".role") && l.value === role));
    if (containers.length !== 1) throw new Error(`expected one ${role} container, got ${containers.length}`);
    return containers[0];
}

export function uploadOf(mocks: Recorded, file: string, role = "key-host"): { file: string; content: string; permissions: string } {
    const upload = (containerOf(mocks, role).plain.uploads as any[]).find((u) => u.file === file);
    if (!upload) throw new Error(`no upload ${file}`);
    return upload;
}
