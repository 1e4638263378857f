import { deployment } from '../../lib/fixtures.ts';
import { containerName } from '../../lib/pss.ts';
import { perDocument, type Rule } from '../../lib/rule.ts';
import { containersOf, LONG_RUNNING_KINDS, podOf } from '../../lib/workloads.ts';

export const rule: Rule = {
  id: 'best-practices/readiness-probe',
  ruleset: 'best-practices',
  severity: 'error',
  title: 'Long-running workloads have a readiness probe',
  rationale: 'Without a readiness probe a pod gets traffic before it can serve it, and a rollout cannot tell a broken version from a working one.',
  fix: 'Add readinessProbe to every container of the workload (in the model: health.readiness).',
  kyverno: { ciOnly: 'a missing probe is a review-time defect; admission would only block emergency fixes' },
  fixtures: {
    pass: deployment(),
    fail: deployment((d) => delete d.spec.template.spec.containers[0].readinessProbe),
    failPath: 'spec.template.spec.containers[0].readinessProbe',
  },
  check: perDocument((doc) => {
    const pod = podOf(doc);
    if (!pod || !LONG_RUNNING_KINDS.has(String(doc.data.kind))) return [];
    return containersOf(pod)
      .filter((c) => c.type === 'containers' && !c.c.readinessProbe)
      .map((c) => ({ path: [...c.path, 'readinessProbe'], message: `${containerName(c)} has no readiness probe` }));
  }),
};
