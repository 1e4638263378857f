import { missingProbe } from '../../lib/probes.ts';
import type { Rule } from '../../lib/rule.ts';

export const rule: Rule = {
  id: 'best-practices/readiness-probe',
  ruleset: 'best-practices',
  severity: 'error',
  title: 'Long-running workloads have a readiness probe',
  rationale: 'Without a readiness probe a pod gets traffic before it can serve it, and a rollout cannot tell a broken version from a working one.',
  fix: 'Add readinessProbe to every container of the workload (in the model: health.readiness).',
  kyverno: { ciOnly: 'a missing probe is a review-time defect; admission would only block emergency fixes' },
  check: missingProbe('readinessProbe', 'readiness'),
};
