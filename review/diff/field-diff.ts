// Field-level semantic diff of two parsed objects: key order is ignored, and lists Kubernetes merges
// by a key (containers by name, ports by containerPort, volumeMounts by mountPath, ...) are matched
// by that key, so an inserted container shows as one added container, not a shifted list.
import { isDeepStrictEqual } from 'node:util';
import type { FieldChange } from './types.ts';

/**
 * Strategic-merge keys of the Kubernetes API, by list field name (candidates in order; the first that
 * every element on both sides has, with unique values, is used).
 */
const MERGE_KEYS: Record<string, string[]> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  env: ['name'],
  volumes: ['name'],
  imagePullSecrets: ['name'],
  resourceClaims: ['name'],
  ports: ['containerPort', 'port'],
  volumeMounts: ['mountPath'],
  volumeDevices: ['devicePath'],
  hostAliases: ['ip'],
  topologySpreadConstraints: ['topologyKey'],
  conditions: ['type'],
};
/** Lists of named objects outside that table (custom resources) are matched by `name` too. */
const FALLBACK_KEYS = ['name'];

type Json = unknown;

const isObject = (value: Json): value is Record<string, Json> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Dotted path; keys that are not identifiers are bracketed and quoted. */
function join(path: string, key: string): string {
  if (/^[A-Za-z_$][\w$-]*$/.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

function mergeKeyFor(field: string, before: Json[], after: Json[]): string | undefined {
  const all = [...before, ...after];
  if (all.length === 0 || !all.every(isObject)) return undefined;
  for (const key of MERGE_KEYS[field] ?? FALLBACK_KEYS) {
    const unique = (items: Json[]) => {
      const values = items.map((item) => (item as Record<string, Json>)[key]);
      return values.every((v) => typeof v === 'string' || typeof v === 'number') && new Set(values).size === values.length;
    };
    if (unique(before) && unique(after)) return key;
  }
  return undefined;
}

/** Every field that differs between `before` and `after`, in a stable order. */
export function diffFields(before: Json, after: Json, path = ''): FieldChange[] {
  const out: FieldChange[] = [];
  walk(before, after, path, '', out);
  return out;
}

function walk(before: Json, after: Json, path: string, field: string, out: FieldChange[]): void {
  if (isDeepStrictEqual(before, after)) return;
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) {
      const at = join(path, key);
      if (!(key in before) || before[key] === undefined) {
        if (after[key] !== undefined) out.push({ path: at, op: 'added', new: after[key] });
      } else if (!(key in after) || after[key] === undefined) out.push({ path: at, op: 'removed', old: before[key] });
      else walk(before[key], after[key], at, key, out);
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const key = mergeKeyFor(field, before, after);
    if (key) walkKeyed(before as Array<Record<string, Json>>, after as Array<Record<string, Json>>, key, path, out);
    else walkSequence(before, after, path, field, out);
    return;
  }
  out.push({ path: path || '.', op: 'changed', old: before, new: after });
}

function walkKeyed(before: Array<Record<string, Json>>, after: Array<Record<string, Json>>, key: string, path: string, out: FieldChange[]): void {
  const at = (value: Json) => `${path}[${key}=${String(value)}]`;
  const old = new Map(before.map((item) => [item[key], item]));
  const seen = new Set<Json>();
  for (const item of after) {
    seen.add(item[key]);
    const previous = old.get(item[key]);
    if (previous === undefined) out.push({ path: at(item[key]), op: 'added', new: item });
    else walk(previous, item, at(item[key]), '', out);
  }
  for (const item of before) if (!seen.has(item[key])) out.push({ path: at(item[key]), op: 'removed', old: item });
}

/**
 * Lists without a merge key: align equal elements (longest common subsequence); a run of removals
 * next to a run of additions of the same length is diffed element by element, the rest is reported
 * as removed or added elements.
 */
function walkSequence(before: Json[], after: Json[], path: string, field: string, out: FieldChange[]): void {
  const n = before.length;
  const m = after.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = isDeepStrictEqual(before[i], after[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  let i = 0;
  let j = 0;
  let removed: number[] = [];
  let added: number[] = [];
  const flush = () => {
    const paired = Math.min(removed.length, added.length);
    for (let k = 0; k < paired; k++) walk(before[removed[k]], after[added[k]], `${path}[${added[k]}]`, field, out);
    for (const r of removed.slice(paired)) out.push({ path: `${path}[${r}]`, op: 'removed', old: before[r] });
    for (const a of added.slice(paired)) out.push({ path: `${path}[${a}]`, op: 'added', new: after[a] });
    removed = [];
    added = [];
  };
  while (i < n || j < m) {
    if (i < n && j < m && isDeepStrictEqual(before[i], after[j])) {
      flush();
      i++;
      j++;
    } else if (j >= m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) removed.push(i++);
    else added.push(j++);
  }
  flush();
}
