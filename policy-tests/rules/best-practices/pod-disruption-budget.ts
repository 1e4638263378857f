import type { Rule, Violation } from '../../lib/rule.ts';
import { scalingOf } from '../../lib/scaling.ts';
import { namespaceOf, podOf, selects, type Obj } from '../../lib/workloads.ts';

/** Pods that remain allowed to be evicted, or a reason none is. */
function blocksDisruption(spec: Obj, replicas: number): string | null {
  const { maxUnavailable: maxU, minAvailable: minA } = spec;
  if (maxU !== undefined && (maxU === 0 || maxU === '0%')) return `maxUnavailable ${maxU} never allows an eviction`;
  if (typeof minA === 'string' && minA.endsWith('%') && Number(minA.slice(0, -1)) >= 100) return `minAvailable ${minA} never allows an eviction`;
  if (typeof minA === 'number' && minA >= replicas) return `minAvailable ${minA} with ${replicas} replica(s) never allows an eviction`;
  return null;
}

export const rule: Rule = {
  id: 'best-practices/pod-disruption-budget',
  ruleset: 'best-practices',
  severity: 'error',
  title: 'PodDisruptionBudgets select pods and still allow a disruption',
  rationale: 'A budget that selects nothing protects nothing; one that allows no eviction blocks node drains and cluster upgrades.',
  fix: 'Make spec.selector match the workload\'s pod labels, and use maxUnavailable: 1 (or a minAvailable below the replica count).',
  kyverno: { ciOnly: 'needs the workloads and autoscalers of the whole set, which admission of a single budget does not see' },
  check: (ctx) => {
    const scaling = scalingOf(ctx.docs);
    const workloads = ctx.docs.filter((d) => podOf(d) && d.data.kind !== 'Pod' && d.data.kind !== 'Job' && d.data.kind !== 'CronJob');
    const out: Violation[] = [];
    for (const doc of ctx.docs) {
      if (doc.data.kind !== 'PodDisruptionBudget') continue;
      const spec = (doc.data.spec ?? {}) as Obj;
      const matched = workloads.filter((w) => namespaceOf(w) === namespaceOf(doc) && selects(spec.selector, podOf(w)!.meta.labels ?? {}));
      if (!matched.length) {
        out.push({ doc, path: ['spec', 'selector'], message: `the budget selects no pods of any workload in namespace ${namespaceOf(doc)}` });
        continue;
      }
      for (const w of matched) {
        const s = scaling.get(w);
        if (!s) continue; // DaemonSets: one pod per node, no replica count
        const why = blocksDisruption(spec, s.min);
        if (why) out.push({ doc, path: ['spec', spec.maxUnavailable !== undefined ? 'maxUnavailable' : 'minAvailable'], message: `${why} (${w.ref})` });
      }
    }
    return out;
  },
};
