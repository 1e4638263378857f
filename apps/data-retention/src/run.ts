/**
 * One run of data-retention:
 * 1. Archive: expired rows (`ts` before now − RETENTION_DAYS) in batches of RETENTION_BATCH_ROWS,
 *    oldest first. Each batch is written to object storage (archive.ts) and only then deleted from
 *    `player_events` in one short transaction of its own, by (event_id, ts): no lock is held
 *    between batches and inserts go on. A run that dies between upload and delete leaves the rows,
 *    and the next run archives them again under the same keys.
 * 2. GDPR: every deletion request without an `archive` audit row: the player's lines are removed from
 *    the objects of the player's bucket (rewritten, or deleted when nothing is left), then the audit
 *    row is written.
 * 3. The run's figures: one row in `retention_runs` and one JSON audit line on stdout.
 * One run at a time (a session advisory lock; the CronJob also forbids concurrency). Running again
 * right after changes nothing.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { recordDeletion } from '@gamemetrics/service-kit/gdpr.ts';
import type { ObjectStore } from '@gamemetrics/service-kit/object-store.ts';
import { bucketOf, bucketPrefix, decodeLines, encodeLines, isOf, objectKey } from './archive.ts';

/** The store name in the audit (and in user-service's GDPR_STORES). */
export const ARCHIVE_STORE = 'archive';
const LOCK = 'data-retention';

export interface RunOptions {
  retentionDays: number;
  batchRows: number;
  service: string;
  now?: Date;
  /** Asked between batches: stop early (SIGTERM). */
  stopping?: () => boolean;
}

export interface RunSummary {
  runId: string;
  /** false when another run holds the lock (nothing done). */
  ran: boolean;
  cutoff: string;
  archivedRows: number;
  deletedRows: number;
  objects: number;
  batches: number;
  erasedRequests: number;
  durationMs: number;
}

interface Row {
  id: string;
  ts: string;
  player_id: string;
  day: string;
  line: string;
}

const SELECT_EXPIRED = `SELECT e.event_id::text AS id, e.ts::text AS ts, e.player_id, to_char(e.ts AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
       json_build_object('eventId', e.event_id, 'tenant', e.tenant, 'playerId', e.player_id, 'gameId', e.game_id, 'type', e.type,
                         'timestamp', e.ts, 'score', e.score, 'payload', e.payload, 'receivedAt', e.received_at, 'processedAt', e.processed_at)::text AS line
  FROM player_events e WHERE e.ts < $1 ORDER BY e.ts, e.event_id LIMIT $2`;

async function parallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

async function archiveBatch(pool: pg.Pool, store: ObjectStore, rows: Row[]): Promise<{ objects: number; deleted: number }> {
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const k = `${bucketOf(r.player_id)}/${r.day}`;
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  await parallel([...groups], 4, async ([k, group]) => {
    const [bucket, day] = k.split('/');
    await store.put(objectKey(bucket, day, group.map((r) => r.id)), await encodeLines(group.map((r) => r.line)), 'application/gzip');
  });
  const { rowCount } = await pool.query('DELETE FROM player_events p USING unnest($1::uuid[], $2::timestamptz[]) AS d(id, ts) WHERE p.event_id = d.id AND p.ts = d.ts', [
    rows.map((r) => r.id),
    rows.map((r) => r.ts),
  ]);
  return { objects: groups.size, deleted: rowCount ?? 0 };
}

/** Remove the pending requests' players from the archive; one audit row per request. */
async function eraseFromArchive(pool: pg.Pool, store: ObjectStore, service: string): Promise<number> {
  const { rows: pending } = await pool.query<{ request_id: string; player_id: string }>(
    `SELECT r.request_id::text, r.player_id FROM gdpr_deletion_requests r
      WHERE NOT EXISTS (SELECT 1 FROM gdpr_deletion_audit a WHERE a.request_id = r.request_id AND a.store = $1) ORDER BY r.requested_at`,
    [ARCHIVE_STORE],
  );
  const byBucket = new Map<string, Set<string>>();
  for (const r of pending) {
    const b = bucketOf(r.player_id);
    byBucket.set(b, (byBucket.get(b) ?? new Set()).add(r.player_id));
  }
  const removed = new Map<string, { lines: number; rewritten: number; deleted: number }>();
  for (const [bucket, players] of byBucket) {
    for (const object of await store.list(bucketPrefix(bucket))) {
      const body = await store.get(object.key);
      if (!body) continue;
      const lines = await decodeLines(body);
      const keep: string[] = [];
      const hits = new Map<string, number>();
      for (const line of lines) {
        if (!isOf(line, players)) keep.push(line);
        else {
          const p = (JSON.parse(line) as { playerId: string }).playerId;
          hits.set(p, (hits.get(p) ?? 0) + 1);
        }
      }
      if (hits.size === 0) continue;
      if (keep.length === 0) await store.delete([object.key]);
      else await store.put(object.key, await encodeLines(keep), 'application/gzip');
      for (const [p, n] of hits) {
        const r = removed.get(p) ?? { lines: 0, rewritten: 0, deleted: 0 };
        r.lines += n;
        if (keep.length === 0) r.deleted++;
        else r.rewritten++;
        removed.set(p, r);
      }
    }
  }
  for (const r of pending) await recordDeletion(pool, r.request_id, ARCHIVE_STORE, service, removed.get(r.player_id) ?? { lines: 0, rewritten: 0, deleted: 0 });
  return pending.length;
}

export async function runRetention(pool: pg.Pool, store: ObjectStore, options: RunOptions): Promise<RunSummary> {
  const started = new Date();
  const now = options.now ?? started;
  const cutoff = new Date(now.getTime() - options.retentionDays * 86400_000);
  const summary: RunSummary = { runId: randomUUID(), ran: false, cutoff: cutoff.toISOString(), archivedRows: 0, deletedRows: 0, objects: 0, batches: 0, erasedRequests: 0, durationMs: 0 };
  const lock = await pool.connect();
  try {
    const { rows } = await lock.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [LOCK]);
    if (!rows[0].ok) return summary;
    summary.ran = true;
    try {
      while (!options.stopping?.()) {
        const batch = await pool.query<Row>(SELECT_EXPIRED, [cutoff, options.batchRows]);
        if (batch.rows.length === 0) break;
        const done = await archiveBatch(pool, store, batch.rows);
        summary.batches++;
        summary.archivedRows += batch.rows.length;
        summary.deletedRows += done.deleted;
        summary.objects += done.objects;
        if (batch.rows.length < options.batchRows) break;
      }
      if (!options.stopping?.()) summary.erasedRequests = await eraseFromArchive(pool, store, options.service);
      summary.durationMs = Date.now() - started.getTime();
      await pool.query(
        'INSERT INTO retention_runs (run_id, started_at, finished_at, cutoff, archived_rows, deleted_rows, objects, erased_requests) VALUES ($1, $2, now(), $3, $4, $5, $6, $7)',
        [summary.runId, started, cutoff, summary.archivedRows, summary.deletedRows, summary.objects, summary.erasedRequests],
      );
    } finally {
      await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [LOCK]);
    }
  } finally {
    lock.release();
  }
  return summary;
}
