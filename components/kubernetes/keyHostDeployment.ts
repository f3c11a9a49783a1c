import type * as k8sTypes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { keysetLabels, LABEL_PREFIX } from "../labels";
import type { ChildNames } from "../naming";
import { type KeyHostContent, servedFiles } from "../servedFiles";
import type { ResolvedSettings } from "../settings";
import {
    configVolume, deploymentSpec, fileKey, networkPolicySpec, objectLabels, podDisruptionBudgetSpec, serviceSpec,
} from "./objects";

export interface KubernetesKeyHost {
    readonly namespace: pulumi.Output<string>;
    readonly serviceName: pulumi.Output<string>;
    readonly deployment: k8sTypes.apps.v1.Deployment;
}

/**
 * The key host on Kubernetes: an immutable Secret (private files) and ConfigMap (the rest), a
 * NetworkPolicy, then a Deployment that mounts both read-only, a Service and a PodDisruptionBudget.
 */
export function createKubernetesKeyHost(
    settings: ResolvedSettings,
    content: KeyHostContent,
    names: ChildNames,
    parent: pulumi.Resource,
): KubernetesKeyHost {
    // Loaded here, for this target only: the kubernetes SDK takes ~0.1 s to load, which Docker stacks need not pay.
    const k8s = require("@pulumi/kubernetes") as typeof k8sTypes;
    const k = settings.kubernetes!;
    const served = servedFiles(settings, content);
    const metadata = { namespace: k.namespace, labels: objectLabels(k) };
    const data = (secret: boolean) => pulumi.all(Object.fromEntries(
        served.filter((f) => f.secret === secret).map((f) => [fileKey(f.path), pulumi.output(f.content)])));

    // Immutable and auto-named: new content is a new object (created before the Deployment rolls onto it,
    // deleted after), so a pod never sees half a rotation, and no pod's files change under it.
    const replaceOnContent = { parent, replaceOnChanges: ["data", "stringData"], deleteBeforeReplace: false };
    const secret = new k8s.core.v1.Secret(names.kubernetesSecret, {
        metadata, type: "Opaque", immutable: true, stringData: pulumi.secret(data(true)),
    }, replaceOnContent);
    const publicData = data(false);
    const configMap = new k8s.core.v1.ConfigMap(names.kubernetesConfigMap, {
        metadata, immutable: true, data: publicData,
    }, replaceOnContent);

    // Before the pods: they must never run without it.
    const networkPolicy = new k8s.networking.v1.NetworkPolicy(names.kubernetesNetworkPolicy, {
        metadata: { ...metadata, name: k.serviceName }, spec: networkPolicySpec(k),
    }, { parent });

    // What a rotation changes, in clear in `preview --diff` (the files themselves are secret or long):
    // each keyset's generations, and a digest of the public files (the Secret's new name shows the rest).
    // A plain map, so the generations stay known in a preview while the digest of new files is not yet.
    const annotations: Record<string, pulumi.Input<string>> = {
        ...Object.fromEntries(keysetLabels(settings).map((l) => [l.label.replace(`${LABEL_PREFIX}.`, `${LABEL_PREFIX}/`), l.value])),
        [`${LABEL_PREFIX}/public-files`]: pulumi.unsecret(publicData
            .apply((byKey) => createHash("sha256").update(JSON.stringify(Object.values(byKey))).digest("hex").slice(0, 16))),
    };

    // The volume names the Secret and ConfigMap as Outputs in place: built inside one apply, the whole
    // spec would be unknown in a preview, and the provider would plan a replacement instead of a rollout.
    const spec = deploymentSpec(k, configVolume(secret.metadata.name, configMap.metadata.name, served), k.image, annotations);
    const deployment = new k8s.apps.v1.Deployment(names.kubernetesDeployment, {
        metadata: { ...metadata, name: k.serviceName },
        spec: spec as unknown as k8sTypes.types.input.apps.v1.DeploymentSpec,
    }, { parent, dependsOn: [networkPolicy] });

    const service = new k8s.core.v1.Service(names.kubernetesService, {
        metadata: { ...metadata, name: k.serviceName }, spec: serviceSpec(k),
    }, { parent });
    new k8s.policy.v1.PodDisruptionBudget(names.kubernetesPodDisruptionBudget, {
        metadata: { ...metadata, name: k.serviceName }, spec: podDisruptionBudgetSpec(k),
    }, { parent });

    return { namespace: pulumi.output(k.namespace), serviceName: service.metadata.name, deployment };
}
