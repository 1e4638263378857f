/** parseRawEvent: what the processor accepts from player.events.raw and why it refuses the rest. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseRawEvent } from '../player-event.ts';

const valid = {
  eventId: '0B7E6C1E-4A7B-4C1E-9A56-1F2E3D4C5B6A',
  playerId: 'player_1.a:b-c',
  gameId: 'game-1',
  type: 'score',
  timestamp: '2026-11-22T05:00:00+01:00',
  payload: { score: 3 },
  tenant: 'studio-a',
  receivedAt: '2026-11-22T05:00:01.5Z',
};
const parse = (value: unknown) => parseRawEvent(Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)));

describe('parseRawEvent', () => {
  test('a valid record parses; its event id is lower-cased; a missing payload becomes {}', () => {
    const r = parse(valid);
    assert.ok('event' in r, JSON.stringify(r));
    assert.equal(r.event.eventId, valid.eventId.toLowerCase());
    const bare: Record<string, unknown> = { ...valid };
    delete bare.payload;
    const b = parse(bare);
    assert.ok('event' in b);
    assert.deepEqual(b.event.payload, {});
  });

  test('ids outside [A-Za-z0-9_.:-] are refused, non-ASCII letters and emoji included', () => {
    for (const playerId of ['ünï', 'p🎮', '-leading', 'a b', ''])
      assert.ok('reason' in parse({ ...valid, playerId }), `playerId ${JSON.stringify(playerId)} must be refused`);
  });

  test('empty, not JSON, unknown fields, bad formats: each is a reason', () => {
    assert.deepEqual(parseRawEvent(null), { reason: 'empty message' });
    assert.match((parse('{nope') as { reason: string }).reason, /^not JSON: /);
    const r = parse({ ...valid, extra: 1, eventId: 'not-a-uuid', receivedAt: '2026-02-30T00:00:00Z' }) as { reason: string; errors: unknown[] };
    assert.match(r.reason, /^schema: /);
    assert.equal(r.errors.length, 3, r.reason);
  });
});
