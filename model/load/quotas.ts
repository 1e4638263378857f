// Quotas: every tenant's services must fit its namespace quota at maximum scale (the HPA must be able to reach maxReplicas).
import type { LoadedService, LoadedTenant } from '../loaded.ts';
import type { TenantName } from '../names.ts';
import { parseCpu, parseMemory } from '../quantities.ts';
import { type LoadContext, report } from './context.ts';

export function checkQuotas(context: LoadContext, tenants: LoadedTenant[], services: LoadedService[]): void {
  for (const tenant of tenants) {
    const own = services.filter((s) => s.tenant === tenant.name && s.kind !== 'cron-job');
    const peak = (s: LoadedService) => (s.scaling.mode === 'fixed' ? s.scaling.replicas : s.scaling.maxReplicas);
    const overridden = context.env.quotas?.[tenant.name as TenantName];
    const quotaPath = overridden ? [...context.envPath, 'quotas', tenant.name] : ['tenants', tenant.name, 'quota'];
    for (const side of ['requests', 'limits'] as const) {
      const cpu = own.reduce((sum, s) => sum + peak(s) * (parseCpu(s.resources[side].cpu) ?? 0), 0);
      const memory = own.reduce((sum, s) => sum + peak(s) * (parseMemory(s.resources[side].memory) ?? 0), 0);
      if (cpu > (parseCpu(tenant.quota[side].cpu) ?? Infinity)) {
        report(context, [...quotaPath, side, 'cpu'], `at maximum scale the services need ${cpu / 1000} CPU of ${side}, more than the quota's ${tenant.quota[side].cpu}`, 'raise the quota or lower maxReplicas');
      }
      if (memory > (parseMemory(tenant.quota[side].memory) ?? Infinity)) {
        report(context, [...quotaPath, side, 'memory'], `at maximum scale the services need ${memory / 2 ** 30}Gi of ${side} memory, more than the quota's ${tenant.quota[side].memory}`, 'raise the quota or lower maxReplicas');
      }
    }
    const pods = own.reduce((sum, s) => sum + peak(s), 0);
    if (pods > tenant.quota.pods) report(context, [...quotaPath, 'pods'], `at maximum scale the services run ${pods} pods, more than the quota's ${tenant.quota.pods}`, 'raise the quota or lower maxReplicas');
  }
}
