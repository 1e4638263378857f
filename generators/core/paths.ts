// Where rendered files go: the repository folder of the environments, and the path of a tenant's objects in theirs.

/** The repository folder holding `<env>/` for every environment (what Argo CD syncs from Git). */
export const RENDERED_DIR = 'rendered';

/** Repository-relative path of a file of an environment's folder (`rendered/<env>/<path>`). */
export function renderedPath(env: string, path: string): string {
  return `${RENDERED_DIR}/${env}/${path}`;
}

/** Output path of a tenant's namespaced object. */
export function tenantPath(service: { tenant: string; namespace: string }, kind: string, name: string): string {
  return `tenants/${service.tenant}/${service.namespace}/${kind.toLowerCase()}-${name}.yaml`;
}
