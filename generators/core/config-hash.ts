// Configuration changes reach the pods: each pod template carries a content hash of the ConfigMaps its pods
// read (env, envFrom, volumes), so a change to one ConfigMap changes exactly the templates that read it, and
// Argo CD's sync rolls exactly those workloads. The hash is a pure function of the rendered data: no time,
// no randomness.
import { createHash } from 'node:crypto';
import type { KubeObject, OutputFile } from './types.ts';

export const CONFIG_HASH_ANNOTATION = 'gamemetrics.dev/config-hash';

type Obj = Record<string, any>;

/** Where a workload kind keeps its pod template. */
const TEMPLATE_PATH: Record<string, string[]> = {
  Deployment: ['spec', 'template'],
  Rollout: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** The pod template of a workload object, or undefined for other kinds. */
export function podTemplateOf(object: Obj): Obj | undefined {
  const path = TEMPLATE_PATH[object.kind];
  if (!path || !['apps/v1', 'batch/v1', 'argoproj.io/v1alpha1'].includes(object.apiVersion)) return undefined;
  return path.reduce<Obj | undefined>((at, key) => at?.[key], object);
}

/** Names of the ConfigMaps a pod spec reads, sorted and once each. */
export function configMapsReadBy(podSpec: Obj): string[] {
  const names = new Set<string>();
  for (const v of podSpec.volumes ?? []) {
    if (v.configMap?.name) names.add(v.configMap.name);
    for (const s of v.projected?.sources ?? []) if (s.configMap?.name) names.add(s.configMap.name);
  }
  for (const c of [...(podSpec.initContainers ?? []), ...(podSpec.containers ?? [])]) {
    for (const e of c.env ?? []) if (e.valueFrom?.configMapKeyRef?.name) names.add(e.valueFrom.configMapKeyRef.name);
    for (const e of c.envFrom ?? []) if (e.configMapRef?.name) names.add(e.configMapRef.name);
  }
  return [...names].sort();
}

/** JSON with object keys sorted at every level: the same data always gives the same text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Obj)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** `sha256:<hex>` over the ConfigMaps' names and data, in name order. */
export function configHash(configMaps: KubeObject[]): string {
  const content = configMaps
    .slice()
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))
    .map((cm) => canonicalJson([cm.metadata.name, cm.data ?? {}, cm.binaryData ?? {}]));
  return `sha256:${createHash('sha256').update(content.join('\n')).digest('hex')}`;
}

/** A copy of `object` with `value` at `path`, sharing everything off the path. */
function withAt(object: Obj, path: string[], value: unknown): Obj {
  const [key, ...rest] = path;
  return { ...object, [key]: rest.length === 0 ? value : withAt(object[key], rest, value) };
}

/** The files, with the config hash set on every pod template that reads a ConfigMap among them (new objects; the input is left as it was). */
export function withConfigHashes(files: OutputFile[]): OutputFile[] {
  const configMaps = new Map<string, KubeObject>();
  for (const f of files) if (f.object.kind === 'ConfigMap' && f.object.apiVersion === 'v1') configMaps.set(`${f.object.metadata.namespace ?? ''}/${f.object.metadata.name}`, f.object);
  return files.map((file) => {
    const template = podTemplateOf(file.object);
    if (!template) return file;
    const namespace = file.object.metadata.namespace ?? '';
    const read = configMapsReadBy(template.spec ?? {}).flatMap((name) => configMaps.get(`${namespace}/${name}`) ?? []);
    if (read.length === 0) return file;
    const metadata = { ...template.metadata, annotations: { ...template.metadata?.annotations, [CONFIG_HASH_ANNOTATION]: configHash(read) } };
    return { ...file, object: withAt(file.object, TEMPLATE_PATH[file.object.kind], { ...template, metadata }) as KubeObject };
  });
}
