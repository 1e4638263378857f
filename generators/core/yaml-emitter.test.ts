import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { renderAll } from '../../render/render.ts';
import { emitYaml } from './yaml-emitter.ts';

const tricky = [
  'true', 'False', 'yes', 'NO', 'on', 'off', 'y', 'n', 'null', '~', '', ' leading', 'trailing ', '1.34', '8080', '0x1F', '0o17', '1e3', '-1',
  '.inf', '-.Inf', '.nan', '2026-11-22', '12:30', '1_000', 'a: b', 'a #b', '#comment', '- item', '? key', '*alias', '&anchor', '!tag', '%dir',
  '@at', '`tick', '"quoted"', "'single'", 'multi\nline\n', 'no trailing newline\nsecond', 'trailing spaces \nx', '\n\nleading newlines',
  'tab\tinside', 'unicode ✓ and é', 'colon:inside', 'http://x.y:80/z', 'sha256:abc', '500m', '2Gi', '{braces}', '[brackets]', 'a,b', 'ends with:',
  'kept\n\n', ' ', 'line\r\nwindows',
];

test('every tricky string reads back as the same string under YAML 1.2 and 1.1', () => {
  for (const value of tricky) {
    const text = emitYaml({ key: value, list: [value], nested: { [value || 'empty']: value } });
    for (const version of ['1.2', '1.1'] as const) {
      const back = parse(text, { version });
      assert.equal(back.key, value, `${version}: ${JSON.stringify(value)} came back as ${JSON.stringify(back.key)}\n${text}`);
      assert.deepEqual(back.list, [value]);
      assert.equal(back.nested[value || 'empty'], value);
    }
  }
});

test('numbers, booleans, null, empty collections and nested lists keep their types', () => {
  const document = { a: 1, b: 2.5, c: -3, d: true, e: false, f: null, g: [], h: {}, i: [[1, 2], ['x']], j: [{}, { k: [] }], l: [{ m: 1, n: { o: 'p' } }] };
  assert.deepEqual(parse(emitYaml(document)), document);
});

test('refuses values YAML cannot carry faithfully', () => {
  assert.throws(() => emitYaml({ a: Infinity }), /non-finite/);
  assert.throws(() => emitYaml({ a: (() => 1) as unknown as string }), /cannot emit function/);
});

test('every rendered file of every environment parses back to exactly the generated object', () => {
  const { environments } = renderAll(undefined, { today: '2026-11-22' });
  let count = 0;
  for (const env of environments) {
    for (const [path, content] of env.files) {
      const documents = parseAllDocuments(content);
      assert.equal(documents.length, 1, path);
      assert.deepEqual(documents[0].errors, [], path);
      const object = documents[0].toJS();
      assert.equal(typeof object.apiVersion, 'string', path);
      assert.equal(typeof object.metadata.name, 'string', path);
      assert.deepEqual(parse(content, { version: '1.1' }), object, `${path} reads differently as YAML 1.1`);
      count++;
    }
  }
  assert.ok(count > 200);
});
