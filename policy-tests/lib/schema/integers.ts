// The type declarations say `number` for both integers and floats; the packages' own (lenient) validators know
// which fields are integers. For every `number` field reachable from a kind, this probes that validator with 0.5
// at the field's place: when it answers "must be integer", the field becomes `type: integer` in our schema.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { KindSchemaBundle } from './extract.ts';

type S = { $ref?: string; type?: unknown; properties?: Record<string, S>; items?: S; additionalProperties?: S | boolean };
type Validate = (data: Record<string, unknown>) => Array<{ instancePath?: string; keyword?: string; params?: { type?: unknown } }>;

/** The package's validator of a kind, from the model class next to its declaration file. */
async function packageValidator(declFile: string): Promise<Validate | null> {
  const base = declFile.replace(/\.d\.ts$/, '');
  const file = [`${base}.mjs`, `${base}.js`].find(existsSync);
  if (!file) return null;
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const Model = Object.values(mod).find((v) => typeof v === 'function' && 'kind' in v) as (new (d: unknown) => { validate(): void }) | undefined;
  if (!Model) return null;
  return (data) => {
    try {
      new Model(data).validate();
      return [];
    } catch (e) {
      return ((e as { errors?: ReturnType<Validate> }).errors ?? []) as ReturnType<Validate>;
    }
  };
}

/** Mark integer fields in place (shared definitions once); returns how many fields changed. */
export async function refineIntegers(bundle: KindSchemaBundle): Promise<number> {
  const probed = new WeakSet<object>();
  let changed = 0;
  const resolve = (s: S | undefined): S | undefined => (s?.$ref ? (bundle.defs[s.$ref.replace('#/$defs/', '')] as S | undefined) : s);
  for (const [key, decl] of Object.entries(bundle.sources ?? {})) {
    const validate = await packageValidator(decl).catch(() => null);
    if (!validate) continue;
    const [apiVersion, kind] = [key.slice(0, key.lastIndexOf('/')), key.slice(key.lastIndexOf('/') + 1)];
    // Depth-first over the schema; `path` is where the probe value goes.
    const walk = (schema: S | undefined, path: Array<string | number>, onPath: Set<object>) => {
      const s = resolve(schema);
      if (!s || onPath.has(s) || path.length > 14) return;
      if (s.type === 'number' && !probed.has(s)) {
        probed.add(s);
        const data: Record<string, unknown> = { apiVersion, kind };
        let cur: Record<string | number, unknown> = data;
        path.forEach((seg, i) => {
          const last = i === path.length - 1;
          const next = last ? 0.5 : typeof path[i + 1] === 'number' ? [] : {};
          cur[seg] = next;
          cur = next as Record<string | number, unknown>;
        });
        const pointer = '/' + path.join('/');
        if (validate(data).some((e) => e.instancePath === pointer && e.keyword === 'type' && String(e.params?.type).includes('integer'))) {
          s.type = 'integer';
          changed++;
        }
        return;
      }
      const inner = new Set(onPath).add(s);
      for (const [p, child] of Object.entries(s.properties ?? {})) if (p !== 'status') walk(child, [...path, p], inner);
      if (s.items) walk(s.items, [...path, 0], inner);
      if (s.additionalProperties && typeof s.additionalProperties === 'object') walk(s.additionalProperties, [...path, 'x'], inner);
    };
    walk(bundle.kinds[key] as S, [], new Set());
  }
  return changed;
}
