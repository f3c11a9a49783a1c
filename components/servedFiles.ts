import * as pulumi from "@pulumi/pulumi";
import { files } from "./layout";
import type { ResolvedSettings } from "./settings";

/** Everything the key host serves or reads; secrets stay secret all the way to the target. */
export interface KeyHostContent {
    /** `instanceLabelValue` of the server key: which instance a container belongs to. */
    readonly instance: pulumi.Input<string>;
    readonly nginxConf: string;
    /** nginx.conf of the public-port proxy (present with `docker.publicPort`). */
    readonly publicProxyConf?: string;
    readonly caCertPem: pulumi.Input<string>;
    /** With mTLS: the CA that issued Kong's client certificate and nothing else. */
    readonly kongClientCaCertPem?: pulumi.Input<string>;
    readonly serverChainPem: pulumi.Input<string>;
    readonly serverKeyPem: pulumi.Input<string>;
    readonly privateJwks: Readonly<Record<string, pulumi.Input<string>>>;
    readonly publicJwks: Readonly<Record<string, pulumi.Input<string>>>;
    readonly htpasswd?: pulumi.Input<string>;
}

/**
 * One file the key host serves or reads. Private files are root-owned 0440, readable by nginx only
 * through its group; public ones 0444. Each target turns this list into its own form (Docker uploads, a
 * Kubernetes Secret and ConfigMap), so the two cannot disagree on what is secret.
 */
export interface ServedFile {
    /** Absolute path inside the key host. */
    readonly path: string;
    readonly content: pulumi.Input<string>;
    readonly secret: boolean;
    /** Octal permission bits. */
    readonly mode: 0o440 | 0o444;
}

const readable = (path: string, content: pulumi.Input<string>): ServedFile => ({ path, content, secret: false, mode: 0o444 });
const secret = (path: string, content: pulumi.Input<string>): ServedFile => ({ path, content: pulumi.secret(content), secret: true, mode: 0o440 });

/** The key host's files, in a stable order. */
export function servedFiles(settings: ResolvedSettings, content: KeyHostContent): ServedFile[] {
    return [
        readable(files.nginxConf, content.nginxConf),
        readable(files.caCert, content.caCertPem),
        ...(content.kongClientCaCertPem !== undefined ? [readable(files.kongClientCaCert, content.kongClientCaCertPem)] : []),
        readable(files.serverCert, content.serverChainPem),
        secret(files.serverKey, content.serverKeyPem),
        ...settings.keysets.flatMap((k) => [
            secret(files.privateJwks(k.name), content.privateJwks[k.name]),
            readable(files.publicJwks(k.name), content.publicJwks[k.name]),
        ]),
        ...(content.htpasswd !== undefined ? [secret(files.htpasswd, content.htpasswd)] : []),
    ];
}

/** `0440` as Docker's uploads write it. */
export function octalMode(mode: number): string {
    return `0${mode.toString(8)}`;
}
