// Every namespace the platform manages (tenants', components', datastores', the monitoring and ingress
// gateway namespaces), with Pod Security Admission labels at the level the model declares.
import type { Namespace } from 'kubernetes-types/core/v1.js';
import type { LoadedComponent, LoadedModel } from '../../model/loaded.ts';
import { KUBE_SYSTEM_NAMESPACE } from '../core/kubernetes.ts';
import { NAMESPACES_COMPONENT, platformLabels, tenantLabels } from '../core/labels.ts';
import { typedObject } from '../core/typed-object.ts';
import type { Generator, OutputFile } from '../core/types.ts';
import { ISTIO_INJECTION_LABEL, meshNamespaces } from '../mesh/identity.ts';

/** Namespaces that every cluster has; the platform never declares them. */
export const builtInNamespaces = new Set(['default', KUBE_SYSTEM_NAMESPACE, 'kube-public', 'kube-node-lease']);
/** On a namespace below `restricted`: why (from the model). */
export const POD_SECURITY_REASON_ANNOTATION = 'gamemetrics.dev/pod-security-reason';

type Level = LoadedComponent['podSecurity']['level'];
const strictness: Record<Level, number> = { restricted: 2, baseline: 1, privileged: 0 };

export interface ManagedNamespace {
  name: string;
  source: string;
  tenant: string | null;
  /** The platform components whose objects live here, sorted by name. */
  components: LoadedComponent[];
  /** The least strict level any of its components needs (restricted for tenants and everything else). */
  podSecurity: LoadedComponent['podSecurity'];
}

/** Every namespace the platform manages, with the model entry it comes from. */
export function managedNamespaces(model: LoadedModel): ManagedNamespace[] {
  const result = new Map<string, ManagedNamespace>();
  const add = (name: string, source: string, tenant: string | null = null) => {
    if (!builtInNamespaces.has(name) && !result.has(name)) result.set(name, { name, source, tenant, components: [], podSecurity: { level: 'restricted', reason: null } });
  };
  for (const tenant of model.tenants) for (const ns of tenant.namespaces) add(ns, `${tenant.modelPath}.namespaces`, tenant.name);
  for (const component of model.components) add(component.namespace, `${component.modelPath}.namespace`);
  for (const store of model.datastores) add(store.namespace, `${store.modelPath}.namespace`);
  add(model.platform.monitoring.namespace, 'platform.monitoring.namespace');
  add(model.platform.ingressGateway.namespace, 'platform.ingressGateway.namespace');
  for (const component of model.components) {
    const ns = result.get(component.namespace);
    if (!ns) continue;
    ns.components.push(component);
    if (strictness[component.podSecurity.level] < strictness[ns.podSecurity.level]) ns.podSecurity = component.podSecurity;
  }
  return [...result.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

export const namespaces: Generator = ({ model }) => {
  const version = `v${model.environment.kubernetesVersion}`;
  const enrolled = new Set(meshNamespaces(model));
  return managedNamespaces(model).map((ns): OutputFile => {
    const tenant = model.tenants.find((t) => t.name === ns.tenant);
    const level = ns.podSecurity.level;
    return {
      path: `platform/${NAMESPACES_COMPONENT}/_cluster/namespace-${ns.name}.yaml`,
      source: ns.source,
      object: typedObject<Namespace>({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: ns.name,
          labels: {
            ...(tenant ? tenantLabels(model, tenant) : platformLabels(model, NAMESPACES_COMPONENT)),
            'pod-security.kubernetes.io/enforce': level,
            'pod-security.kubernetes.io/enforce-version': version,
            // Audit and warn stay at restricted: what a lower level admits is still reported.
            'pod-security.kubernetes.io/audit': 'restricted',
            'pod-security.kubernetes.io/audit-version': version,
            'pod-security.kubernetes.io/warn': 'restricted',
            'pod-security.kubernetes.io/warn-version': version,
            // Enrolled in the mesh: pods get a sidecar (redirected by the CNI agent, so restricted still holds).
            ...(enrolled.has(ns.name) ? { [ISTIO_INJECTION_LABEL]: 'enabled' } : {}),
          },
          ...(ns.podSecurity.reason ? { annotations: { [POD_SECURITY_REASON_ANNOTATION]: ns.podSecurity.reason } } : {}),
        },
      }),
    };
  });
};
