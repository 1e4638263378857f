/**
 * event-processor driven through faults on real servers (Kafka, PostgreSQL, Redis, configured by
 * rendered/dev), each during a drain of a backlog produced straight to player.events.raw:
 * - PostgreSQL stopped five times at random points: the processor stays up, reports not ready
 *   while the database is away, resumes by itself; every event stored once and published once;
 * - Kafka stopped for 5 s: transactions in flight abort, the processor comes back by itself;
 *   every event stored once and published once;
 * - the processor SIGKILLed ten times at random points during a drain of 100,000 events: every
 *   event stored once and exactly once on player.events.processed (read committed).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KafkaMessage } from 'kafkajs';
import pg from 'pg';
import { tailFile } from '../../scripts/harness/process.ts';
import { startService, startStack, type RunningService, type Stack } from './stack.ts';

let stack: Stack;
let db: pg.Client;
let processor: RunningService;
// Short sessions so a killed member's partitions move on quickly (the broker allows 1 s in tests).
const PROCESSOR_ENV = { PROCESSOR_SESSION_TIMEOUT_MS: '2000' };
// Small chunks: many commits per second, so random kills often land between one system's commit and the other's.
const KILL_ENV = { ...PROCESSOR_ENV, PROCESSOR_CHUNK_SIZE: '200' };

const config = () => stack.rendered['event-processor'].config;
const random = (from: number, to: number) => from + Math.random() * (to - from);

/** `n` raw events of game `game`, produced straight to player.events.raw in large batches. */
async function produceBacklog(game: string, n: number): Promise<string[]> {
  const producer = stack.adminClient().producer();
  await producer.connect();
  const ids: string[] = [];
  try {
    const now = new Date().toISOString();
    for (let from = 0; from < n; from += 5000) {
      const messages = [];
      for (let i = from; i < Math.min(n, from + 5000); i++) {
        const eventId = randomUUID();
        ids.push(eventId);
        const playerId = `p${i % 97}`;
        messages.push({
          key: playerId,
          value: JSON.stringify({ eventId, playerId, gameId: game, type: 'score', timestamp: now, payload: { score: 1 }, tenant: 'studio-test', receivedAt: now }),
          headers: { tenant: 'studio-test' },
        });
      }
      await producer.send({ topic: config().KAFKA_TOPIC_PLAYER_EVENTS_RAW, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
  return ids;
}

async function storedCount(game: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM player_events WHERE game_id = $1', [game]);
  return rows[0].n;
}

/** Rows per id: how many ids are missing and how many have more than one row. */
async function rowAudit(game: string, ids: string[]): Promise<{ missing: number; duplicated: number }> {
  const { rows } = await db.query<{ event_id: string; n: number }>('SELECT event_id::text, count(*)::int AS n FROM player_events WHERE game_id = $1 GROUP BY event_id', [game]);
  const counts = new Map(rows.map((r) => [r.event_id, r.n]));
  return { missing: ids.filter((id) => !counts.has(id)).length, duplicated: rows.filter((r) => r.n > 1).length };
}

/** Reads player.events.processed (read committed) until every id was seen and nothing new came for `quietMs`. */
async function outputAudit(game: string, ids: string[], quietMs = 1500, timeoutMs = 60_000): Promise<{ missing: number; duplicated: number }> {
  const consumer = stack.adminClient().consumer({ groupId: `audit-${randomUUID()}`, maxWaitTimeInMs: 100, readUncommitted: false });
  const counts = new Map<string, number>();
  let lastNewAt = Date.now();
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: config().KAFKA_TOPIC_PLAYER_EVENTS_PROCESSED, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages as KafkaMessage[]) {
          const v = JSON.parse(String(m.value));
          if (v.gameId !== game) continue;
          counts.set(v.eventId, (counts.get(v.eventId) ?? 0) + 1);
          lastNewAt = Date.now();
        }
      },
    });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && !(counts.size >= ids.length && Date.now() - lastNewAt > quietMs)) await sleep(100);
  } finally {
    await consumer.disconnect();
  }
  return { missing: ids.filter((id) => !counts.has(id)).length, duplicated: [...counts.values()].filter((n) => n > 1).length };
}

async function waitFor<T>(what: string | (() => string), probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    await sleep(50);
  }
  const exited = processor?.process.exited();
  throw new Error(`${typeof what === 'string' ? what : what()}: not within ${timeoutMs} ms${exited ? ` (the processor ${exited})` : ''}\n--- event-processor log (last lines):\n${processor ? tailFile(processor.logFile, 40) : '(not started)'}`);
}

/** A superuser connection to the rendered event store, its schema on the search path. */
const auditClient = () => new pg.Client(stack.databaseAdmin());

const readyz = async () => {
  const res = await fetch(`${processor.url}/readyz`);
  return { status: res.status, body: (await res.json()) as { checks: Record<string, string> } };
};

/** Wait until every id is stored, then: the processor never exited, each id once in the rows and once in the output. */
async function assertDrainedExactlyOnce(game: string, ids: string[]): Promise<void> {
  // Bounds for a loaded two-core machine (two test files at a time): liveness, not speed.
  let stored = 0;
  await waitFor(() => `all ${ids.length} events stored (${stored} so far)`, async () => ((stored = await storedCount(game)) >= ids.length ? true : undefined), 240_000);
  await waitFor('processor ready', async () => ((await readyz()).status === 200 ? true : undefined), 30_000);
  assert.equal(processor.process.exited(), undefined, 'the processor never exited');
  assert.deepEqual(await rowAudit(game, ids), { missing: 0, duplicated: 0 }, 'rows');
  assert.deepEqual(await outputAudit(game, ids), { missing: 0, duplicated: 0 }, 'player.events.processed');
}

describe('event-processor through faults, on real servers', () => {
  before(async () => {
    stack = await startStack();
    processor = await startService(stack, 'event-processor', PROCESSOR_ENV);
    db = auditClient();
    await db.connect();
  });

  after(async () => {
    await db?.end().catch(() => undefined);
    await processor?.process.stop(10_000).catch(() => undefined);
    await stack?.stop();
  });

  test('PostgreSQL stopped five times during a drain: not ready while away, resumes by itself, nothing lost or doubled', async () => {
    const game = `game-pg-${randomUUID().slice(0, 8)}`;
    const ids = await produceBacklog(game, 30_000);
    for (let round = 1; round <= 5; round++) {
      await sleep(random(50, 600));
      await db.end();
      await stack.postgres.stopServer();
      try {
        const down = await waitFor('processor not ready while PostgreSQL is away', async () => {
          const r = await readyz();
          return r.status === 503 ? r.body : undefined;
        }, 60_000);
        assert.equal(down.checks.postgres, 'down', `round ${round}`);
        await sleep(random(300, 1500));
      } finally {
        await stack.postgres.restart();
        db = auditClient();
        await db.connect();
      }
      assert.equal(processor.process.exited(), undefined, `the processor is still running after round ${round}`);
      await waitFor('processor ready again', async () => ((await readyz()).status === 200 ? true : undefined), 30_000);
    }
    await assertDrainedExactlyOnce(game, ids);
  });

  test('Kafka stopped for 5 s during a drain: the processor comes back by itself, nothing lost or doubled', async () => {
    const game = `game-kafka-${randomUUID().slice(0, 8)}`;
    const ids = await produceBacklog(game, 20_000);
    await sleep(random(100, 500));
    await stack.broker.stop();
    try {
      await sleep(5000);
    } finally {
      await stack.broker.restart();
    }
    await assertDrainedExactlyOnce(game, ids);
  });

  test('processor SIGKILLed ten times during a drain of 100,000 events: 0 missing and 0 duplicates in rows and output', async () => {
    const game = `game-kill-${randomUUID().slice(0, 8)}`;
    const ids = await produceBacklog(game, 100_000);
    await processor.process.stop(10_000);
    // A database whose COMMIT takes 30 ms (as on slow storage): a deferred trigger sleeps once per
    // transaction at commit time, so kills often land while one system has committed and the other not.
    await db.query(`CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF current_setting('gm.slow_commit', true) IS DISTINCT FROM '1' THEN
          PERFORM set_config('gm.slow_commit', '1', true);
          PERFORM pg_sleep(0.03);
        END IF;
        RETURN NULL;
      END $$`);
    await db.query('CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON processed_event_ids DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION slow_commit()');
    processor = await startService(stack, 'event-processor', KILL_ENV);
    let kills = 0;
    while (kills < 10) {
      await sleep(random(50, 400));
      processor.process.child.kill('SIGKILL');
      await processor.exited();
      kills++;
      const stored = await storedCount(game);
      processor = await startService(stack, 'event-processor', KILL_ENV);
      if (stored >= ids.length && kills < 10) assert.fail(`the drain finished after ${kills} kills; make the backlog larger`);
    }
    try {
      await assertDrainedExactlyOnce(game, ids);
    } finally {
      await db.query('DROP TRIGGER slow_commit ON processed_event_ids; DROP FUNCTION slow_commit()');
    }
  });
});
