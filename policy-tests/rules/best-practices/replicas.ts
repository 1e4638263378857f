import type { Rule, Violation } from '../../lib/rule.ts';
import { scalingOf } from '../../lib/scaling.ts';

export const rule: Rule = {
  id: 'best-practices/replicas',
  ruleset: 'best-practices',
  severity: 'error',
  title: 'Production workloads run at least 2 replicas (or an autoscaler minimum of 2)',
  rationale: 'A single replica is down during every rollout, node drain and crash.',
  fix: 'Set replicas: 2 or more, or autoscale with minReplicas: 2 or more (in the model: scaling).',
  kyverno: { ciOnly: 'depends on the environment tier and on autoscalers elsewhere in the set' },
  check: (ctx) => {
    const out: Violation[] = [];
    for (const [doc, s] of scalingOf(ctx.docs)) {
      if (ctx.envOf(doc).tier !== 'production' || s.min >= 2) continue;
      if (s.autoscaler) out.push({ doc: s.autoscaler.doc, path: s.autoscaler.minPath, message: `the autoscaler of ${doc.ref} allows ${s.min} replica(s) in production` });
      else out.push({ doc, path: ['spec', 'replicas'], message: `${s.min} replica(s) in production` });
    }
    return out;
  },
};
