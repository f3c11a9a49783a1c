import * as pulumi from "@pulumi/pulumi";
import type { ResolvedSettings } from "./settings";

/** Prefix of every label (Docker) and annotation (Kubernetes) the component sets. */
export const LABEL_PREFIX = "io.github.kong-signing-key-host";

/**
 * The stack a container belongs to, as `pulumi stack --show-name --fully-qualify-stack-names` prints it
 * (`<organization>/<project>/<stack>`): the sweep command (`kong-signing-key-host-sweep`) lists the
 * containers of the stack it is run for by it (and tells instances apart by the `instance` label).
 */
export function stackLabelValue(): string {
    return `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
}

/**
 * What the key host serves per keyset, in clear: the files are secret, so without these a rotation
 * step's `preview --diff` would show only `uploads: [secret] => [secret]`. Generation labels only.
 */
export function keysetLabels(settings: ResolvedSettings): { label: string; value: string }[] {
    return settings.keysets.map((k) => ({ label: `${LABEL_PREFIX}.keyset.${k.name}`, value: `published ${k.generations.join(",")}; active ${k.active}` }));
}
