import type { Rule } from '../../lib/rule.ts';
import { perDocument } from '../../lib/rule.ts';
import type { Obj } from '../../lib/workloads.ts';

/** Labels that attribute a workload's cost (cost-allocation tags, Kubecost): who pays, which environment. */
export const COST_ALLOCATION_LABELS = ['gamemetrics.dev/tenant', 'gamemetrics.dev/cost-centre', 'gamemetrics.dev/environment'] as const;
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Rollout']);
/** The platform's own objects carry this (generators/core/labels.ts); the rule holds what the platform renders. */
const MANAGED_BY = ['app.kubernetes.io/managed-by', 'gamemetrics-platform'] as const;

/** The pod template of a workload (a CronJob's is one level deeper). */
function podTemplate(data: Obj): Obj | undefined {
  return data.kind === 'CronJob' ? data.spec?.jobTemplate?.spec?.template : data.spec?.template;
}

export const rule: Rule = {
  id: 'platform/cost-allocation-labels',
  ruleset: 'platform',
  severity: 'error',
  title: 'Every workload the platform renders, and its pods, carry the cost-allocation labels (tenant, cost centre, environment)',
  rationale: 'Cost reports split the bill by these labels on the pods; a workload without them is cost nobody owns.',
  fix: 'Stamp the tenant labels (generators/core/labels.ts tenantLabels or serviceLabels) on the workload and its pod template.',
  kyverno: { ciOnly: "only what this repository renders is held to it: operators' charts label their own pods" },
  check: perDocument((doc) => {
    const data = doc.data as Obj;
    if (!WORKLOAD_KINDS.has(data.kind) || data.metadata?.labels?.[MANAGED_BY[0]] !== MANAGED_BY[1]) return [];
    const template = podTemplate(data);
    const templatePath = data.kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels'] : ['spec', 'template', 'metadata', 'labels'];
    const out = [];
    for (const label of COST_ALLOCATION_LABELS) {
      if (!data.metadata?.labels?.[label]) out.push({ path: ['metadata', 'labels'], message: `${data.kind} ${data.metadata?.name} has no ${label} label` });
      if (template && !template.metadata?.labels?.[label]) out.push({ path: templatePath, message: `the pods of ${data.kind} ${data.metadata?.name} have no ${label} label` });
    }
    return out;
  }),
};
