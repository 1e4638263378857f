/**
 * data-retention on real servers: PostgreSQL 15 migrated and granted by the rendered migration Job
 * (the run uses data-retention's own role), MinIO (scripts/harness/minio.ts). One million event
 * rows, 200,000 of them past retention, made with generate_series; while a run archives and deletes,
 * a writer keeps inserting current events as event-processor's role. The run archives and deletes
 * exactly the expired rows (the archive's event ids are the expired ids, each once) and leaves every
 * other row; a second run changes nothing; a GDPR request erases the player's lines from the archive
 * and writes the `archive` audit row.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type pg from 'pg';
import { createObjectStore, type ObjectStore } from '@gamemetrics/service-kit/object-store.ts';
import { startMinio, type MinioServer } from '../../../scripts/harness/minio.ts';
import { startEventStore, type EventStore } from '../../test/gdpr-db.ts';
import { ARCHIVE_PREFIX, bucketOf, bucketPrefix, decodeLines, encodeLines } from '../src/archive.ts';
import { runRetention } from '../src/run.ts';

const TOTAL = 1_000_000;
const EXPIRED = 200_000;
const RETENTION_DAYS = 395;
const PLAYERS = 5000;

let events: EventStore;
let minio: MinioServer;
let store: ObjectStore;
let admin: pg.Pool;
let retention: pg.Pool;
let writer: pg.Pool;
const now = new Date();

/** Every archived line, parsed, with the key of its object. */
async function archived(prefix = ARCHIVE_PREFIX): Promise<Array<{ key: string; event: { eventId: string; playerId: string; timestamp: string } }>> {
  const out: Array<{ key: string; event: { eventId: string; playerId: string; timestamp: string } }> = [];
  for (const o of await store.list(prefix)) for (const line of await decodeLines((await store.get(o.key)) as Uint8Array)) out.push({ key: o.key, event: JSON.parse(line) });
  return out;
}

/** The player ids in each version of each object under the prefix, delete markers as null. */
async function versionsOf(s: ObjectStore, prefix: string): Promise<Array<{ key: string; latest: boolean; players: string[] | null }>> {
  const out = [];
  for (const v of await s.listVersions(prefix)) {
    const players = v.deleteMarker ? null : [...new Set((await decodeLines((await s.getVersion(v.key, v.versionId)) as Uint8Array)).map((l) => (JSON.parse(l) as { playerId: string }).playerId))].sort();
    out.push({ key: v.key, latest: v.isLatest, players });
  }
  return out;
}

const run = () => runRetention(retention, store, { retentionDays: RETENTION_DAYS, batchRows: 50_000, service: 'data-retention', now });

describe('data-retention on a real PostgreSQL and MinIO', () => {
  before(async () => {
    [events, minio] = await Promise.all([startEventStore(), startMinio()]);
    // Versioned, as the model's archive bucket is (model/datastores.ts; the MinIO chart creates it so).
    store = createObjectStore({ ...minio, bucket: 'gamemetrics-archive' });
    await store.ensureBucket({ versioning: true });
    admin = events.admin();
    retention = events.pool('data_retention');
    writer = events.pool('event_processor');
    // EXPIRED rows 400–500 days old, the rest within the last 300 days; µs precision on purpose.
    await admin.query(
      `INSERT INTO player_events (event_id, tenant, player_id, game_id, type, ts, score, payload, received_at)
       SELECT gen_random_uuid(), 'studio-a', 'p' || (i % ${PLAYERS}), 'g' || (i % 40), 'score',
              CASE WHEN i <= ${EXPIRED} THEN $1::timestamptz - interval '400 days' - (i * interval '17.000123 seconds')
                   ELSE $1::timestamptz - (i * interval '25.000017 seconds') END,
              i % 100, jsonb_build_object('score', i % 100), $1::timestamptz
         FROM generate_series(1, ${TOTAL}) AS i`,
      [now],
    );
    await admin.query('ANALYZE player_events');
  });
  after(async () => {
    store?.close();
    await Promise.allSettled([events?.stop(), minio?.stop()]);
  });

  test('a run archives and deletes exactly the expired rows while inserts go on; a second run changes nothing', async () => {
    const cutoff = new Date(now.getTime() - RETENTION_DAYS * 86400_000);
    const expiredIds = new Set((await admin.query<{ id: string }>('SELECT event_id::text AS id FROM player_events WHERE ts < $1', [cutoff])).rows.map((r) => r.id));
    assert.equal(expiredIds.size, EXPIRED);
    const keptBefore = (await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM player_events WHERE ts >= $1', [cutoff])).rows[0].n;

    // A writer inserts current events throughout the run (200 every ~20 ms), as event-processor would.
    let writing = true;
    let inserted = 0;
    const inserting = (async () => {
      while (writing) {
        const r = await writer.query(
          `INSERT INTO player_events (event_id, tenant, player_id, game_id, type, ts, score, payload, received_at)
           SELECT gen_random_uuid(), 'studio-a', 'live-' || i, 'g1', 'score', now(), 1, '{}'::jsonb, now() FROM generate_series(1, 200) AS i`,
        );
        inserted += r.rowCount ?? 0;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const first = await run();
    writing = false;
    await inserting;

    assert.equal(first.ran, true);
    assert.equal(first.archivedRows, EXPIRED);
    assert.equal(first.deletedRows, EXPIRED);
    assert.ok(inserted > 0, 'the writer got rows in during the run');
    const left = await admin.query<{ expired: number; kept: number }>('SELECT count(*) FILTER (WHERE ts < $1)::int AS expired, count(*) FILTER (WHERE ts >= $1)::int AS kept FROM player_events', [cutoff]);
    assert.deepEqual(left.rows[0], { expired: 0, kept: keptBefore + inserted });

    const lines = await archived();
    assert.equal(lines.length, EXPIRED, 'each expired row archived once');
    const archivedIds = new Set(lines.map((l) => l.event.eventId));
    assert.equal(archivedIds.size, EXPIRED);
    assert.ok([...archivedIds].every((id) => expiredIds.has(id)), 'only expired rows archived');
    for (const { key, event } of lines.slice(0, 1000)) {
      assert.ok(key.startsWith(bucketPrefix(bucketOf(event.playerId))), `${key} holds ${event.playerId}`);
      assert.ok(key.includes(`/${event.timestamp.slice(0, 10)}/`), `${key} holds an event of ${event.timestamp}`);
    }
    assert.ok(lines.some((l) => /\.\d{6}\+00:00$/.test(l.event.timestamp)), 'timestamps keep their microseconds');
    console.log(`# retention: ${first.archivedRows} rows archived into ${first.objects} objects and deleted in ${first.durationMs} ms (${first.batches} batches) while ${inserted} rows were inserted`);

    const keys = (await store.list(ARCHIVE_PREFIX)).map((o) => o.key);
    const second = await run();
    assert.deepEqual({ archived: second.archivedRows, deleted: second.deletedRows, objects: second.objects, erased: second.erasedRequests }, { archived: 0, deleted: 0, objects: 0, erased: 0 });
    assert.deepEqual((await store.list(ARCHIVE_PREFIX)).map((o) => o.key), keys, 'the archive is unchanged');
    const runs = await admin.query('SELECT archived_rows::int, deleted_rows::int FROM retention_runs ORDER BY started_at');
    assert.deepEqual(runs.rows, [{ archived_rows: EXPIRED, deleted_rows: EXPIRED }, { archived_rows: 0, deleted_rows: 0 }]);
  });

  test('a run while another holds the lock does nothing', async () => {
    const holder = await retention.connect();
    try {
      await holder.query("SELECT pg_advisory_lock(hashtext('data-retention'))");
      const skipped = await run();
      assert.equal(skipped.ran, false);
    } finally {
      await holder.query("SELECT pg_advisory_unlock(hashtext('data-retention'))");
      holder.release();
    }
  });

  test('GDPR: a deletion request erases the player from the archive, once, with the audit row', async () => {
    const victim = 'p42';
    const prefix = bucketPrefix(bucketOf(victim));
    const others = (await store.list(ARCHIVE_PREFIX)).filter((o) => !o.key.startsWith(prefix));
    const before = await archived(prefix);
    const theirs = before.filter((l) => l.event.playerId === victim).length;
    assert.ok(theirs > 0);
    const requestId = randomUUID();
    await admin.query('INSERT INTO gdpr_deletion_requests (request_id, player_id) VALUES ($1, $2)', [requestId, victim]);
    const erasing = await run();
    assert.equal(erasing.erasedRequests, 1);
    const afterLines = await archived(prefix);
    assert.equal(afterLines.filter((l) => l.event.playerId === victim).length, 0, 'no archived line of the player');
    const versions = await versionsOf(store, prefix);
    assert.deepEqual(versions.filter((v) => v.players?.includes(victim)), [], 'no version of any object holds the player');
    assert.ok(versions.length > 0 && versions.every((v) => v.latest), 'the rewritten objects\' earlier versions are gone: one version per object');
    assert.equal(afterLines.length, before.length - theirs, 'every other line of the bucket kept');
    assert.deepEqual((await store.list(ARCHIVE_PREFIX)).filter((o) => !o.key.startsWith(prefix)), others, 'the other buckets untouched');
    const audit = await admin.query('SELECT service, deleted FROM gdpr_deletion_audit WHERE request_id = $1 AND store = $2', [requestId, 'archive']);
    assert.equal(audit.rows[0].service, 'data-retention');
    assert.equal(audit.rows[0].deleted.lines, theirs);
    assert.equal(audit.rows[0].deleted.versions, audit.rows[0].deleted.rewritten + audit.rows[0].deleted.deleted, 'one earlier version per object touched');
    assert.equal((await run()).erasedRequests, 0, 'done once');
  });

  test('GDPR on a versioned bucket: every version holding the player is destroyed, older versions without the player stay', async () => {
    const versioned = createObjectStore({ ...minio, bucket: 'gamemetrics-archive-versions' });
    try {
      await versioned.ensureBucket({ versioning: true });
      const victim = 'vic-7';
      const bucket = bucketOf(victim);
      const line = (player: string, n: number) => JSON.stringify({ eventId: randomUUID(), playerId: player, gameId: 'g1', type: 'score', timestamp: `2025-01-0${n}T00:00:00.000000+00:00` });
      const key = (name: string) => `${bucketPrefix(bucket)}2025-01-01/${name}.jsonl.gz`;
      const mixed = [line(victim, 1), line('ann', 1), line(victim, 2)];
      // A: the victim's and ann's lines, written three times (runs that died before their DELETE): three versions, each with the victim.
      for (let i = 0; i < 3; i++) await versioned.put(key('a'), await encodeLines(mixed), 'application/gzip');
      // B: first only bob's lines, then only the victim's.
      await versioned.put(key('b'), await encodeLines([line('bob', 1)]), 'application/gzip');
      await versioned.put(key('b'), await encodeLines([line(victim, 3)]), 'application/gzip');
      // C: the victim's lines, then deleted (a delete marker): only a noncurrent version holds them.
      await versioned.put(key('c'), await encodeLines([line(victim, 4), line('cyd', 4)]), 'application/gzip');
      await versioned.delete([key('c')]);
      // D: no line of the victim, two versions: untouched.
      await versioned.put(key('d'), await encodeLines([line('dan', 1)]), 'application/gzip');
      await versioned.put(key('d'), await encodeLines([line('dan', 2)]), 'application/gzip');
      const untouched = (await versioned.listVersions(key('d'))).map((v) => v.versionId);

      const requestId = randomUUID();
      await admin.query('INSERT INTO gdpr_deletion_requests (request_id, player_id) VALUES ($1, $2)', [requestId, victim]);
      const erasing = await runRetention(retention, versioned, { retentionDays: RETENTION_DAYS, batchRows: 50_000, service: 'data-retention', now });
      assert.equal(erasing.erasedRequests, 1);

      assert.deepEqual(await versionsOf(versioned, bucketPrefix(bucket)), [
        { key: key('a'), latest: true, players: ['ann'] },
        { key: key('b'), latest: true, players: null },
        { key: key('b'), latest: false, players: ['bob'] },
        { key: key('c'), latest: true, players: null },
        { key: key('d'), latest: true, players: ['dan'] },
        { key: key('d'), latest: false, players: ['dan'] },
      ]);
      assert.equal(await versioned.get(key('b')), undefined, "b reads as deleted: bob's older version does not come back");
      assert.deepEqual((await versioned.listVersions(key('d'))).map((v) => v.versionId), untouched);
      const audit = await admin.query('SELECT deleted FROM gdpr_deletion_audit WHERE request_id = $1 AND store = $2', [requestId, 'archive']);
      // 4 distinct events (a's 2, b's 1, c's 1); a rewritten, b deleted; 3 + 1 + 1 versions destroyed.
      assert.deepEqual(audit.rows[0].deleted, { lines: 4, rewritten: 1, deleted: 1, versions: 5 });
    } finally {
      versioned.close();
    }
  });

  test('GDPR on buckets never versioned, and versioned after objects were written (their `null` versions)', async () => {
    const victim = 'vic-9';
    const line = (player: string) => JSON.stringify({ eventId: randomUUID(), playerId: player, gameId: 'g1', type: 'score', timestamp: '2025-01-01T00:00:00.000000+00:00' });
    const key = `${bucketPrefix(bucketOf(victim))}2025-01-01/n.jsonl.gz`;
    const plain = createObjectStore({ ...minio, bucket: 'gamemetrics-archive-plain' });
    const late = createObjectStore({ ...minio, bucket: 'gamemetrics-archive-late' });
    try {
      await plain.ensureBucket();
      await plain.put(key, await encodeLines([line(victim), line('eve')]), 'application/gzip');
      await late.ensureBucket();
      await late.put(key, await encodeLines([line(victim), line('eve')]), 'application/gzip');
      await late.ensureBucket({ versioning: true });
      await late.put(key, await encodeLines([line(victim), line('eve'), line('fay')]), 'application/gzip');
      for (const store of [plain, late]) {
        await admin.query('INSERT INTO gdpr_deletion_requests (request_id, player_id) VALUES ($1, $2)', [randomUUID(), victim]);
        assert.equal((await runRetention(retention, store, { retentionDays: RETENTION_DAYS, batchRows: 50_000, service: 'data-retention', now })).erasedRequests, 1);
      }
      // Never versioned: the object rewritten in place, its one (null) version without the victim.
      assert.deepEqual(await versionsOf(plain, key), [{ key, latest: true, players: ['eve'] }]);
      // Versioned later: the rewrite is a new version; the older versioned one and the null one, both with the victim, destroyed.
      assert.deepEqual(await versionsOf(late, key), [{ key, latest: true, players: ['eve', 'fay'] }]);
    } finally {
      plain.close();
      late.close();
    }
  });
});
