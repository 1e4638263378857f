// Namespaces of tenants and platform components, with Pod Security Admission labels.
import type { Namespace } from 'kubernetes-types/core/v1.js';
import type { LoadedModel } from '../../model/loaded.ts';
import { KUBE_SYSTEM_NAMESPACE } from '../core/kubernetes.ts';
import { NAMESPACES_COMPONENT, platformLabels, tenantLabels } from '../core/labels.ts';
import { typedObject } from '../core/typed-object.ts';
import type { Generator, OutputFile } from '../core/types.ts';

/** Namespaces that every cluster has; the platform never declares them. */
export const builtInNamespaces = new Set(['default', KUBE_SYSTEM_NAMESPACE, 'kube-public', 'kube-node-lease']);

/** Every namespace the platform manages, with the model entry it comes from. */
export function managedNamespaces(model: LoadedModel): Array<{ name: string; source: string; tenant: string | null }> {
  const result = new Map<string, { name: string; source: string; tenant: string | null }>();
  for (const tenant of model.tenants) {
    for (const ns of tenant.namespaces) result.set(ns, { name: ns, source: `${tenant.modelPath}.namespaces`, tenant: tenant.name });
  }
  for (const component of model.components) {
    if (!builtInNamespaces.has(component.namespace) && !result.has(component.namespace)) {
      result.set(component.namespace, { name: component.namespace, source: `${component.modelPath}.namespace`, tenant: null });
    }
  }
  return [...result.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

export const namespaces: Generator = ({ model }) => {
  const version = `v${model.environment.kubernetesVersion}`;
  return managedNamespaces(model).map((ns): OutputFile => {
    const tenant = model.tenants.find((t) => t.name === ns.tenant);
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
            'pod-security.kubernetes.io/enforce': 'restricted',
            'pod-security.kubernetes.io/enforce-version': version,
            'pod-security.kubernetes.io/audit': 'restricted',
            'pod-security.kubernetes.io/audit-version': version,
            'pod-security.kubernetes.io/warn': 'restricted',
            'pod-security.kubernetes.io/warn-version': version,
          },
        },
      }),
    };
  });
};
