// Labels and annotations every generator stamps on its objects, and the platform's own components they name.
import type { LoadedModel, LoadedService, LoadedTenant } from '../../model/loaded.ts';
import { LABEL_COMPONENT, LABEL_INSTANCE, LABEL_MANAGED_BY, LABEL_NAME, LABEL_PART_OF } from './kubernetes.ts';

export const MANAGED_BY = 'gamemetrics-platform';
export const LABEL_TENANT = 'gamemetrics.dev/tenant';
export const LABEL_COST_CENTRE = 'gamemetrics.dev/cost-centre';
export const LABEL_ENVIRONMENT = 'gamemetrics.dev/environment';
/** Marks workloads that hold personal data (GDPR scope: backups, audits, deletion). */
export const LABEL_PERSONAL_DATA = 'gamemetrics.dev/personal-data';
/** Pod label Argo Rollouts puts on every pod of a Rollout: the hash of the pod template (one per version). */
export const ROLLOUT_POD_HASH_LABEL = 'rollouts-pod-template-hash';

/** A pod label as the Prometheus Operator names it on scraped series (`podTargetLabels`): `-`, `.`, `/` become `_`. */
export function prometheusLabelName(podLabel: string): string {
  return podLabel.replace(/[^a-zA-Z0-9_]/g, '_');
}

/** Components (model/components.ts) whose folders generators write: namespaces and guardrails, Kyverno policies. */
export const NAMESPACES_COMPONENT = 'namespaces';
export const POLICIES_COMPONENT = 'policies';

/** Labels of the platform's own objects (namespaces, guardrails, Argo CD objects). */
export function platformLabels(model: LoadedModel, component: string): Record<string, string> {
  return {
    [LABEL_MANAGED_BY]: MANAGED_BY,
    [LABEL_PART_OF]: model.platform.name,
    [LABEL_COMPONENT]: component,
    [LABEL_ENVIRONMENT]: model.environment.name,
  };
}

/** Labels of a tenant's objects that belong to no single service. */
export function tenantLabels(model: LoadedModel, tenant: LoadedTenant): Record<string, string> {
  return {
    [LABEL_MANAGED_BY]: MANAGED_BY,
    [LABEL_PART_OF]: tenant.name,
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
    [LABEL_COMPONENT]: service.kind,
    ...tenantLabels(model, tenant),
    ...(service.handlesPersonalData ? { [LABEL_PERSONAL_DATA]: 'true' } : {}),
  };
}

/** The stable subset used in selectors (never changes for the life of a service). */
export function selectorLabels(service: LoadedService): Record<string, string> {
  return { [LABEL_NAME]: service.name, [LABEL_INSTANCE]: service.name };
}
