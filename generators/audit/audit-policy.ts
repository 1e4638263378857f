// The API server's audit policy, one per cluster, for the cluster bootstrap (the API server reads it from a
// file: --audit-policy-file on self-managed control planes; EKS applies its own and takes this as the
// reference). Rules match in order: Secrets' bodies are never written (metadata only), changes to RBAC and
// to the mesh's security objects are recorded with their request, read-only noise is dropped, and every
// other request is recorded at metadata level.
import type { LoadedModel } from '../../model/loaded.ts';
import type { Generator, KubeObject } from '../core/types.ts';
import { platformLabels } from '../core/labels.ts';

export const AUDIT_POLICY_PATH = 'bootstrap/audit-policy.yaml';
const WRITES = ['create', 'update', 'patch', 'delete', 'deletecollection'];
export const RBAC_RESOURCES = ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'];

export function auditPolicy(model: LoadedModel): KubeObject {
  return {
    apiVersion: 'audit.k8s.io/v1',
    kind: 'Policy',
    metadata: { name: `${model.environment.cluster.name}-audit`, labels: platformLabels(model, 'audit') },
    omitStages: ['RequestReceived'],
    rules: [
      // Health probes and the API discovery documents: nothing to learn, a lot of volume.
      { level: 'None', nonResourceURLs: ['/healthz*', '/readyz*', '/livez*', '/version', '/openapi/*', '/api', '/apis'] },
      { level: 'None', resources: [{ group: '', resources: ['events'] }] },
      // Secrets (and ConfigMaps, which may hold credentials by mistake): who, what, when; never the data.
      { level: 'Metadata', resources: [{ group: '', resources: ['secrets', 'configmaps', 'serviceaccounts/token'] }] },
      // Who may do what: every change with its request body.
      { level: 'Request', verbs: WRITES, resources: [{ group: 'rbac.authorization.k8s.io', resources: RBAC_RESOURCES }] },
      { level: 'Request', verbs: WRITES, resources: [{ group: 'security.istio.io', resources: ['authorizationpolicies', 'peerauthentications', 'requestauthentications'] }] },
      { level: 'Metadata', omitStages: ['RequestReceived'] },
    ],
  };
}

export const auditPolicies: Generator = ({ model }) => [{ path: AUDIT_POLICY_PATH, source: 'environment.cluster', object: auditPolicy(model) }];
