// The type declarations say `number` for integers and floats and `string | number` for quantities; the packages'
// own (lenient) validators know more. For every such field reachable from a kind, this probes that validator with
// a wrong value at the field's place and carries what it answers into our schema:
// - 0.5 answers "must be integer": `type: integer`; 2^40 then answers format int32: the int32 range;
// - "1x!" answers format "quantity": the Kubernetes quantity pattern; "%%" answers format "byte": base64.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { KindSchemaBundle } from './extract.ts';

/** Kubernetes resource quantity: a decimal number with an optional binary, decimal or exponent suffix. */
export const QUANTITY_PATTERN = '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?[0-9]+))?$';
const BASE64_PATTERN = '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$';
const INT32 = { minimum: -2147483648, maximum: 2147483647 };

type S = { $ref?: string; type?: unknown; pattern?: string; minimum?: number; maximum?: number; properties?: Record<string, S>; items?: S; additionalProperties?: S | boolean };
type Validate = (data: Record<string, unknown>) => Array<{ instancePath?: string; keyword?: string; params?: { type?: unknown; format?: unknown } }>;

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

/** Refine fields in place (shared definitions once); returns how many fields changed. */
export async function refineFromPackageValidators(bundle: KindSchemaBundle): Promise<number> {
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
      const isNumber = s.type === 'number';
      const isText = s.type === 'string' || (Array.isArray(s.type) && s.type.includes('string') && s.type.includes('number'));
      if ((isNumber || isText) && !probed.has(s)) {
        probed.add(s);
        const errorsWith = (value: unknown) => {
          const data: Record<string, unknown> = { apiVersion, kind };
          let cur: Record<string | number, unknown> = data;
          path.forEach((seg, i) => {
            const next = i === path.length - 1 ? value : typeof path[i + 1] === 'number' ? [] : {};
            cur[seg] = next;
            cur = next as Record<string | number, unknown>;
          });
          const pointer = '/' + path.join('/');
          return validate(data).filter((e) => e.instancePath === pointer);
        };
        if (isNumber && errorsWith(0.5).some((e) => e.keyword === 'type' && String(e.params?.type).includes('integer'))) {
          s.type = 'integer';
          changed++;
          if (errorsWith(2 ** 40).some((e) => e.params?.format === 'int32')) Object.assign(s, INT32);
        } else if (isText) {
          const formats = new Set(errorsWith('1x!%').map((e) => e.params?.format));
          if (formats.has('quantity')) s.pattern = QUANTITY_PATTERN;
          else if (formats.has('byte')) s.pattern = BASE64_PATTERN;
          if (s.pattern) changed++;
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
