/**
 * One database transaction per chunk of records: de-duplicate by event id, insert the new events,
 * run `publish` (the Kafka produce of the processed events and dead letters) while the transaction
 * is open, commit. If the produce fails the transaction rolls back, so the redelivered chunk is
 * processed afresh; if the commit happened, redelivery finds every id in the ledger and writes and
 * publishes nothing again.
 */
import type pg from 'pg';
import type { RawEvent } from '../../lib/player-event.ts';

export function scoreOf(event: RawEvent): number | null {
  const s = event.payload?.score;
  return typeof s === 'number' && Number.isFinite(s) ? s : null;
}

/** The first occurrence of each event id. */
export function uniqueById(events: RawEvent[]): RawEvent[] {
  const seen = new Set<string>();
  return events.filter((e) => (seen.has(e.eventId) ? false : (seen.add(e.eventId), true)));
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

/**
 * Write `events` exactly once; calls `publish(newEvents)` inside the transaction.
 * Returns the events that were new (the rest were duplicates).
 */
export async function writeEvents(
  client: pg.PoolClient,
  events: RawEvent[],
  publish: (fresh: RawEvent[]) => Promise<void>,
): Promise<RawEvent[]> {
  const unique = uniqueById(events);
  await client.query('BEGIN');
  try {
    const ids = unique.map((e) => e.eventId);
    const inserted = await client.query<{ event_id: string }>(
      'INSERT INTO processed_event_ids (event_id) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id',
      [ids],
    );
    const freshIds = new Set(inserted.rows.map((r) => r.event_id));
    const fresh = unique.filter((e) => freshIds.has(e.eventId));
    if (fresh.length > 0) {
      // One JSON document per chunk: PostgreSQL parses it in C, cheaper than pg's array encoding.
      await client.query(
        `INSERT INTO player_events (event_id, tenant, player_id, game_id, type, ts, score, payload, received_at)
         SELECT event_id, tenant, player_id, game_id, type, ts, score, payload, received_at
           FROM json_to_recordset($1::json) AS x(event_id uuid, tenant text, player_id text, game_id text, type text,
                                                 ts timestamptz, score float8, payload jsonb, received_at timestamptz)`,
        [
          JSON.stringify(
            fresh.map((e) => ({
              event_id: e.eventId,
              tenant: e.tenant,
              player_id: e.playerId,
              game_id: e.gameId,
              type: e.type,
              ts: e.timestamp,
              score: scoreOf(e),
              payload: e.payload ?? {},
              received_at: e.receivedAt,
            })),
          ),
        ],
      );
    }
    await publish(fresh);
    await client.query('COMMIT');
    return fresh;
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
