// Mesh identities and enrolment: which namespaces get sidecars, and the SPIFFE principal of a ServiceAccount.
import type { LoadedModel } from '../../model/loaded.ts';

export { ISTIO_INJECTION_LABEL } from '../../policy-tests/rules/platform/strict-mtls.ts';
/** The mesh's trust domain (Istio's default): principals are `<trust domain>/ns/<namespace>/sa/<service account>`. */
export const TRUST_DOMAIN = 'cluster.local';

export function principal(namespace: string, serviceAccount: string): string {
  return `${TRUST_DOMAIN}/ns/${namespace}/sa/${serviceAccount}`;
}

/** The API group of Istio's security CRDs: the mesh is rendered only where a component installs them. */
export const ISTIO_SECURITY_GROUP = 'security.istio.io';

/** The enrolled namespaces, sorted: every tenant namespace and every datastore namespace (none without Istio). */
export function meshNamespaces(model: LoadedModel): string[] {
  if (!model.components.some((c) => c.crdGroups.includes(ISTIO_SECURITY_GROUP))) return [];
  return [...new Set([...model.tenants.flatMap((t) => t.namespaces), ...model.datastores.map((d) => d.namespace)])].sort();
}
