// Quotas: each tenant namespace's quota must hold the services that run there at maximum scale (the HPA
// must be able to reach maxReplicas; a cron job runs one pod at a time). Problems name tenant, namespace and numbers.
import type { LoadedService, LoadedTenant } from '../loaded.ts';
import type { TenantName } from '../names.ts';
import { formatCpu, parseCpu, parseMemory } from '../quantities.ts';
import { type LoadContext, report } from './context.ts';

/** Pods a service runs at most. */
export function peakReplicas(service: LoadedService): number {
  if (service.kind === 'cron-job') return 1;
  return service.scaling.mode === 'fixed' ? service.scaling.replicas : service.scaling.maxReplicas;
}

const gib = (bytes: number) => `${Math.round((bytes / 2 ** 30) * 100) / 100}Gi`;

export function checkQuotas(context: LoadContext, tenants: LoadedTenant[], services: LoadedService[]): void {
  for (const tenant of tenants) {
    const overridden = context.env.quotas?.[tenant.name as TenantName];
    const quotaPath = overridden ? [...context.envPath, 'quotas', tenant.name] : ['tenants', tenant.name, 'quota'];
    for (const namespace of tenant.namespaces) {
      const own = services.filter((s) => s.tenant === tenant.name && s.namespace === namespace);
      const where = `tenant "${tenant.name}", namespace "${namespace}"`;
      for (const side of ['requests', 'limits'] as const) {
        const cpu = own.reduce((sum, s) => sum + peakReplicas(s) * (parseCpu(s.resources[side].cpu) ?? 0), 0);
        const memory = own.reduce((sum, s) => sum + peakReplicas(s) * (parseMemory(s.resources[side].memory) ?? 0), 0);
        if (cpu > (parseCpu(tenant.quota[side].cpu) ?? Infinity)) {
          report(context, [...quotaPath, side, 'cpu'], `${where}: at maximum scale the services need ${formatCpu(cpu)} CPU of ${side}, more than the quota's ${tenant.quota[side].cpu}`, `raise the quota to at least ${formatCpu(cpu)} or lower maxReplicas`);
        }
        if (memory > (parseMemory(tenant.quota[side].memory) ?? Infinity)) {
          report(context, [...quotaPath, side, 'memory'], `${where}: at maximum scale the services need ${gib(memory)} of ${side} memory, more than the quota's ${tenant.quota[side].memory}`, `raise the quota to at least ${gib(memory)} or lower maxReplicas`);
        }
      }
      const pods = own.reduce((sum, s) => sum + peakReplicas(s), 0);
      if (pods > tenant.quota.pods) report(context, [...quotaPath, 'pods'], `${where}: at maximum scale the services run ${pods} pods, more than the quota's ${tenant.quota.pods}`, `raise the quota to at least ${pods} or lower maxReplicas`);
    }
  }
}
