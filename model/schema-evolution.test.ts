/**
 * Topic schema evolution: each rule with a passing and a failing case, the shape check, and the
 * render refusing a backward-incompatible change against model/topic-schemas.lock.json with the topic
 * and the field named (the real model, loaded as npm run render loads it).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatProblem } from './problems.ts';
import { breakingChanges, compareWithLock, schemaShapeIssues, type SchemaLock } from './schema-evolution.ts';
import { platform } from './platform.ts';
import { readSchemaLock, tryLoadModel } from '../render/sources.ts';
import type { EventSchema } from './spec.ts';

const base: EventSchema = {
  type: 'object',
  required: ['id', 'kind'],
  properties: {
    id: { type: 'string', maxLength: 64 },
    kind: { type: 'string', enum: ['a', 'b'] },
    score: { type: 'number', minimum: 0 },
    note: { type: 'string' },
    items: { type: 'array', items: { type: 'object', required: ['sku'], properties: { sku: { type: 'string' } } } },
  },
};
const edit = (f: (s: any) => void): EventSchema => {
  const s = structuredClone(base);
  f(s);
  return s;
};
const fields = (after: EventSchema) => breakingChanges(base, after).map((i) => `${i.field}: ${i.message}`);

describe('schema evolution rules', () => {
  const compatible: Array<[string, EventSchema]> = [
    ['unchanged', base],
    ['a new optional field', edit((s) => (s.properties.extra = { type: 'boolean' }))],
    ['a description added', edit((s) => (s.properties.id.description = 'the id'))],
    ['a type widened (number → number|null)', edit((s) => (s.properties.score.type = ['number', 'null']))],
    ['an enum value added', edit((s) => s.properties.kind.enum.push('c'))],
    ['a bound loosened', edit((s) => (s.properties.id.maxLength = 128))],
    ['a nested optional field added', edit((s) => (s.properties.items.items.properties.qty = { type: 'integer' }))],
  ];
  for (const [name, after] of compatible) test(`compatible: ${name}`, () => assert.deepEqual(fields(after), []));
  test('compatible: integer widened to number', () => {
    const before = edit((s) => (s.properties.score.type = 'integer'));
    assert.deepEqual(breakingChanges(before, base), []);
  });

  const breaking: Array<[string, EventSchema, string[]]> = [
    ['a required field removed', edit((s) => { delete s.properties.kind; s.required = ['id']; }), ['kind: is no longer required (consumers rely on it)']],
    ['a required field made optional', edit((s) => (s.required = ['id'])), ['kind: is no longer required (consumers rely on it)']],
    ['an optional field removed', edit((s) => delete s.properties.note), ['note: was removed']],
    ['a new required field', edit((s) => { s.properties.extra = { type: 'string' }; s.required.push('extra'); }), ['extra: became required (records written under the older version lack it)']],
    ['a type narrowed (number → integer)', edit((s) => (s.properties.score.type = 'integer')), ['score: type narrowed from "number" to "integer"']],
    ['a type changed (string → number)', edit((s) => (s.properties.note.type = 'number')), ['note: type narrowed from "string" to "number"']],
    ['an enum value dropped', edit((s) => (s.properties.kind.enum = ['a'])), ['kind: no longer accepts "b"']],
    ['an enum added to a free string', edit((s) => (s.properties.note.enum = ['x'])), ['note: narrowed to the values ["x"]']],
    ['a maximum lowered', edit((s) => (s.properties.id.maxLength = 32)), ['id: maxLength lowered from 64 to 32']],
    ['a minimum raised', edit((s) => (s.properties.score.minimum = 1)), ['score: minimum raised from 0 to 1']],
    ['a pattern added', edit((s) => (s.properties.note.pattern = '^x')), ['note: pattern added: "^x"']],
    ['a format added', edit((s) => (s.properties.note.format = 'uuid')), ['note: format added: "uuid"']],
    ['additionalProperties: false added', edit((s) => (s.additionalProperties = false)), ['(record): no longer accepts fields beyond its properties (additionalProperties: false)']],
    ['a nested required field removed', edit((s) => (s.properties.items.items.required = [])), ['items[].sku: is no longer required (consumers rely on it)']],
  ];
  for (const [name, after, expected] of breaking) test(`breaking: ${name}`, () => assert.deepEqual(fields(after), expected));
});

describe('schema shape', () => {
  test('the real model\'s schemas use only the supported keywords', () => {
    for (const [topic, spec] of Object.entries(platform.topics)) if (spec.schema) assert.deepEqual(schemaShapeIssues(spec.schema), [], topic);
  });
  test('unsupported keywords, wrong kinds and undeclared required fields are named', () => {
    assert.deepEqual(schemaShapeIssues({ type: 'thing', oneOf: [], required: ['x'], properties: { y: { maxLength: '3' } } }).map((i) => `${i.field}: ${i.message}`), [
      '(record): "type" must be one of string, number, integer, boolean, object, array, null or a list of them',
      '(record): uses "oneOf", which topic schemas do not support (supported: type, description, properties, required, additionalProperties, items, enum, const, format, pattern, minLength, maxLength, minimum, maximum, minItems, maxItems, minProperties, maxProperties)',
      'y: "maxLength" must be a number',
      'x: is required but not declared in "properties"',
    ]);
  });
});

describe('the lock, at render', () => {
  test('the committed lock matches the model: nothing to record', () => {
    const lock = readSchemaLock();
    for (const [topic, spec] of Object.entries(platform.topics))
      if (spec.schema) assert.equal(compareWithLock(spec.schema, lock[topic]).status, 'same', `${topic}: run npm run schemas:lock`);
  });

  const withRaw = (f: (s: any) => void) => {
    const copy = structuredClone(platform);
    // Its own copy: the model's schemas share field definitions (raw and processed events).
    const schema = structuredClone(copy.topics['player.events.raw'].schema);
    copy.topics['player.events.raw'].schema = schema;
    f(schema);
    return copy;
  };
  const problems = (p: typeof platform, lock?: SchemaLock) => {
    const r = tryLoadModel('dev', { platform: p, schemaLock: lock });
    return 'problems' in r ? r.problems.map(formatProblem) : [];
  };

  test('a backward-incompatible change fails the load, naming the topic and each field', () => {
    const p = withRaw((s) => {
      s.required = s.required.filter((f: string) => f !== 'playerId');
      s.properties.tenant.maxLength = 32;
    });
    assert.deepEqual(problems(p), [
      `topics['player.events.raw'].schema: backward-incompatible change to the schema of "player.events.raw": field "playerId" is no longer required (consumers rely on it) (against version 1 in model/topic-schemas.lock.json) (keep the field compatible, or publish the new shape on a new topic; a reviewed break: npm run schemas:lock -- --accept-breaking player.events.raw)`,
      `topics['player.events.raw'].schema: backward-incompatible change to the schema of "player.events.raw": field "tenant" maxLength lowered from 64 to 32 (against version 1 in model/topic-schemas.lock.json) (keep the field compatible, or publish the new shape on a new topic; a reviewed break: npm run schemas:lock -- --accept-breaking player.events.raw)`,
    ]);
  });

  test('a compatible change not yet locked, and a topic missing from the lock, say to run npm run schemas:lock', () => {
    const p = withRaw((s) => (s.properties.tenant.maxLength = 128));
    assert.deepEqual(problems(p), [`topics['player.events.raw'].schema: the schema of "player.events.raw" changed (compatibly) since version 1 in model/topic-schemas.lock.json (run npm run schemas:lock to record it (docs/event-contracts.md))`]);
    const { ['player.events.raw']: _, ...rest } = readSchemaLock();
    assert.deepEqual(problems(platform, rest), [`topics['player.events.raw'].schema: the schema of "player.events.raw" is not in model/topic-schemas.lock.json (run npm run schemas:lock to record it (docs/event-contracts.md))`]);
  });

  test('a topic without a schema, and a dead-letter topic with one, are refused', () => {
    const p = structuredClone(platform);
    delete p.topics['notifications.outbound'].schema;
    p.topics['notifications.outbound.dlq'].schema = { type: 'object' };
    assert.deepEqual(problems(p).map((m) => m.split(': ').slice(0, 2).join(': ')), [
      "topics['notifications.outbound']: declares no schema for its records (add schema",
      "topics['notifications.outbound.dlq'].schema: a dead-letter topic holds the original records, valid or not",
    ]);
  });
});
