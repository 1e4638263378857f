// Capacity: list prices, and the quota of every namespace no tenant owns; the data and Kafka namespaces'
// quotas must hold the volumes the environment sizes there.
import type { LoadedCapacity, LoadedDatastore, LoadedEnvironment, LoadedTenant } from '../loaded.ts';
import { parseMemory } from '../quantities.ts';
import type { TenantQuota } from '../spec.ts';
import { type LoadContext, report } from './context.ts';
import { DEFAULT_HOURS_PER_MONTH, DEFAULT_QUOTA_PVCS, DEFAULT_QUOTA_STORAGE, DEFAULT_RESOURCE_PROFILE } from './defaults.ts';
import { checkResources } from './resources.ts';

const withDefaults = (quota: TenantQuota): Required<TenantQuota> => ({ persistentVolumeClaims: DEFAULT_QUOTA_PVCS, storage: DEFAULT_QUOTA_STORAGE, ...quota });

export function loadCapacity(context: LoadContext, tenants: LoadedTenant[]): LoadedCapacity {
  const { capacity } = context.platform;
  const path = ['capacity'];
  const prices = capacity.prices;
  if (!(prices.cpuCoreHour >= 0) || !(prices.memoryGiBHour >= 0)) report(context, [...path, 'prices'], 'prices cannot be negative');
  const tenantNamespaces = new Set(tenants.flatMap((t) => t.namespaces));
  const namespaceQuotas: Record<string, Required<TenantQuota>> = {};
  for (const [namespace, quota] of Object.entries(capacity.namespaceQuotas ?? {})) {
    if (tenantNamespaces.has(namespace)) report(context, [...path, 'namespaceQuotas', namespace], `namespace "${namespace}" belongs to a tenant, whose quota is its tenant's`, "set it in the tenant's quota instead");
    checkResources(context, [...path, 'namespaceQuotas', namespace], quota);
    namespaceQuotas[namespace] = withDefaults(quota);
  }
  checkResources(context, [...path, 'platformNamespaceQuota'], capacity.platformNamespaceQuota);
  return {
    prices: { currency: prices.currency, cpuCoreHour: prices.cpuCoreHour, memoryGiBHour: prices.memoryGiBHour, hoursPerMonth: prices.hoursPerMonth ?? DEFAULT_HOURS_PER_MONTH },
    platformNamespaceQuota: withDefaults(capacity.platformNamespaceQuota),
    namespaceQuotas,
    platformContainerDefaults: capacity.platformContainerDefaults ?? context.platform.resourceProfiles[DEFAULT_RESOURCE_PROFILE],
  };
}

/** The quota of a namespace no tenant owns. */
export function platformQuota(capacity: LoadedCapacity, namespace: string): { quota: Required<TenantQuota>; modelPath: string } {
  const own = capacity.namespaceQuotas[namespace];
  return own ? { quota: own, modelPath: `capacity.namespaceQuotas.${namespace}` } : { quota: capacity.platformNamespaceQuota, modelPath: 'capacity.platformNamespaceQuota' };
}

/** The volumes of the datastores and the Kafka node pools must fit their namespaces' quotas (claims and storage). */
export function checkVolumeQuotas(context: LoadContext, capacity: LoadedCapacity, environment: LoadedEnvironment, datastores: LoadedDatastore[]): void {
  const need = new Map<string, { claims: number; bytes: number; what: string[] }>();
  const add = (namespace: string, claims: number, size: string, what: string) => {
    const entry = need.get(namespace) ?? { claims: 0, bytes: 0, what: [] };
    entry.claims += claims;
    entry.bytes += claims * (parseMemory(size) ?? 0);
    entry.what.push(`${what} ${claims} × ${size}`);
    need.set(namespace, entry);
  };
  for (const store of datastores) add(store.namespace, store.instances, store.storage, store.name);
  const kafka = environment.kafka;
  add(kafka.namespace, kafka.brokers + (kafka.controllers === 'combined' ? 0 : kafka.controllers), kafka.storage, 'Kafka node pools');
  for (const [namespace, { claims, bytes, what }] of need) {
    const { quota, modelPath } = platformQuota(capacity, namespace);
    const quotaPath = modelPath.split('.');
    const detail = `namespace "${namespace}" needs ${claims} volume claims of ${bytes / 2 ** 30}Gi in all (${what.join(', ')})`;
    if (claims > quota.persistentVolumeClaims) report(context, [...quotaPath, 'persistentVolumeClaims'], `${detail}, more than its quota's ${quota.persistentVolumeClaims} claims`, `raise ${modelPath}.persistentVolumeClaims`);
    if (bytes > (parseMemory(quota.storage) ?? Infinity)) report(context, [...quotaPath, 'storage'], `${detail}, more than its quota's ${quota.storage}`, `raise ${modelPath}.storage`);
  }
}
