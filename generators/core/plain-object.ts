// Custom resources typed with their @kubernetes-models interfaces: tsc checks every field, and neither the
// packages' classes nor their validators load at render time (about 150 modules).
import type { KubeObject } from './types.ts';

/** A copy of `value` without undefined values, in objects and arrays alike (what JSON would keep). */
function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = withoutUndefined(item);
  return out;
}

/** `customObject<IKafkaTopic>({ apiVersion, kind, metadata, spec })`: checked against the interface, returned as plain data. */
export function customObject<T extends { apiVersion: string; kind: string }>(object: T): KubeObject {
  return withoutUndefined(object) as KubeObject;
}
