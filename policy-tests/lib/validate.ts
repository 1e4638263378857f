// Strict schema validation of documents: unknown fields, wrong types, missing required fields, unserved APIs.
import type { Doc } from './documents.ts';
import type { Finding } from './findings.ts';
import { formatPath } from './findings.ts';
import { suggest } from '../../model/problems.ts';
import { apiStatus } from './schema/api-lifecycle.ts';
import { QUANTITY_PATTERN } from './schema/refine.ts';
import { loadSchemas, type AjvError, type CompiledSchemas } from './schema/compile.ts';

export interface ValidateOptions {
  /** Kubernetes minor version per document (from its environment), e.g. 34. */
  kubernetesMinor: (doc: Doc) => number;
}

/** The schema keys (`<apiVersion>/<kind>`) of documents, to load only the validators they need. */
export const schemaKeys = (docs: Doc[]) => new Set(docs.map((d) => `${String(d.data.apiVersion)}/${String(d.data.kind)}`));

export async function validateDocuments(docs: Doc[], opts: ValidateOptions): Promise<Finding[]> {
  const schemas = await loadSchemas(schemaKeys(docs));
  return docs.flatMap((d) => validateDocument(schemas, d, opts.kubernetesMinor(d)));
}

export function validateDocument(schemas: CompiledSchemas, doc: Doc, minor: number): Finding[] {
  const out: Finding[] = [];
  const add = (ruleId: string, severity: Finding['severity'], path: Array<string | number>, message: string, fix?: string) =>
    out.push({ ruleId, severity, message, fix, file: doc.file, documentIndex: doc.index, line: doc.lineOf(path), object: doc.ref, path: formatPath(path) });
  const { apiVersion, kind } = doc.data;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    add('schema/type-meta', 'error', typeof apiVersion !== 'string' ? ['apiVersion'] : ['kind'], 'apiVersion and kind must both be set to strings');
    return out;
  }
  const status = apiStatus(apiVersion, kind, minor);
  if (status.status !== 'served') {
    const removed = status.status !== 'deprecated';
    add(removed ? 'schema/removed-api' : 'schema/deprecated-api', removed ? 'error' : 'warning', ['apiVersion'], `${status.message} (target Kubernetes 1.${minor})`);
    if (removed) return out;
  }
  const key = `${apiVersion}/${kind}`;
  const validate = schemas.validators.get(key);
  if (!validate && schemas.kinds.has(key)) throw new Error(`validator of ${key} not loaded: call loadSchemas with its key first`);
  if (!validate && kind === 'List') {
    add('schema/unknown-kind', 'error', ['kind'], 'a v1 List (kubectl output) wraps other objects, which are not checked inside it: write its items as separate YAML documents (---)');
    return out;
  }
  if (!validate) {
    const others = [...schemas.kinds].filter((k) => k.endsWith(`/${kind}`)).map((k) => k.slice(0, -kind.length - 1));
    const hint = others.length ? `; ${kind} has schemas for ${others.join(', ')}` : '; add its schema under policy-tests/schemas/<group>/<version>/<Kind>.json';
    add('schema/unknown-kind', 'error', ['kind'], `no schema for apiVersion ${apiVersion}, kind ${kind}${hint}`);
    return out;
  }
  const data = hasNull(doc.data) ? withoutNulls(doc.data) : doc.data;
  if (validate(data)) return out;
  const seen = new Set<string>();
  for (const e of validate.errors ?? []) {
    const f = describe(schemas, `${apiVersion}/${kind}`, e);
    const key = `${formatPath(f.path)}|${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    add(f.ruleId, 'error', f.path, f.message);
  }
  return out;
}

function hasNull(value: unknown): boolean {
  if (value === null) return true;
  if (typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(hasNull);
  for (const k in value) if (hasNull((value as Record<string, unknown>)[k])) return true;
  return false;
}

/** `null` means "unset" to the API server (`creationTimestamp: null`, `field:`): drop such entries before validating. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = withoutNulls(v);
    return out;
  }
  return value;
}

function splitPointer(p: string): Array<string | number> {
  if (!p) return [];
  return p.slice(1).split('/').map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
}

function describe(schemas: CompiledSchemas, kindKey: string, e: AjvError): { ruleId: string; path: Array<string | number>; message: string } {
  const path = splitPointer(e.instancePath);
  switch (e.keyword) {
    case 'additionalProperties': {
      const field = String(e.params.additionalProperty);
      const allowed = allowedFields(schemas, kindKey, path);
      const near = suggest(field, allowed);
      const hint = near ? `; did you mean "${near}"?` : allowed.length ? `; allowed: ${allowed.join(', ')}` : '';
      return { ruleId: 'schema/unknown-field', path: [...path, field], message: `unknown field "${field}"${hint}` };
    }
    case 'required':
      return { ruleId: 'schema/required', path: [...path, String(e.params.missingProperty)], message: `missing required field "${String(e.params.missingProperty)}"` };
    case 'type':
      return { ruleId: 'schema/type', path, message: `must be ${String(e.params.type).replace(',', ' or ')}` };
    case 'pattern': {
      const what = e.params.pattern === QUANTITY_PATTERN ? 'a Kubernetes quantity (500m, 2, 512Mi, 1Gi, 1e3)' : 'base64 (use stringData for plain text)';
      return { ruleId: 'schema/format', path, message: `must be ${what}` };
    }
    case 'minimum':
    case 'maximum':
      return { ruleId: 'schema/format', path, message: `must be ${e.keyword === 'minimum' ? '≥' : '≤'} ${String(e.params.limit)} (a 32-bit integer)` };
    case 'enum':
      return { ruleId: 'schema/enum', path, message: `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'const':
      return { ruleId: 'schema/enum', path, message: `must be ${JSON.stringify(e.params.allowedValue)}` };
    default:
      return { ruleId: 'schema/invalid', path, message: e.message ?? e.keyword };
  }
}

type S = { $ref?: string; properties?: Record<string, S>; items?: S; additionalProperties?: S | boolean; anyOf?: S[] };

/** Field names the schema allows at an instance path (for "did you mean"). */
function allowedFields(schemas: CompiledSchemas, kindKey: string, path: Array<string | number>): string[] {
  const resolve = (s: S | undefined): S | undefined => {
    for (let i = 0; s?.$ref && i < 20; i++) s = schemas.bundle.defs[s.$ref.replace('#/$defs/', '')] as S | undefined;
    return s?.anyOf ? resolve(s.anyOf.find((x) => resolve(x)?.properties)) : s;
  };
  let s = resolve(schemas.bundle.kinds[kindKey] as S);
  for (const seg of path) {
    if (!s) return [];
    if (typeof seg === 'number') s = resolve(s.items);
    else s = resolve(s.properties?.[seg] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined));
  }
  return Object.keys(s?.properties ?? {});
}
