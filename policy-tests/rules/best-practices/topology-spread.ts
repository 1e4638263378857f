import type { Rule, Violation } from '../../lib/rule.ts';
import { scalingOf } from '../../lib/scaling.ts';
import { podOf } from '../../lib/workloads.ts';

export const rule: Rule = {
  id: 'best-practices/topology-spread',
  ruleset: 'best-practices',
  severity: 'error',
  title: 'Multi-replica workloads spread their pods (topology spread or pod anti-affinity)',
  rationale: 'Replicas packed on one node or zone fail together, which defeats running several.',
  fix: 'Add topologySpreadConstraints over topology.kubernetes.io/zone and kubernetes.io/hostname (or a podAntiAffinity).',
  kyverno: { ciOnly: 'depends on replica counts and autoscalers elsewhere in the set' },
  check: (ctx) => {
    const out: Violation[] = [];
    for (const [doc, s] of scalingOf(ctx.docs)) {
      const pod = podOf(doc);
      if (!pod || s.max < 2) continue;
      if (pod.spec.topologySpreadConstraints?.length || pod.spec.affinity?.podAntiAffinity) continue;
      out.push({ doc, path: [...pod.specPath, 'topologySpreadConstraints'], message: `up to ${s.max} replicas with no topology spread constraint or pod anti-affinity` });
    }
    return out;
  },
};
