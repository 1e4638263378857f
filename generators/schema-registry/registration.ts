// The model's topic schemas, registered in each tenant's Schema Registry (TenantSpec.schemaRegistry):
// - ConfigMap `<registry>-artifacts`: one `<topic>.json` per topic the tenant owns with a schema,
//   `{ groupId: <tenant>, artifactId: <topic>, version: <locked version>, schema }`;
// - an Argo CD PostSync hook Job that runs service-kit's register-schemas.ts from the registrar
//   service's image against the registry's URL (restricted pod, read-only root, no token);
// - the NetworkPolicies that let that Job, and only it besides the registry's callers, reach the
//   registry's HTTP port.
// What the registry then enforces (BACKWARD per artifact) is docs/event-contracts.md's second line of defence.
import type { ConfigMap, ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { NetworkPolicy } from 'kubernetes-types/networking/v1.js';
import type { LoadedModel, LoadedService, LoadedTenant } from '../../model/loaded.ts';
import { LABEL_COMPONENT, LABEL_NAME } from '../core/kubernetes.ts';
import { serviceNamed } from '../core/lookup.ts';
import { tcpPorts } from '../core/network-policy.ts';
import { tenantLabels, selectorLabels } from '../core/labels.ts';
import { tenantPath } from '../core/paths.ts';
import { typedObject } from '../core/typed-object.ts';
import type { Generator, OutputFile } from '../core/types.ts';

/** Where the Job finds the artifacts, and the script that registers them (in every image built from apps/). */
export const ARTIFACTS_MOUNT = '/artifacts';
export const REGISTER_SCRIPT = '/app/apps/lib/register-schemas.ts';
/** The user of the images built by apps/Dockerfile. */
const APP_UID = 10001;
const POST_SYNC = { 'argocd.argoproj.io/hook': 'PostSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation,HookSucceeded' } as const;

/** The Job's name, which is also its ServiceAccount's: the mesh admits exactly that identity to the registry (generators/mesh/). */
export function registrationName(registry: Pick<LoadedService, 'name'>): string {
  return `${registry.name}-registration`;
}

/** The artifact files of a tenant's registry: its topics with a schema, by file name. */
export function artifactFiles(model: LoadedModel, tenant: LoadedTenant): Record<string, string> {
  const data: Record<string, string> = {};
  for (const topic of model.topics)
    if (topic.owner === tenant.name && topic.schema)
      data[`${topic.name}.json`] = `${JSON.stringify({ groupId: tenant.name, artifactId: topic.name, version: String(topic.schemaVersion), schema: topic.schema }, null, 2)}\n`;
  return data;
}

function registration(model: LoadedModel, tenant: LoadedTenant, registry: LoadedService, registrar: LoadedService): OutputFile[] {
  const name = registrationName(registry);
  const labels = { ...tenantLabels(model, tenant), [LABEL_NAME]: name, [LABEL_COMPONENT]: 'schema-registration' };
  const meta = { name, namespace: registry.namespace, labels };
  const source = `${tenant.modelPath}.schemaRegistry`;
  const at = (kind: string, objectName = name) => tenantPath(registry, kind, objectName);
  const artifacts = `${registry.name}-artifacts`;
  const port = registry.ports[0];
  const configMap = typedObject<ConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...meta, name: artifacts }, data: artifactFiles(model, tenant) });
  const restricted = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } };
  const job = typedObject<Job>({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { ...meta, annotations: { ...POST_SYNC } },
    spec: {
      backoffLimit: 6,
      activeDeadlineSeconds: 900,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          serviceAccountName: name,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: { runAsNonRoot: true, runAsUser: APP_UID, runAsGroup: APP_UID, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'register',
            image: registrar.image.reference,
            imagePullPolicy: 'IfNotPresent',
            command: ['node', REGISTER_SCRIPT, ARTIFACTS_MOUNT],
            env: [{ name: 'SCHEMA_REGISTRY_URL', value: registry.url ?? '' }],
            resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
            securityContext: restricted,
            volumeMounts: [{ name: 'artifacts', mountPath: ARTIFACTS_MOUNT, readOnly: true }],
          }],
          volumes: [{ name: 'artifacts', configMap: { name: artifacts } }],
        },
      },
    },
  });
  const jobPods = { podSelector: { matchLabels: { [LABEL_NAME]: name } } };
  const egress = typedObject<NetworkPolicy>({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta,
    spec: { ...jobPods, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: selectorLabels(registry) } }], ports: tcpPorts([port.port]) }] },
  });
  const ingress = typedObject<NetworkPolicy>({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { ...meta, name: `${registry.name}-from-registration` },
    spec: { podSelector: { matchLabels: selectorLabels(registry) }, policyTypes: ['Ingress'], ingress: [{ from: [jobPods], ports: tcpPorts([port.port]) }] },
  });
  // A PostSync hook too, one wave before the Job, so the identity exists when the Job's pod is created.
  const serviceAccount = typedObject<ServiceAccount>({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { ...meta, annotations: { 'argocd.argoproj.io/hook': 'PostSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation', 'argocd.argoproj.io/sync-wave': '-1' } },
    automountServiceAccountToken: false,
  });
  return [
    { path: at('ServiceAccount'), source, object: serviceAccount },
    { path: at('ConfigMap', artifacts), source, object: configMap },
    { path: at('Job'), source, object: job },
    { path: at('NetworkPolicy'), source, object: egress },
    { path: at('NetworkPolicy', `${registry.name}-from-registration`), source, object: ingress },
  ];
}

export const schemaRegistration: Generator = ({ model }) =>
  model.tenants.flatMap((tenant) =>
    tenant.schemaRegistry ? registration(model, tenant, serviceNamed(model, tenant.schemaRegistry.service), serviceNamed(model, tenant.schemaRegistry.registrar)) : [],
  );
