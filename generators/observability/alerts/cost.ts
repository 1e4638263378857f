// Cost: each tenant with a budget in the environment (`budgets`) is warned when the requests of its running pods,
// priced at the platform's list prices (model/capacity.ts), stay above the budget for 6 hours. What a render
// can check (a budget that does not even pay for the minimum scale) model/load/quotas.ts refuses; this watches
// what actually runs: scale-outs, pods outside the model, forgotten jobs.
import type { LoadedModel } from '../../../model/loaded.ts';
import { type AlertingRule, type RuleGroup, alertingRule } from './rules.ts';

const GIB = 2 ** 30;

export function costAlerts(model: LoadedModel): RuleGroup {
  const { prices } = model.capacity;
  return {
    name: 'cost',
    rules: model.tenants.flatMap((tenant): AlertingRule[] => {
      if (tenant.monthlyBudget === null) return [];
      const namespaces = `namespace=~"${tenant.namespaces.join('|')}"`;
      // Requests of running pods only: finished Job pods keep their series until they are deleted.
      const requested = (resource: string) =>
        `sum(kube_pod_container_resource_requests{resource="${resource}", ${namespaces}} * on (namespace, pod) group_left () (kube_pod_status_phase{phase="Running", ${namespaces}} == 1))`;
      return [alertingRule(model, {
        alert: 'TenantCostOverBudget', tenant: tenant.name, severity: 'warning', for: '6h',
        expr: `(${requested('cpu')} * ${prices.cpuCoreHour} + ${requested('memory')} / ${GIB} * ${prices.memoryGiBHour}) * ${prices.hoursPerMonth} > ${tenant.monthlyBudget}`,
        summary: `${tenant.displayName}'s running pods request more than its monthly budget of ${tenant.monthlyBudget} ${prices.currency}.`,
        description: `At list prices, what ${tenant.name}'s running pods request costs {{ $value | printf "%.0f" }} ${prices.currency} a month, above its budget of ${tenant.monthlyBudget} ${prices.currency} in this cluster, for 6 hours.`,
      })];
    }),
  };
}
