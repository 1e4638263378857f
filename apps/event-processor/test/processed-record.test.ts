/** The processed record: the raw event plus score and processedAt, keyed by player, tenant and trace headers. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RawEvent } from '@gamemetrics/service-kit/player-event.ts';
import { processedRecords } from '../src/processed-record.ts';

const raw = (payload: Record<string, unknown>): RawEvent => ({
  eventId: '0b7e6c1e-4a7b-4c1e-9a56-1f2e3d4c5b6a',
  playerId: 'player-7',
  gameId: 'game-1',
  type: 'score',
  timestamp: '2026-11-22T05:00:00Z',
  payload,
  tenant: 'studio "a"',
  receivedAt: '2026-11-22T05:00:01Z',
});

describe('processedRecords', () => {
  const build = processedRecords('2026-11-22T06:00:00.000Z');

  test('value is the event plus score and processedAt, in that order; key is the player', () => {
    const event = raw({ score: 42.5, note: 'brace } and quote " and \\\\' });
    const record = build(event, {});
    assert.equal(record.key, 'player-7');
    const value = JSON.parse(String(record.value));
    assert.deepEqual(value, { ...event, score: 42.5, processedAt: '2026-11-22T06:00:00.000Z' });
    assert.deepEqual(Object.keys(value), [...Object.keys(event), 'score', 'processedAt']);
  });

  test('score is null unless the payload holds a finite number', () => {
    for (const payload of [{}, { score: '9' }, { score: null }, { score: [1] }])
      assert.equal(JSON.parse(String(build(raw(payload), {}).value)).score, null, JSON.stringify(payload));
  });

  test('headers: the tenant, and the source traceparent only when there was one', () => {
    assert.deepEqual(build(raw({}), {}).headers, { tenant: 'studio "a"' });
    const traceparent = Buffer.from('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    assert.deepEqual(build(raw({}), { traceparent, other: 'x' }).headers, { tenant: 'studio "a"', traceparent });
    assert.deepEqual(build(raw({}), {}).headers, { tenant: 'studio "a"' }, 'a trace does not leak into the next record');
    assert.deepEqual(build({ ...raw({}), tenant: 'studio-b' }, {}).headers, { tenant: 'studio-b' });
  });
});
