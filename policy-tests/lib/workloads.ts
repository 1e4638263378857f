// Finds the pod spec inside a workload and walks its containers.
import type { Doc, KubeDoc } from './documents.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Obj = Record<string, any>;
export type Path = Array<string | number>;

export const CONTAINER_FIELDS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

export interface PodRef {
  /** The pod spec (Pod `.spec`, or a template's `.spec`). */
  spec: Obj;
  specPath: Path;
  /** Pod (or template) metadata. */
  meta: Obj;
  metaPath: Path;
}

export interface ContainerRef {
  c: Obj;
  path: Path;
  type: (typeof CONTAINER_FIELDS)[number];
}

const TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'Rollout']);

/** The pod template path of a workload kind, or null. */
function templatePath(d: KubeDoc): Path | null {
  if (d.kind === 'Pod') return [];
  if (d.kind === 'CronJob') return ['spec', 'jobTemplate', 'spec', 'template'];
  if (d.kind === 'PodTemplate') return ['template'];
  if (typeof d.kind === 'string' && TEMPLATE_KINDS.has(d.kind)) return ['spec', 'template'];
  return null;
}

export function get(obj: unknown, path: Path): any {
  let cur: any = obj;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = cur[seg];
  }
  return cur;
}

export function podOf(doc: Doc): PodRef | null {
  const base = templatePath(doc.data);
  if (!base) return null;
  const tpl = base.length ? get(doc.data, base) : doc.data;
  if (!tpl || typeof tpl !== 'object' || !tpl.spec || typeof tpl.spec !== 'object') return null;
  return { spec: tpl.spec, specPath: [...base, 'spec'], meta: tpl.metadata ?? {}, metaPath: [...base, 'metadata'] };
}

export function containersOf(pod: PodRef): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const type of CONTAINER_FIELDS) {
    const list = pod.spec[type];
    if (!Array.isArray(list)) continue;
    list.forEach((c, i) => c && typeof c === 'object' && out.push({ c, path: [...pod.specPath, type, i], type }));
  }
  return out;
}

/** Long-running containers: regular containers and restartable (sidecar) init containers. */
export function isLongRunning(ref: ContainerRef): boolean {
  return ref.type === 'containers' || (ref.type === 'initContainers' && ref.c.restartPolicy === 'Always');
}

export const isWindows = (pod: PodRef) => pod.spec.os?.name === 'windows';

/** Workload kinds that run continuously (probes, replicas and spread apply). */
export const LONG_RUNNING_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Rollout']);

export const labelsOf = (d: KubeDoc): Record<string, string> => d.metadata?.labels ?? {};

/** Namespace of a document (`default` when none is written). */
export const namespaceOf = (d: Doc) => d.data.metadata?.namespace ?? 'default';

/** Does a label selector (matchLabels + matchExpressions) select these labels? */
export function selects(selector: Obj | undefined, labels: Record<string, string>): boolean {
  if (!selector || typeof selector !== 'object') return false;
  const ml: Record<string, string> = selector.matchLabels ?? {};
  const exprs: Obj[] = selector.matchExpressions ?? [];
  if (!Object.keys(ml).length && !exprs.length) return true;
  if (!Object.entries(ml).every(([k, v]) => labels[k] === v)) return false;
  return exprs.every((e) => {
    const has = e.key in labels;
    const values: string[] = e.values ?? [];
    if (e.operator === 'In') return has && values.includes(labels[e.key]);
    if (e.operator === 'NotIn') return !has || !values.includes(labels[e.key]);
    if (e.operator === 'Exists') return has;
    if (e.operator === 'DoesNotExist') return !has;
    return false;
  });
}
