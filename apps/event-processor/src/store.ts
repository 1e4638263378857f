/**
 * One database transaction per chunk of records: de-duplicate by event id in the ledger
 * (`processed_event_ids`), insert the new events, commit. Each ledger row also records the source
 * record that first stored the event (`<partition>/<offset>` on player.events.raw): a record
 * redelivered because its Kafka transaction never committed finds its own events stored under its
 * own position, so they are "owned" and published again, while the same event id arriving in another
 * record (a client retry) is a duplicate and published never (apps/README.md, "Exactly once").
 *
 * The new events go in with `COPY … FROM STDIN` straight into player_events: the ledger insert in
 * the same transaction already decided which ids are new, so no staging table is needed, and COPY
 * is the cheapest way into PostgreSQL (measured: ~21 µs of server CPU per event against ~31 µs for
 * one `INSERT … SELECT FROM json_to_recordset(…)` per chunk; see docs/BENCHMARKS.md).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { RawEvent } from '@gamemetrics/service-kit/player-event.ts';
import { copyRow } from './copy-text.ts';

const COPY_EVENTS = 'COPY player_events (event_id, tenant, player_id, game_id, type, ts, score, payload, received_at) FROM STDIN';

export function scoreOf(event: RawEvent): number | null {
  const s = event.payload?.score;
  return typeof s === 'number' && Number.isFinite(s) ? s : null;
}

/** Per-game counts by event type: the live-counter deltas of a committed chunk. */
export function countsByGame(events: RawEvent[]): Array<{ gameId: string; counts: Record<string, number> }> {
  const byGame = new Map<string, Record<string, number>>();
  for (const e of events) {
    const counts = byGame.get(e.gameId) ?? {};
    counts[e.type] = (counts[e.type] ?? 0) + 1;
    byGame.set(e.gameId, counts);
  }
  return [...byGame].map(([gameId, counts]) => ({ gameId, counts }));
}

/** An event and the position of the record that carried it (`<partition>/<offset>`). */
export interface Sourced {
  event: RawEvent;
  source: string;
}

export interface WriteResult {
  /** Events stored by this call. */
  fresh: RawEvent[];
  /** Events whose ledger row names their own record: the fresh ones and those a previous attempt at the same records stored. */
  owned: RawEvent[];
}

/** Store each event of `items` exactly once, in one transaction; see the file comment for `owned`. */
export async function writeEvents(client: pg.PoolClient, items: Sourced[]): Promise<WriteResult> {
  const seen = new Set<string>();
  const unique = items.filter((s) => (seen.has(s.event.eventId) ? false : (seen.add(s.event.eventId), true)));
  const ids = unique.map((s) => s.event.eventId);
  const sources = unique.map((s) => s.source);
  await client.query('BEGIN');
  try {
    const inserted = await client.query<{ event_id: string }>(
      'INSERT INTO processed_event_ids (event_id, source) SELECT * FROM unnest($1::uuid[], $2::text[]) ON CONFLICT DO NOTHING RETURNING event_id',
      [ids, sources],
    );
    const freshIds = new Set(inserted.rows.map((r) => r.event_id));
    const fresh = unique.filter((s) => freshIds.has(s.event.eventId)).map((s) => s.event);
    if (fresh.length > 0) {
      let rows = '';
      for (const e of fresh)
        rows += copyRow([e.eventId, e.tenant, e.playerId, e.gameId, e.type, e.timestamp, scoreOf(e), JSON.stringify(e.payload ?? {}), e.receivedAt]);
      await pipeline(Readable.from([rows]), client.query(copyFrom(COPY_EVENTS)));
    }
    let owned = fresh;
    if (fresh.length < unique.length) {
      // Only after a redelivery: which of the known ids were stored by these very records?
      const mine = await client.query<{ event_id: string }>(
        'SELECT l.event_id::text FROM processed_event_ids l JOIN unnest($1::uuid[], $2::text[]) AS c(id, src) ON l.event_id = c.id AND l.source = c.src',
        [ids, sources],
      );
      const ownedIds = new Set(mine.rows.map((r) => r.event_id));
      owned = unique.filter((s) => ownedIds.has(s.event.eventId)).map((s) => s.event);
    }
    await client.query('COMMIT');
    return { fresh, owned };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/** SQLSTATE classes that mean "this data cannot be stored" (not "the database is down"). */
export function isDataError(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}
