import { deployment } from '../../lib/fixtures.ts';
import { containerName } from '../../lib/pss.ts';
import { perDocument, type Rule } from '../../lib/rule.ts';
import { containersOf, LONG_RUNNING_KINDS, podOf } from '../../lib/workloads.ts';

export const rule: Rule = {
  id: 'best-practices/liveness-probe',
  ruleset: 'best-practices',
  severity: 'error',
  title: 'Long-running workloads have a liveness probe',
  rationale: 'A process that hangs without exiting is only restarted when a liveness probe notices it.',
  fix: 'Add livenessProbe to every container of the workload (in the model: health.liveness).',
  kyverno: { ciOnly: 'a missing probe is a review-time defect; admission would only block emergency fixes' },
  fixtures: {
    pass: deployment(),
    fail: deployment((d) => delete d.spec.template.spec.containers[0].livenessProbe),
    failPath: 'spec.template.spec.containers[0].livenessProbe',
  },
  check: perDocument((doc) => {
    const pod = podOf(doc);
    if (!pod || !LONG_RUNNING_KINDS.has(String(doc.data.kind))) return [];
    return containersOf(pod)
      .filter((c) => c.type === 'containers' && !c.c.livenessProbe)
      .map((c) => ({ path: [...c.path, 'livenessProbe'], message: `${containerName(c)} has no liveness probe` }));
  }),
};
