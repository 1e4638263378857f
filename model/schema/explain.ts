// Turns ajv's errors for an invalid spec into model problems: a model path, what is wrong and how to fix
// it ("did you mean"). Runs only when the standalone validator has refused a spec, so ajv loads only then.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Ajv as AjvType, ErrorObject } from 'ajv';
import { type PathSegment, type Problem, suggest, unknownNameHint } from '../problems.ts';
import { ajvFormats, valueChecks } from './formats.ts';
import { SCHEMA_ID, SCHEMA_PATH } from './schema-file.ts';

type Schema = { [key: string]: unknown };
const require = createRequire(import.meta.url);

let compiled: { ajv: AjvType; schema: Schema } | undefined;

function explainer(): { ajv: AjvType; schema: Schema } {
  if (compiled) return compiled;
  const { Ajv } = require('ajv') as typeof import('ajv');
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Schema;
  const ajv = new Ajv({ allErrors: true, verbose: true, formats: ajvFormats });
  ajv.addSchema(schema);
  compiled = { ajv, schema };
  return compiled;
}

/**
 * Every problem of an invalid `value` of spec type `type`, under `prefix`: one per model path. `valuesOnly`
 * when each is a value check (a format): the shape is sound, so the loader can still run on it.
 */
export function explainSchemaProblems(type: string, value: unknown, prefix: PathSegment[]): { problems: Problem[]; valuesOnly: boolean } {
  const ranked = problemsAgainst(`#/$defs/${type}`, value, prefix);
  const byPath = new Map<string, Ranked>();
  for (const problem of ranked) {
    const key = JSON.stringify(problem.path);
    const seen = byPath.get(key);
    if (!seen || problem.rank < seen.rank) byPath.set(key, problem);
  }
  const problems = [...byPath.values()];
  return { problems: problems.map(({ rank: _, ...problem }) => problem), valuesOnly: problems.every((p) => p.rank === 0) };
}

/** A problem with a rank: when one path has several, the lowest rank is the one reported (a format's own message beats a pattern). */
type Ranked = Problem & { rank: number };

function problemsAgainst(pointer: string, value: unknown, prefix: PathSegment[]): Ranked[] {
  const { ajv } = explainer();
  const validate = ajv.getSchema(`${SCHEMA_ID}${pointer}`);
  if (!validate) throw new Error(`no schema at ${pointer}`);
  if (validate(value)) return [];
  const errors = validate.errors ?? [];
  const within = (e: ErrorObject, at: string) => e.instancePath === at || e.instancePath.startsWith(`${at}/`);
  // A union (anyOf) that failed: its branches' errors are resolved by picking the branch the value meant.
  const unions = errors.filter((e) => e.keyword === 'anyOf');
  const outer = unions.filter((a) => !unions.some((b) => b.instancePath !== a.instancePath && within(a, b.instancePath)));
  const unionPaths = [...new Set(outer.map((a) => a.instancePath))];
  const rest = errors.filter((e) => !unionPaths.some((at) => within(e, at)));
  const unknownKeys = rest.filter((e) => e.keyword === 'additionalProperties');
  const problems: Ranked[] = [];
  for (const error of rest) {
    if ((error as ErrorObject & { propertyName?: string }).propertyName !== undefined) continue;
    const problem = describeError(error, rest, unknownKeys, value, prefix);
    if (problem) problems.push(problem);
  }
  for (const at of unionPaths) problems.push(...union(outer.find((a) => a.instancePath === at)!, value, prefix));
  return problems;
}

function describeError(error: ErrorObject, errors: ErrorObject[], unknownKeys: ErrorObject[], root: unknown, prefix: PathSegment[]): Ranked | undefined {
  const path = [...prefix, ...toPath(error.instancePath, root)];
  const data = error.data;
  const parent = (error.parentSchema ?? {}) as Schema;
  const properties = Object.keys((parent.properties ?? {}) as Schema);
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(error.params.additionalProperty);
      const close = suggest(key, properties);
      const nested = close ? undefined : nestedSuggestion(key, parent);
      const hint = close ? `did you mean "${close}"?` : nested ? `did you mean ${nested}?` : `allowed keys: ${properties.join(', ')}`;
      return { path: [...path, key], message: `unknown key "${key}"`, hint, rank: 1 };
    }
    case 'required': {
      const missing = String(error.params.missingProperty);
      // A misspelt key already says what is missing ("unknown key x, did you mean y").
      if (unknownKeys.some((u) => u.instancePath === error.instancePath && suggest(String(u.params.additionalProperty), properties) === missing)) return undefined;
      const doc = ((parent.properties as Record<string, Schema> | undefined)?.[missing]?.description as string | undefined) ?? '';
      return { path, message: `missing required key "${missing}"`, hint: doc ? `${missing}: ${doc}` : `add ${missing}`, rank: 1 };
    }
    case 'type':
      return { path, message: `must be ${article(String(error.params.type))}, got ${shown(data)}`, rank: 1 };
    case 'enum':
    case 'const': {
      const allowed = (error.keyword === 'enum' ? error.params.allowedValues : [error.params.allowedValue]) as unknown[];
      const key = path.at(-1);
      return { path, message: `unknown ${typeof key === 'string' ? key : 'value'} ${shown(data)}`, hint: unknownNameHint(String(data), allowed.map(String)), rank: 1 };
    }
    case 'format': {
      const check = valueChecks[String(error.params.format)];
      return { path, message: check?.problem(data as never) ?? `${shown(data)} is not a valid ${error.params.format}`, hint: check?.hint, rank: 0 };
    }
    case 'propertyNames': {
      const key = String(error.params.propertyName);
      const inner = errors.find((e) => (e as ErrorObject & { propertyName?: string }).propertyName === key && e.keyword === 'format');
      const check = inner ? valueChecks[String(inner.params.format)] : undefined;
      return { path: [...path, key], message: check?.problem(key as never) ?? `key "${key}" is not allowed`, hint: check?.hint, rank: 0 };
    }
    case 'pattern':
      return { path, message: `${shown(data)} does not have the form ${String(parent.description ?? error.params.pattern)}`, rank: 2 };
    default:
      return { path, message: error.message ?? `fails ${error.keyword}`, rank: 3 };
  }
}

/** The branch of a failed union the value meant (same type; for objects, the most keys in common), and its problems. */
function union(error: ErrorObject, root: unknown, prefix: PathSegment[]): Ranked[] {
  const { schema } = explainer();
  const branches = (error.schema as Schema[]).map((b) => resolve(b, schema));
  const value = error.data;
  const kind = typeOf(value);
  const sameType = branches.map((b, i) => ({ b, i })).filter(({ b }) => b.type === kind || (b.type === 'integer' && kind === 'number'));
  const path = [...prefix, ...toPath(error.instancePath, root)];
  if (sameType.length === 0) {
    const kinds = [...new Set(branches.map((b) => article(String(b.type ?? 'value'))))];
    return [{ path, message: `must be ${kinds.join(' or ')}, got ${shown(value)}`, rank: 1 }];
  }
  const keys = kind === 'object' ? Object.keys(value as object) : [];
  const score = (b: Schema) => {
    const known = Object.keys((b.properties ?? {}) as Schema);
    return keys.reduce((sum, k) => sum + (known.includes(k) ? 2 : suggest(k, known) ? 1 : 0), 0);
  };
  const best = sameType.reduce((a, c) => (score(c.b) > score(a.b) ? c : a));
  const pointer = pointerOf(error.parentSchema as Schema, schema);
  if (pointer === undefined) return [{ path, message: error.message ?? 'does not match any allowed form', rank: 3 }];
  return problemsAgainst(`#${pointer}/anyOf/${best.i}`, value, path);
}

/** A close key one level down (`replicass` → `scaling: { replicas: … }`), for a key written at the wrong level. */
function nestedSuggestion(key: string, parent: Schema): string | undefined {
  const { schema } = explainer();
  for (const [name, property] of Object.entries((parent.properties ?? {}) as Record<string, Schema>)) {
    const resolved = resolve(property, schema);
    const shapes = [resolved, ...((resolved.anyOf ?? []) as Schema[]).map((b) => resolve(b, schema))];
    const keys = shapes.flatMap((shape) => Object.keys((shape.properties ?? {}) as Schema));
    const close = suggest(key, keys);
    if (close) return `${name}: { ${close}: … }`;
  }
  return undefined;
}

function resolve(branch: Schema, root: Schema): Schema {
  const ref = branch.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/$defs/')) return branch;
  return resolve(((root.$defs as Record<string, Schema>)[ref.slice('#/$defs/'.length)]) ?? branch, root);
}

/** JSON pointer of `target` (by identity) inside `root`. */
function pointerOf(target: Schema, root: unknown, at = ''): string | undefined {
  if (root === target) return at;
  if (!root || typeof root !== 'object') return undefined;
  for (const [key, child] of Object.entries(root)) {
    const found = pointerOf(target, child, `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** `/tenants/gamemetrics/services/x/consumes/0` → ['tenants', 'gamemetrics', 'services', 'x', 'consumes', 0]. */
function toPath(pointer: string, root: unknown): PathSegment[] {
  const path: PathSegment[] = [];
  let node = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      path.push(Number(key));
      node = node[Number(key)];
    } else {
      path.push(key);
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
    }
  }
  return path;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function shown(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}
