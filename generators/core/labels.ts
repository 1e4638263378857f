// Labels and annotations every generator stamps on its objects.
import type { LoadedModel, LoadedService, LoadedTenant } from '../../model/loaded.ts';

export const MANAGED_BY = 'gamemetrics-platform';
export const LABEL_TENANT = 'gamemetrics.dev/tenant';
export const LABEL_COST_CENTRE = 'gamemetrics.dev/cost-centre';
export const LABEL_ENVIRONMENT = 'gamemetrics.dev/environment';
/** Marks workloads that hold personal data (GDPR scope: backups, audits, deletion). */
export const LABEL_PERSONAL_DATA = 'gamemetrics.dev/personal-data';

/** Labels of the platform's own objects (namespaces, guardrails, Argo CD objects). */
export function platformLabels(model: LoadedModel, component: string): Record<string, string> {
  return {
    'app.kubernetes.io/managed-by': MANAGED_BY,
    'app.kubernetes.io/part-of': model.platform.name,
    'app.kubernetes.io/component': component,
    [LABEL_ENVIRONMENT]: model.environment.name,
  };
}

/** Labels of a tenant's objects that belong to no single service. */
export function tenantLabels(model: LoadedModel, tenant: LoadedTenant): Record<string, string> {
  return {
    'app.kubernetes.io/managed-by': MANAGED_BY,
    'app.kubernetes.io/part-of': tenant.name,
    [LABEL_TENANT]: tenant.name,
    [LABEL_COST_CENTRE]: tenant.costCentre,
    [LABEL_ENVIRONMENT]: model.environment.name,
  };
}

/** The recommended `app.kubernetes.io/*` labels plus tenant, cost-centre and environment. */
export function serviceLabels(model: LoadedModel, service: LoadedService): Record<string, string> {
  const tenant = model.tenants.find((t) => t.name === service.tenant)!;
  return {
    ...selectorLabels(service),
    'app.kubernetes.io/component': service.kind,
    ...tenantLabels(model, tenant),
    ...(service.handlesPersonalData ? { [LABEL_PERSONAL_DATA]: 'true' } : {}),
  };
}

/** The stable subset used in selectors (never changes for the life of a service). */
export function selectorLabels(service: LoadedService): Record<string, string> {
  return { 'app.kubernetes.io/name': service.name, 'app.kubernetes.io/instance': service.name };
}

/** Output path of a tenant's namespaced object. */
export function tenantPath(service: { tenant: string; namespace: string }, kind: string, name: string): string {
  return `tenants/${service.tenant}/${service.namespace}/${kind.toLowerCase()}-${name}.yaml`;
}
