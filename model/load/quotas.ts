// Quotas: each tenant namespace's quota must hold the services that run there at maximum scale (the HPA
// must be able to reach maxReplicas; a cron job runs one pod at a time), and a tenant's budget must pay for its
// services at their minimum scale. Problems name tenant, namespace and numbers.
import type { LoadedCapacity, LoadedService, LoadedTenant } from '../loaded.ts';
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

/** Pods a service runs at least (cron jobs run now and then: none counted). */
export function floorReplicas(service: LoadedService): number {
  if (service.kind === 'cron-job') return 0;
  return service.scaling.mode === 'fixed' ? service.scaling.replicas : service.scaling.minReplicas;
}

/** Cores and GiB that `services` request with `replicas` pods each. */
export function requestedCapacity(services: LoadedService[], replicas: (s: LoadedService) => number): { cpu: number; memoryGiB: number } {
  const cpu = services.reduce((sum, s) => sum + replicas(s) * (parseCpu(s.resources.requests.cpu) ?? 0), 0) / 1000;
  const memoryGiB = services.reduce((sum, s) => sum + replicas(s) * (parseMemory(s.resources.requests.memory) ?? 0), 0) / 2 ** 30;
  return { cpu, memoryGiB };
}

/** The monthly list price of requested cores and GiB. */
export function monthlyPrice(capacity: { cpu: number; memoryGiB: number }, prices: LoadedCapacity['prices']): number {
  return (capacity.cpu * prices.cpuCoreHour + capacity.memoryGiB * prices.memoryGiBHour) * prices.hoursPerMonth;
}

/** A tenant's budget (environment `budgets`, per cluster) must at least pay for its services at their minimum scale. */
export function checkBudgets(context: LoadContext, tenants: LoadedTenant[], services: LoadedService[], capacity: LoadedCapacity): void {
  // Only on an otherwise sound model: with scaling or resources wrong, the floor priced is not what will run,
  // and its overrun would only repeat the problem already reported.
  if (context.problems.length > 0) return;
  for (const tenant of tenants) {
    if (tenant.monthlyBudget === null) continue;
    const path = [...context.envPath, 'budgets', tenant.name];
    if (!(tenant.monthlyBudget > 0)) {
      report(context, path, `a budget must be a positive amount, got ${tenant.monthlyBudget}`);
      continue;
    }
    const floor = monthlyPrice(requestedCapacity(services.filter((s) => s.tenant === tenant.name), floorReplicas), capacity.prices);
    if (floor > tenant.monthlyBudget) {
      const amount = (n: number) => `${Math.ceil(n)} ${capacity.prices.currency}`;
      report(context, path, `tenant "${tenant.name}": its services at their minimum scale already request ${amount(floor)} a month at list prices, more than the budget of ${amount(tenant.monthlyBudget)}`, `raise the budget to at least ${amount(floor)}, or lower replicas or requests`);
    }
  }
}
