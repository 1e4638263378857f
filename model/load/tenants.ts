// Tenants: names, owners, namespaces, and each tenant's quota with the environment's override merged in.
import type { LoadedTenant } from '../loaded.ts';
import type { TenantName } from '../names.ts';
import type { TenantQuota } from '../spec.ts';
import { unknownNameHint } from '../problems.ts';
import { type LoadContext, dnsLabel, report, sortByName } from './context.ts';
import { DEFAULT_QUOTA_PVCS, DEFAULT_QUOTA_STORAGE, DEFAULT_RESOURCE_PROFILE } from './defaults.ts';
import { checkResources } from './resources.ts';

export function loadTenants(context: LoadContext): LoadedTenant[] {
  const { platform, env } = context;
  const tenants: LoadedTenant[] = [];
  for (const [name, tenant] of Object.entries(platform.tenants)) {
    const path = ['tenants', name];
    if (!dnsLabel.test(name)) report(context, path, `tenant name "${name}" is not a DNS label`, 'use lowercase letters, digits and "-"');
    if (tenant.owners.length === 0) report(context, [...path, 'owners'], 'a tenant needs at least one owner', 'add { team, email }');
    if (tenant.namespaces.length === 0) report(context, [...path, 'namespaces'], 'a tenant needs at least one namespace');
    const override = env.quotas?.[name as TenantName];
    const quota: Required<TenantQuota> = { persistentVolumeClaims: DEFAULT_QUOTA_PVCS, storage: DEFAULT_QUOTA_STORAGE, ...tenant.quota, ...override };
    checkResources(context, override?.requests || override?.limits ? [...context.envPath, 'quotas', name] : [...path, 'quota'], quota);
    const registry = tenant.schemaRegistry;
    if (registry) {
      const names = Object.keys(tenant.services);
      for (const role of ['service', 'registrar'] as const)
        if (!names.includes(registry[role])) report(context, [...path, 'schemaRegistry', role], `"${registry[role]}" is not a service of tenant ${name}`, unknownNameHint(registry[role], names));
      const kind = (tenant.services as Record<string, { kind: string }>)[registry.service]?.kind;
      if (kind && kind !== 'http-api') report(context, [...path, 'schemaRegistry', 'service'], `the Schema Registry must be an http-api service; "${registry.service}" is a ${kind}`);
    }
    tenants.push({
      name,
      displayName: tenant.displayName,
      description: tenant.description,
      owners: tenant.owners.map((o) => ({ ...o })),
      costCentre: tenant.costCentre,
      namespaces: [...tenant.namespaces],
      quota,
      monthlyBudget: context.env.budgets?.[name as TenantName] ?? null,
      containerDefaults: tenant.containerDefaults ?? platform.resourceProfiles[DEFAULT_RESOURCE_PROFILE],
      services: Object.keys(tenant.services).sort(),
      schemaRegistry: registry ? { service: registry.service, registrar: registry.registrar } : null,
      modelPath: `tenants.${name}`,
    });
  }
  return sortByName(tenants);
}
