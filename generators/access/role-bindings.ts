// Kubernetes RBAC for people: each tenant's owners (their SSO groups) get the environment's tenant role
// (Kubernetes' built-in edit or view ClusterRole) in the tenant's own namespaces, and the platform
// administrators' group is the one subject bound to cluster-admin.
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import type { ClusterRoleBinding, RoleBinding, Subject } from 'kubernetes-types/rbac/v1.js';
import type { LoadedModel } from '../../model/loaded.ts';
import { ACCESS_COMPONENT } from '../../model/platform-components.ts';
import { LABEL_NAME, LABEL_PART_OF } from '../core/kubernetes.ts';
import { platformLabels } from '../core/labels.ts';
import { typedObject } from '../core/typed-object.ts';
import type { Generator, OutputFile } from '../core/types.ts';

const RBAC_GROUP = 'rbac.authorization.k8s.io';
export const CLUSTER_ADMIN_ROLE = 'cluster-admin';
export const TENANT_OWNERS_BINDING = 'tenant-owners';
export const PLATFORM_ADMINS_BINDING = 'platform-admins';

const groups = (names: readonly string[]): Subject[] => names.map((name) => ({ kind: 'Group', apiGroup: RBAC_GROUP, name }));

export const roleBindings: Generator = ({ model }) => {
  const labels = platformLabels(model, ACCESS_COMPONENT);
  const { access } = model.environment;
  const files: OutputFile[] = [];
  for (const { tenant, groups: owners } of access.tenants) {
    const spec = model.tenants.find((t) => t.name === tenant)!;
    for (const namespace of spec.namespaces) {
      files.push({
        path: `platform/${ACCESS_COMPONENT}/${namespace}/rolebinding-${TENANT_OWNERS_BINDING}.yaml`,
        source: `${spec.modelPath}.owners`,
        object: typedObject<RoleBinding>({
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: TENANT_OWNERS_BINDING, namespace, labels },
          roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: access.tenantRole },
          subjects: groups(owners),
        }),
      });
    }
  }
  files.push({
    path: `platform/${ACCESS_COMPONENT}/_cluster/clusterrolebinding-${PLATFORM_ADMINS_BINDING}.yaml`,
    source: 'environment.access.platformAdmins',
    object: typedObject<ClusterRoleBinding>({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: PLATFORM_ADMINS_BINDING, labels },
      roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: CLUSTER_ADMIN_ROLE },
      subjects: groups([access.platformAdmins]),
    }),
  });
  return files;
};

/** Argo CD's RBAC, applied with the bootstrap (Argo CD reads it by name and the part-of: argocd label): the administrators' group is admin, everyone else gets nothing by default. */
export function argocdRbac(model: LoadedModel): OutputFile {
  return {
    path: 'bootstrap/configmap-argocd-rbac-cm.yaml',
    source: 'environment.access.platformAdmins',
    object: typedObject<ConfigMap>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'argocd-rbac-cm', namespace: model.platform.argocdNamespace, labels: { ...platformLabels(model, 'argocd'), [LABEL_NAME]: 'argocd-rbac-cm', [LABEL_PART_OF]: 'argocd' } },
      data: { 'policy.default': '', 'policy.csv': `g, ${model.environment.access.platformAdmins}, role:admin\n`, scopes: '[groups]' },
    }),
  };
}

// Argo CD runs in the primary region only; it holds every region's Applications.
export const argocdRbacConfig: Generator = ({ model }) => (model.environment.region.primary ? [argocdRbac(model)] : []);
