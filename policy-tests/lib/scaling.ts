// How many pods a workload runs: its replicas, or the bounds of the autoscaler that targets it.
import type { Doc } from './documents.ts';
import { namespaceOf, type Obj } from './workloads.ts';

export const SCALABLE_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'Rollout']);

export interface Scaling {
  min: number;
  max: number;
  /** The autoscaler document and the JSON path of its minimum, when one targets the workload. */
  autoscaler: { doc: Doc; minPath: Array<string | number> } | null;
}


/** Scaling of every scalable workload in the set, by document. */
export function scalingOf(all: Doc[]): Map<Doc, Scaling> {
  const out = new Map<Doc, Scaling>();
  const key = (ns: string, kind: string, name: string) => `${ns}/${kind}/${name}`;
  const workloads = new Map<string, Doc>();
  for (const d of all) {
    if (!SCALABLE_KINDS.has(String(d.data.kind))) continue;
    const r = (d.data.spec as Obj | undefined)?.replicas;
    const n = typeof r === 'number' ? r : 1;
    out.set(d, { min: n, max: n, autoscaler: null });
    workloads.set(key(namespaceOf(d), String(d.data.kind), String(d.data.metadata?.name)), d);
  }
  for (const d of all) {
    const spec = (d.data.spec ?? {}) as Obj;
    let target: Doc | undefined;
    if (d.data.kind === 'HorizontalPodAutoscaler') {
      target = workloads.get(key(namespaceOf(d), spec.scaleTargetRef?.kind, spec.scaleTargetRef?.name));
      if (target) out.set(target, { min: spec.minReplicas ?? 1, max: spec.maxReplicas ?? 1, autoscaler: { doc: d, minPath: ['spec', 'minReplicas'] } });
    } else if (d.data.kind === 'ScaledObject') {
      target = workloads.get(key(namespaceOf(d), spec.scaleTargetRef?.kind ?? 'Deployment', spec.scaleTargetRef?.name));
      if (target) out.set(target, { min: spec.minReplicaCount ?? 0, max: spec.maxReplicaCount ?? 100, autoscaler: { doc: d, minPath: ['spec', 'minReplicaCount'] } });
    }
  }
  return out;
}
