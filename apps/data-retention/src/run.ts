/**
 * One run of data-retention:
 * 1. Archive: expired rows (`ts` before now − RETENTION_DAYS) in batches of RETENTION_BATCH_ROWS,
 *    oldest first. Each batch is written to object storage (archive.ts) and only then deleted from
 *    `player_events` in one short transaction of its own, by (event_id, ts): no lock is held
 *    between batches and inserts go on. A run that dies between upload and delete leaves the rows,
 *    and the next run archives them again under the same keys.
 * 2. GDPR: every deletion request without an `archive` audit row: the player's lines are removed from
 *    every version of the objects of the player's bucket (the latest rewritten, or deleted when nothing
 *    is left; each version holding the player destroyed by its id), then the audit row is written.
 * 3. Audit export (GDP-05): the audit rows not exported yet to the object-locked audit bucket
 *    (audit-export.ts), after step 2 so this run's own `archive` audit rows go too.
 * 4. The run's figures: one row in `retention_runs` and one JSON audit line on stdout.
 * One run at a time (a session advisory lock; the CronJob also forbids concurrency). Running again
 * right after changes nothing.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { recordDeletion } from '@gamemetrics/service-kit/gdpr.ts';
import type { ObjectStore, ObjectVersion } from '@gamemetrics/service-kit/object-store.ts';
import { exportAudit } from './audit-export.ts';
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
  /** The audit bucket (AUDIT_BUCKET); without it the run exports no audit rows (tests of the archive alone). */
  auditStore?: ObjectStore;
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
  /** Audit rows exported to the audit bucket, and the objects they went into. */
  auditRows: number;
  auditObjects: number;
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

/** What an erasure removed for one player: distinct events (lines), objects rewritten or deleted, versions destroyed. */
type Removed = { lines: number; rewritten: number; deleted: number; versions: number };

/** The players' lines of one object version, per player (event ids), and the other lines. */
async function split(body: Uint8Array, players: Set<string>): Promise<{ keep: string[]; hits: Map<string, Set<string>> }> {
  const keep: string[] = [];
  const hits = new Map<string, Set<string>>();
  for (const line of await decodeLines(body)) {
    if (!isOf(line, players)) keep.push(line);
    else {
      const e = JSON.parse(line) as { playerId: string; eventId: string };
      hits.set(e.playerId, (hits.get(e.playerId) ?? new Set()).add(e.eventId));
    }
  }
  return { keep, hits };
}

/**
 * Remove the players from every version of the objects of one hash bucket. The bucket is versioned
 * (the model's MinIO buckets), so a rewrite or a delete leaves the previous version behind: every
 * version holding a player's line is destroyed by its version id. The latest version, when it holds
 * one, is first rewritten without the players (a new version), or, when nothing else is left,
 * replaced by a delete marker if older versions without the players remain (so none of them becomes
 * current again). A version written while versioning was off (`null`) is destroyed only if it still
 * holds the player after that (a bucket that never had or suspended versioning overwrites it in place).
 */
async function eraseBucket(store: ObjectStore, prefix: string, players: Set<string>, removed: Map<string, Removed>): Promise<void> {
  const byKey = new Map<string, ObjectVersion[]>();
  for (const v of await store.listVersions(prefix)) byKey.set(v.key, [...(byKey.get(v.key) ?? []), v]);
  for (const [key, versions] of byKey) {
    const doomed: ObjectVersion[] = [];
    const events = new Map<string, Set<string>>();
    let latest: { keep: string[]; version: ObjectVersion } | undefined;
    for (const v of versions) {
      if (v.deleteMarker) continue;
      const body = await store.getVersion(key, v.versionId);
      if (!body) continue;
      const { keep, hits } = await split(body, players);
      if (hits.size === 0) continue;
      doomed.push(v);
      if (v.isLatest) latest = { keep, version: v };
      for (const [p, ids] of hits) events.set(p, new Set([...(events.get(p) ?? []), ...ids]));
    }
    if (doomed.length === 0) continue;
    let outcome: 'rewritten' | 'deleted' | null = null;
    if (latest) {
      const othersRemain = versions.some((v) => !v.deleteMarker && !doomed.includes(v));
      if (latest.keep.length > 0) {
        await store.put(key, await encodeLines(latest.keep), 'application/gzip');
        outcome = 'rewritten';
      } else {
        if (othersRemain || latest.version.versionId === 'null') await store.delete([key]);
        outcome = 'deleted';
      }
    }
    // The `null` version (written while versioning was off) is replaced in place by the rewrite or the
    // delete above where versioning is off or suspended, and kept where it is enabled: read it again.
    const destroy = doomed.filter((v) => v.versionId !== 'null');
    const legacy = doomed.find((v) => v.versionId === 'null');
    const legacyBody = legacy ? await store.getVersion(key, 'null') : undefined;
    if (legacy && legacyBody && (await split(legacyBody, players)).hits.size > 0) destroy.push(legacy);
    if (destroy.length > 0) await store.deleteVersions(destroy);
    for (const [p, ids] of events) {
      const r = removed.get(p) ?? { lines: 0, rewritten: 0, deleted: 0, versions: 0 };
      r.lines += ids.size;
      if (outcome) r[outcome]++;
      r.versions += destroy.length;
      removed.set(p, r);
    }
  }
}

/** Remove the pending requests' players from the archive, every version; one audit row per request. */
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
  const removed = new Map<string, Removed>();
  for (const [bucket, players] of byBucket) await eraseBucket(store, bucketPrefix(bucket), players, removed);
  for (const r of pending) await recordDeletion(pool, r.request_id, ARCHIVE_STORE, service, removed.get(r.player_id) ?? { lines: 0, rewritten: 0, deleted: 0, versions: 0 });
  return pending.length;
}

export async function runRetention(pool: pg.Pool, store: ObjectStore, options: RunOptions): Promise<RunSummary> {
  const started = new Date();
  const now = options.now ?? started;
  const cutoff = new Date(now.getTime() - options.retentionDays * 86400_000);
  const summary: RunSummary = { runId: randomUUID(), ran: false, cutoff: cutoff.toISOString(), archivedRows: 0, deletedRows: 0, objects: 0, batches: 0, erasedRequests: 0, auditRows: 0, auditObjects: 0, durationMs: 0 };
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
      if (options.auditStore && !options.stopping?.()) {
        const exported = await exportAudit(pool, options.auditStore, { stopping: options.stopping });
        summary.auditRows = exported.rows;
        summary.auditObjects = exported.objects;
      }
      summary.durationMs = Date.now() - started.getTime();
      await pool.query(
        'INSERT INTO retention_runs (run_id, started_at, finished_at, cutoff, archived_rows, deleted_rows, objects, erased_requests, audit_rows) VALUES ($1, $2, now(), $3, $4, $5, $6, $7, $8)',
        [summary.runId, started, cutoff, summary.archivedRows, summary.deletedRows, summary.objects, summary.erasedRequests, summary.auditRows],
      );
    } finally {
      await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [LOCK]);
    }
  } finally {
    lock.release();
  }
  return summary;
}
