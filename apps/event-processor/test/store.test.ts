/**
 * The event store on a real PostgreSQL 15 (scripts/harness), migrated and granted by the rendered
 * migration Job, used as event-processor's own role: the ledger + COPY write stores each event exactly
 * once; the same records redelivered own their events again (to be published once their Kafka
 * transaction commits) while the same ids in other records own nothing; values survive COPY's text
 * format byte for byte, and a refused value leaves nothing behind.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import type { RawEvent } from '@gamemetrics/service-kit/player-event.ts';
import { closePool } from '@gamemetrics/service-kit/postgres.ts';
import { startPostgres, type PostgresServer } from '../../../scripts/harness/postgres.ts';
import { copyRow, copyValue } from '../src/copy-text.ts';
import { clientConfig, provisionDatabase, renderedDatabaseOf, runMigrationJob } from '../../../scripts/harness/postgres-schema.ts';
import { REQUIRED_SCHEMA_VERSION, SchemaNotReadyError, verifySchema } from '../src/schema.ts';
import { isDataError, writeEvents } from '../src/store.ts';

let server: PostgresServer;
let pool: pg.Pool;


function rawEvent(overrides: Partial<RawEvent> = {}): RawEvent {
  return {
    eventId: randomUUID(),
    playerId: 'player-1',
    gameId: `game-${randomUUID().slice(0, 8)}`,
    type: 'score',
    timestamp: '2026-11-22T05:00:00.123Z',
    payload: { score: 7 },
    tenant: 'studio-test',
    receivedAt: '2026-11-22T05:00:01.000Z',
    ...overrides,
  };
}

/** Writes with a client from the pool; record i of the chunk sits at offset `firstOffset + i` of partition 0. */
async function write(events: RawEvent[], firstOffset = nextOffset(events.length)) {
  const client = await pool.connect();
  try {
    const result = await writeEvents(client, events.map((event, i) => ({ event, source: `0/${firstOffset + i}` })));
    return { fresh: result.fresh.map((e) => e.eventId), owned: result.owned.map((e) => e.eventId) };
  } finally {
    client.release();
  }
}

let offsets = 0;
function nextOffset(n: number): number {
  offsets += n;
  return offsets - n;
}

async function stored(ids: string[]) {
  const { rows } = await pool.query(
    `SELECT event_id::text, tenant, player_id, game_id, type, ts, score, payload, received_at
       FROM player_events WHERE event_id = ANY($1::uuid[]) ORDER BY array_position($1::uuid[], event_id)`,
    [ids],
  );
  return rows;
}

describe('COPY text values', () => {
  test('NULL, numbers and plain text go as they are', () => {
    assert.equal(copyValue(null), '\\N');
    assert.equal(copyValue(1.5), '1.5');
    assert.equal(copyValue(-3e-7), '-3e-7');
    assert.equal(copyValue('player-1'), 'player-1');
    assert.equal(copyRow(['a', null, 2]), 'a\t\\N\t2\n');
  });

  test('backslash, tab, newline and carriage return are escaped; a lone \\. cannot end the data', () => {
    assert.equal(copyValue('a\tb\nc\rd\\e'), 'a\\tb\\nc\\rd\\\\e');
    assert.equal(copyValue('\\.'), '\\\\.');
    assert.equal(copyValue('\\N'), '\\\\N', 'the text \\N is not NULL');
  });
});

describe('event store on PostgreSQL (ledger + COPY)', () => {
  before(async () => {
    // The schema as the cluster gets it: the rendered Cluster's roles, then the migration Job.
    server = await startPostgres();
    const db = renderedDatabaseOf('dev', 'timescaledb');
    const passwords = await provisionDatabase(server, db);
    const role = 'event_processor';
    pool = new pg.Pool({ ...clientConfig(server, db, role, passwords.get(role)!), max: 2 });
    await assert.rejects(verifySchema(pool), SchemaNotReadyError, 'before the migration Job ran');
    await runMigrationJob(server, db, passwords.get(db.owner)!);
    // The Job applies every migration in migrations/timescaledb (other services' too); the processor needs at least its own.
    const latest = Math.max(...readdirSync(join(import.meta.dirname, '../../../migrations/timescaledb')).map((f) => Number(f.split('_')[0])));
    const applied = await verifySchema(pool);
    assert.equal(applied, latest, 'every migration applied');
    assert.ok(applied >= REQUIRED_SCHEMA_VERSION);
  });
  after(async () => {
    if (pool) await closePool(pool);
    await server?.stop();
  });

  test('new events are stored once; the same records redelivered store nothing and own their events again', async () => {
    const events = [rawEvent(), rawEvent({ payload: {} }), rawEvent({ payload: { score: 'high' } })];
    const ids = events.map((e) => e.eventId);
    const first = await write(events, 1000);
    assert.deepEqual(first, { fresh: ids, owned: ids });

    // Their Kafka transaction did not commit, so they come again from the same offsets: publish them (once more, the first never became visible).
    const again = await write(events.map((e) => ({ ...e })), 1000);
    assert.deepEqual(again, { fresh: [], owned: ids });
    const rows = await stored(ids);
    assert.equal(rows.length, 3, 'each event exactly once');
    assert.deepEqual(rows.map((r) => r.score), [7, null, null], 'score only when the payload has a finite number');
  });

  test('the same event ids in other records (a client retry) are duplicates and own nothing', async () => {
    const events = [rawEvent(), rawEvent()];
    await write(events);
    assert.deepEqual(await write(events.map((e) => ({ ...e }))), { fresh: [], owned: [] });
  });

  test('a chunk mixing new events, redelivered ones and in-chunk duplicates stores each new id once', async () => {
    const old = rawEvent();
    await write([old]);
    const fresh = rawEvent();
    const written = await write([old, fresh, { ...fresh, payload: { score: 99 } }]);
    assert.deepEqual(written, { fresh: [fresh.eventId], owned: [fresh.eventId] });
    const rows = await stored([old.eventId, fresh.eventId]);
    assert.equal(rows.length, 2);
    assert.equal(rows[1].score, 7, 'the first occurrence in the chunk wins');
  });

  test('text with tabs, newlines, backslashes, quotes and non-ASCII survives COPY unchanged', async () => {
    const payload = { note: 'tab\there\nnew line\r\\back\\slash "quoted" \\N \\.', emoji: '🎮 ünïcødé', nested: { list: [1, 'a\tb'] } };
    const tenant = 'studio\t"weird"\\\nname';
    const event = rawEvent({ tenant, payload, timestamp: '2026-11-22T07:00:00+02:00' });
    await write([event]);
    const [row] = await stored([event.eventId]);
    assert.equal(row.tenant, tenant);
    assert.deepEqual(row.payload, payload);
    assert.equal(row.ts.toISOString(), '2026-11-22T05:00:00.000Z', 'RFC 3339 offsets are honoured');
    assert.equal(row.received_at.toISOString(), event.receivedAt);
  });

  test('a value PostgreSQL refuses fails the chunk as a data error and leaves nothing behind', async () => {
    const good = rawEvent();
    const refused = rawEvent({ payload: { bad: 'nul \u0000 inside' } });
    const error = await write([good, refused]).then(() => assert.fail('the chunk was accepted'), (e: unknown) => e);
    assert.ok(isDataError(error), `expected a data error, got ${(error as { code?: string }).code}: ${(error as Error).message}`);
    assert.equal((await stored([good.eventId, refused.eventId])).length, 0, 'the whole chunk rolled back');
    assert.deepEqual((await write([good])).fresh, [good.eventId], 'its good event is new when retried alone');
    assert.ok(!isDataError(new Error('connection terminated')), 'a lost connection is not a data error');
  });
});
