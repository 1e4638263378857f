/**
 * Topic schemas: the keywords a schema may use, and the changes between two versions that would
 * break producers or consumers written against the older one (docs/event-contracts.md):
 * - a field removed, no longer required, or newly required;
 * - a value narrowed: a type dropped (`number` → `integer` too), an enum value dropped, a new `const`,
 *   `pattern` or `format`, a lower maximum or higher minimum (lengths, items, values, properties),
 *   `additionalProperties` newly `false`.
 * Widening (a new optional field, a new type or enum value, a looser bound) is compatible: consumers
 * must tolerate it. Pure functions over plain objects: no validator is loaded at render time.
 */
import type { EventSchema } from './spec.ts';

export interface SchemaIssue {
  /** The field, as a dotted path (`items[].itemId`); `(record)` for the record itself. */
  field: string;
  message: string;
}

/** The keywords a topic schema may use, and the JSON type of each one's value. */
const KEYWORDS: Record<string, 'string' | 'number' | 'boolean' | 'object' | 'array' | 'schema' | 'type' | 'any'> = {
  type: 'type',
  description: 'string',
  properties: 'object',
  required: 'array',
  additionalProperties: 'boolean',
  items: 'schema',
  enum: 'array',
  const: 'any',
  format: 'string',
  pattern: 'string',
  minLength: 'number',
  maxLength: 'number',
  minimum: 'number',
  maximum: 'number',
  minItems: 'number',
  maxItems: 'number',
  minProperties: 'number',
  maxProperties: 'number',
};
const TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'];
const LOWER_BOUNDS = ['minLength', 'minimum', 'minItems', 'minProperties'];
const UPPER_BOUNDS = ['maxLength', 'maximum', 'maxItems', 'maxProperties'];

type Schema = Record<string, unknown>;
const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);
const join = (at: string, name: string) => (at ? `${at}.${name}` : name);
const label = (at: string) => at || '(record)';

/** Keywords outside the supported set or with values of the wrong kind: each one, with its field. */
export function schemaShapeIssues(schema: unknown, at = ''): SchemaIssue[] {
  if (!isObject(schema)) return [{ field: label(at), message: 'is not a schema object' }];
  const issues: SchemaIssue[] = [];
  for (const [key, value] of Object.entries(schema)) {
    const kind = KEYWORDS[key];
    if (!kind) {
      issues.push({ field: label(at), message: `uses "${key}", which topic schemas do not support (supported: ${Object.keys(KEYWORDS).join(', ')})` });
      continue;
    }
    const wrong =
      (kind === 'type' && !(typeof value === 'string' ? TYPES.includes(value) : Array.isArray(value) && value.length > 0 && value.every((t) => TYPES.includes(t as string)))) ||
      (kind === 'schema' && !isObject(value)) ||
      (kind === 'object' && !isObject(value)) ||
      (kind === 'array' && !Array.isArray(value)) ||
      (kind !== 'type' && kind !== 'schema' && kind !== 'object' && kind !== 'array' && kind !== 'any' && typeof value !== kind);
    if (wrong) issues.push({ field: label(at), message: `"${key}" must be ${kind === 'type' ? `one of ${TYPES.join(', ')} or a list of them` : kind === 'schema' ? 'a schema object' : `a${kind === 'array' || kind === 'object' ? 'n' : ''} ${kind}`}` });
  }
  if (isObject(schema.properties)) for (const [name, sub] of Object.entries(schema.properties)) issues.push(...schemaShapeIssues(sub, join(at, name)));
  if (isObject(schema.items)) issues.push(...schemaShapeIssues(schema.items, `${at}[]`));
  if (Array.isArray(schema.required) && isObject(schema.properties))
    for (const name of schema.required) if (!(String(name) in schema.properties)) issues.push({ field: join(at, String(name)), message: 'is required but not declared in "properties"' });
  return issues;
}

function types(schema: Schema): Set<string> | undefined {
  if (schema.type === undefined) return undefined;
  const list = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
  return new Set(list.includes('number') ? [...list, 'integer'] : list);
}

const show = (v: unknown) => JSON.stringify(v);

/** Every backward-incompatible change from `before` to `after` (both shape-checked). */
export function breakingChanges(before: EventSchema, after: EventSchema, at = ''): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const add = (field: string, message: string) => issues.push({ field, message });
  const [oldTypes, newTypes] = [types(before), types(after)];
  if (newTypes && (!oldTypes || [...oldTypes].some((t) => !newTypes.has(t))))
    add(label(at), `type narrowed from ${oldTypes ? show(before.type) : 'any'} to ${show(after.type)}`);
  if (Array.isArray(after.enum)) {
    const dropped = Array.isArray(before.enum) ? before.enum.filter((v) => !(after.enum as unknown[]).some((w) => show(w) === show(v))) : undefined;
    if (!dropped) add(label(at), `narrowed to the values ${show(after.enum)}`);
    else if (dropped.length > 0) add(label(at), `no longer accepts ${dropped.map(show).join(', ')}`);
  }
  if ('const' in after && show(before.const) !== show(after.const)) add(label(at), `narrowed to the constant ${show(after.const)}`);
  for (const key of ['pattern', 'format'])
    if (after[key] !== undefined && after[key] !== before[key]) add(label(at), `${key} ${before[key] === undefined ? 'added' : 'changed'}: ${show(after[key])}`);
  for (const key of LOWER_BOUNDS)
    if (typeof after[key] === 'number' && (typeof before[key] !== 'number' || (after[key] as number) > (before[key] as number)))
      add(label(at), `${key} raised from ${before[key] ?? 'none'} to ${after[key]}`);
  for (const key of UPPER_BOUNDS)
    if (typeof after[key] === 'number' && (typeof before[key] !== 'number' || (after[key] as number) < (before[key] as number)))
      add(label(at), `${key} lowered from ${before[key] ?? 'none'} to ${after[key]}`);
  if (after.additionalProperties === false && before.additionalProperties !== false) add(label(at), 'no longer accepts fields beyond its properties (additionalProperties: false)');
  const oldRequired = new Set((before.required as string[] | undefined) ?? []);
  const newRequired = new Set((after.required as string[] | undefined) ?? []);
  for (const name of oldRequired) if (!newRequired.has(name)) add(join(at, name), 'is no longer required (consumers rely on it)');
  for (const name of newRequired) if (!oldRequired.has(name)) add(join(at, name), 'became required (records written under the older version lack it)');
  const oldProps = isObject(before.properties) ? before.properties : {};
  const newProps = isObject(after.properties) ? after.properties : {};
  for (const [name, sub] of Object.entries(oldProps)) {
    if (!(name in newProps)) {
      if (!oldRequired.has(name)) add(join(at, name), 'was removed');
      continue;
    }
    issues.push(...breakingChanges(sub as EventSchema, newProps[name] as EventSchema, join(at, name)));
  }
  if (isObject(before.items) && isObject(after.items)) issues.push(...breakingChanges(before.items, after.items, `${at}[]`));
  else if (isObject(after.items) && !isObject(before.items)) add(`${at}[]`, 'items narrowed to a schema');
  return issues;
}

/** Canonical JSON of a schema (keys sorted): equal text means the same schema. */
export function canonicalSchema(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalSchema).join(',')}]`;
  if (isObject(value)) return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalSchema(value[k])}`).join(',')}}`;
  return JSON.stringify(value);
}

/** model/topic-schemas.lock.json: the last accepted version of each topic's schema. */
export type SchemaLock = Record<string, { version: number; schema: EventSchema }>;
export const SCHEMA_LOCK_FILE = 'model/topic-schemas.lock.json';

export type LockVerdict =
  | { status: 'same'; version: number }
  | { status: 'compatible'; version: number }
  | { status: 'new' }
  | { status: 'breaking'; version: number; issues: SchemaIssue[] };

/** How a topic's schema relates to its locked version. */
export function compareWithLock(schema: EventSchema, locked: SchemaLock[string] | undefined): LockVerdict {
  if (!locked) return { status: 'new' };
  if (canonicalSchema(schema) === canonicalSchema(locked.schema)) return { status: 'same', version: locked.version };
  const issues = breakingChanges(locked.schema, schema);
  return issues.length > 0 ? { status: 'breaking', version: locked.version, issues } : { status: 'compatible', version: locked.version };
}
