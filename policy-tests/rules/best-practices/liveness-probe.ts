import { missingProbe } from '../../lib/probes.ts';
import type { Rule } from '../../lib/rule.ts';

export const rule: Rule = {
  id: 'best-practices/liveness-probe',
  ruleset: 'best-practices',
  severity: 'error',
  title: 'Long-running workloads have a liveness probe',
  rationale: 'A process that hangs without exiting is only restarted when a liveness probe notices it.',
  fix: 'Add livenessProbe to every container of the workload (in the model: health.liveness).',
  kyverno: { ciOnly: 'a missing probe is a review-time defect; admission would only block emergency fixes' },
  check: missingProbe('livenessProbe', 'liveness'),
};
