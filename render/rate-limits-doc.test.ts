import assert from 'node:assert/strict';
import { test } from 'node:test';
import { grouped } from './rate-limits-doc.ts';

test('grouped writes integers exactly as en-US toLocaleString does', () => {
  const values = [0, -0, 1, 7, 12, 999, 1000, -1000, 1234, 10_000, 99_999, 100_000, 123_456, 1_000_000, -9_876_543, 2 ** 31, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER];
  for (let v = 1; v < 1e15; v = v * 7 + 3) values.push(v, -v);
  for (const value of values) assert.equal(grouped(value), value.toLocaleString('en-US'), String(value));
});

test('grouped leaves fractions and huge numbers to toLocaleString', () => {
  for (const value of [0.5, 1234.5678, 2 ** 60, 1e21, -1e21]) assert.equal(grouped(value), value.toLocaleString('en-US'));
  assert.equal(grouped(1_000_000), '1,000,000');
});
