/**
 * Control GDP-05 on real servers: PostgreSQL 15 migrated and granted by the rendered migration Job, and
 * MinIO with the audit bucket made as the rendered chart values make it (`mc mb --with-lock`, then the
 * rendered default-retention command). The audit tables take inserts and refuse UPDATE, DELETE and
 * TRUNCATE, from the services' roles and the superuser alike; data-retention exports exactly the rows
 * the tables hold, once, also after a run that died between upload and ledger; the bucket refuses to
 * destroy a locked version, and a write to the same key leaves the locked version as it was.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type pg from 'pg';
import { parse } from 'yaml';
import { recordDeletion } from '@gamemetrics/service-kit/gdpr.ts';
import { createObjectStore, type ObjectStore } from '@gamemetrics/service-kit/object-store.ts';
import { runMc, startMinio, type MinioServer } from '../../../scripts/harness/minio.ts';
import { startEventStore, type EventStore } from '../../test/gdpr-db.ts';
import { provisionRenderedBucket, renderedService, REPO } from '../../test/stack.ts';
import { decodeLines } from '../src/archive.ts';
import { AUDIT_PREFIX, exportAudit } from '../src/audit-export.ts';
import { runRetention } from '../src/run.ts';

const AUDIT_BUCKET = renderedService('data-retention').config.AUDIT_BUCKET;

let events: EventStore;
let minio: MinioServer;
let audit: ObjectStore;
let admin: pg.Pool;
let retention: pg.Pool;
let users: pg.Pool;
let predictions: pg.Pool;
let retentionCommands: string[];

/** The error a statement ends with (it must fail). */
async function refusal(pool: pg.Pool, sql: string): Promise<{ code?: string; message: string }> {
  try {
    await pool.query(sql);
  } catch (e) {
    return { code: (e as { code?: string }).code, message: (e as Error).message };
  }
  assert.fail(`${sql} was accepted`);
}

/** n deletion requests, each with a `profile` audit row written as user-service writes it. */
async function gdprRows(n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, () => randomUUID());
  for (const id of ids) {
    await users.query('INSERT INTO gdpr_deletion_requests (request_id, player_id) VALUES ($1, $2)', [id, `player-${id.slice(0, 8)}`]);
    assert.equal(await recordDeletion(users, id, 'profile', 'user-service', { profiles: 1 }), true);
  }
  return ids;
}

async function geoRows(n: number, action = 'model.promote'): Promise<void> {
  for (let i = 0; i < n; i++) {
    await predictions.query('INSERT INTO geo_climate.geo_audit_log (at, actor, action, target, detail) VALUES (now(), $1, $2, $3, $4)', ['user:audit-test', action, `model:v${i}`, { i }]);
  }
}

/** Every exported line of the audit bucket (latest versions), parsed, by source. */
async function exported(): Promise<Record<string, Array<Record<string, unknown>>>> {
  const out: Record<string, Array<Record<string, unknown>>> = { gdpr_deletion_audit: [], geo_audit_log: [] };
  for (const o of await audit.list(AUDIT_PREFIX)) {
    const source = o.key.split('/')[1];
    for (const line of await decodeLines((await audit.get(o.key)) as Uint8Array)) out[source].push(JSON.parse(line));
  }
  return out;
}

/** What the tables hold, in the export's shape (PostgreSQL's JSON rendering of the same columns). */
async function tables(): Promise<Record<string, Array<Record<string, unknown>>>> {
  const gdpr = await admin.query<{ line: Record<string, unknown> }>(
    `SELECT json_build_object('requestId', request_id, 'store', store, 'service', service, 'deleted', deleted, 'completedAt', completed_at) AS line
       FROM gdpr_deletion_audit ORDER BY completed_at, request_id, store`,
  );
  const geo = await admin.query<{ line: Record<string, unknown> }>(
    `SELECT json_build_object('id', id, 'at', at, 'actor', actor, 'action', action, 'target', target, 'detail', detail) AS line FROM geo_climate.geo_audit_log ORDER BY id`,
  );
  return { gdpr_deletion_audit: gdpr.rows.map((r) => r.line), geo_audit_log: geo.rows.map((r) => r.line) };
}

const sortBy = (key: string) => (rows: Array<Record<string, unknown>>) => [...rows].sort((a, b) => String(a[key]).localeCompare(String(b[key])) || String(a.store).localeCompare(String(b.store)));

describe('GDP-05: append-only audit tables, exported to an object-locked bucket', () => {
  before(async () => {
    [events, minio] = await Promise.all([startEventStore(), startMinio()]);
    retentionCommands = await provisionRenderedBucket(minio, AUDIT_BUCKET);
    audit = createObjectStore({ ...minio, bucket: AUDIT_BUCKET });
    admin = events.admin();
    retention = events.pool('data_retention');
    users = events.pool('user_service');
    predictions = events.pool('prediction_api');
  });
  after(async () => {
    audit?.close();
    await Promise.allSettled([events?.stop(), minio?.stop()]);
  });

  test('the audit tables take inserts and refuse UPDATE, DELETE and TRUNCATE, to the writers and the superuser alike', async () => {
    const [id] = await gdprRows(1);
    await geoRows(1, 'append-only.probe');
    const before = await tables();
    const cases: Array<[string, pg.Pool, string]> = [
      ['user-service updates its audit row', users, `UPDATE gdpr_deletion_audit SET deleted = '{}' WHERE request_id = '${id}'`],
      ['user-service deletes its audit row', users, `DELETE FROM gdpr_deletion_audit WHERE request_id = '${id}'`],
      ['data-retention deletes audit rows', retention, 'DELETE FROM gdpr_deletion_audit'],
      ['the superuser updates an audit row', admin, `UPDATE gdpr_deletion_audit SET service = 'x' WHERE request_id = '${id}'`],
      ['the superuser truncates the audit', admin, 'TRUNCATE gdpr_deletion_audit'],
      ['prediction-api rewrites its audit log', predictions, "UPDATE geo_climate.geo_audit_log SET target = 'x' WHERE action = 'append-only.probe'"],
      ['prediction-api deletes from its audit log', predictions, "DELETE FROM geo_climate.geo_audit_log WHERE action = 'append-only.probe'"],
      ['the superuser truncates the geo audit log', admin, 'TRUNCATE geo_climate.geo_audit_log'],
      ['the superuser truncates the export ledger', admin, 'TRUNCATE audit_exports'],
    ];
    for (const [what, pool, sql] of cases) {
      const e = await refusal(pool, sql);
      assert.equal(e.code, '42501', `${what}: ${e.message}`);
      assert.match(e.message, /is append-only: (UPDATE|DELETE|TRUNCATE) refused/, what);
    }
    assert.deepEqual(await tables(), before, 'no refused statement changed a row');
    // A redelivered request writes nothing and changes nothing (ON CONFLICT DO NOTHING is not an update).
    assert.equal(await recordDeletion(users, id, 'profile', 'user-service', { profiles: 9 }), false);
    assert.deepEqual(await tables(), before);
  });

  test('the bucket is made as rendered: locked, compliance mode, the model\'s retention', async () => {
    assert.deepEqual(retentionCommands, [`retention set --default compliance 400d myminio/${AUDIT_BUCKET}`]);
    const info = JSON.parse(await runMc(minio, ['retention', 'info', '--default', `local/${AUDIT_BUCKET}`, '--json']));
    assert.equal(info.enabled, 'Enabled');
    assert.equal(info.mode, 'COMPLIANCE');
    assert.equal(info.validity, '400DAYS');
  });

  test('a run exports exactly the rows the tables hold, once; a run that died before its ledger entries does not duplicate', async () => {
    await gdprRows(6);
    await geoRows(11);
    const first = await exportAudit(retention, audit, { rowsPerObject: 4 });
    const held = await tables();
    assert.equal(first.rows, held.gdpr_deletion_audit.length + held.geo_audit_log.length);
    const out = await exported();
    assert.deepEqual(sortBy('requestId')(out.gdpr_deletion_audit), sortBy('requestId')(held.gdpr_deletion_audit));
    assert.deepEqual(sortBy('id')(out.geo_audit_log), sortBy('id')(held.geo_audit_log));
    const ledger = await admin.query<{ source: string; n: number; objects: number }>('SELECT source, count(*)::int AS n, count(DISTINCT object_key)::int AS objects FROM audit_exports GROUP BY source ORDER BY source');
    assert.deepEqual(ledger.rows.map((r) => [r.source, r.n]), [['gdpr_deletion_audit', held.gdpr_deletion_audit.length], ['geo_audit_log', held.geo_audit_log.length]]);
    assert.equal(first.objects, ledger.rows.reduce((n, r) => n + r.objects, 0));
    assert.equal((await audit.list(AUDIT_PREFIX)).length, first.objects);
    assert.match((await refusal(retention, 'DELETE FROM audit_exports')).message, /audit_exports is append-only: DELETE refused/, 'the ledger cannot be emptied to export again');

    // Nothing new: nothing written.
    const versions = (await audit.listVersions(AUDIT_PREFIX)).length;
    assert.deepEqual(await exportAudit(retention, audit, { rowsPerObject: 4 }), { rows: 0, objects: 0 });
    assert.equal((await audit.listVersions(AUDIT_PREFIX)).length, versions);

    // A run dies after its upload, before its ledger entries: the next stores nothing again and enters the rows.
    await geoRows(3);
    const dying = {
      query: (sql: string, values?: unknown[]) => (sql.startsWith('INSERT INTO audit_exports') ? Promise.reject(new Error('connection lost')) : retention.query(sql, values)),
    } as unknown as pg.Pool;
    await assert.rejects(exportAudit(dying, audit, { rowsPerObject: 4 }), /connection lost/);
    assert.equal((await audit.listVersions(AUDIT_PREFIX)).length, versions + 1, 'the dying run stored its object');
    assert.deepEqual(await exportAudit(retention, audit, { rowsPerObject: 4 }), { rows: 3, objects: 1 });
    assert.equal((await audit.listVersions(AUDIT_PREFIX)).length, versions + 1, 'the same object, not a second version');
    const again = await tables();
    assert.deepEqual(sortBy('id')((await exported()).geo_audit_log), sortBy('id')(again.geo_audit_log));
  });

  test('a data-retention run exports its own archive audit rows and records the count', async () => {
    const [id] = await gdprRows(1);
    const pending = (await admin.query<{ n: number }>("SELECT count(*)::int AS n FROM gdpr_deletion_requests r WHERE NOT EXISTS (SELECT 1 FROM gdpr_deletion_audit a WHERE a.request_id = r.request_id AND a.store = 'archive')")).rows[0].n;
    const archive = createObjectStore({ ...minio, bucket: 'gamemetrics-archive' });
    await archive.ensureBucket({ versioning: true });
    const run = await runRetention(retention, archive, { retentionDays: 395, batchRows: 1000, service: 'data-retention', auditStore: audit });
    archive.close();
    assert.equal(run.erasedRequests, pending);
    // The new request's `profile` row and the `archive` row this run wrote for each pending request.
    assert.equal(run.auditRows, pending + 1);
    const rows = (await exported()).gdpr_deletion_audit.filter((r) => r.requestId === id).map((r) => r.store).sort();
    assert.deepEqual(rows, ['archive', 'profile']);
    const recorded = await admin.query<{ audit_rows: number }>('SELECT audit_rows FROM retention_runs WHERE run_id = $1', [run.runId]);
    assert.equal(recorded.rows[0].audit_rows, pending + 1);
  });

  test('as data-retention\'s own MinIO user (the rendered Secret\'s access key and policy) the export works and a locked version stays', async () => {
    const secret = parse(readFileSync(join(REPO, 'rendered/dev/platform/secrets/data/externalsecret-data-retention-minio.yaml'), 'utf8'));
    const { 'access-key-id': accessKey, policy } = secret.spec.target.template.data as Record<string, string>;
    const secretKey = `${randomUUID()}-secret`;
    // What the user-sync sidecar does for the Secret (generators/data/minio-users.ts).
    await runMc(minio, ['admin', 'user', 'add', 'local'], `${accessKey}\n${secretKey}\n`);
    await runMc(minio, ['admin', 'policy', 'attach', 'local', policy, '--user', accessKey]);
    const own = createObjectStore({ ...minio, accessKey, secretKey, bucket: AUDIT_BUCKET });
    try {
      await geoRows(2, 'own-user.probe');
      assert.deepEqual(await exportAudit(retention, own), { rows: 2, objects: 1 });
      const [stored] = (await own.listVersions(AUDIT_PREFIX)).filter((v) => v.isLatest && !v.deleteMarker);
      await assert.rejects(own.deleteVersions([stored]), /Object is WORM protected/);
    } finally {
      own.close();
    }
  });

  test('a locked version cannot be destroyed, not even by root; a write to its key leaves it as it was', async () => {
    const [latest] = (await audit.listVersions(AUDIT_PREFIX)).filter((v) => v.isLatest && !v.deleteMarker);
    const body = await audit.getVersion(latest.key, latest.versionId);
    const retentionInfo = JSON.parse(await runMc(minio, ['retention', 'info', `local/${AUDIT_BUCKET}/${latest.key}`, '--json']));
    assert.equal(retentionInfo.mode, 'COMPLIANCE');
    const until = Date.parse(retentionInfo.until);
    assert.ok(until > Date.now() + 399 * 86400_000 && until < Date.now() + 401 * 86400_000, `locked until ${retentionInfo.until}`);

    await assert.rejects(audit.deleteVersions([latest]), /could not delete 1 of 1 object versions .*Object is WORM protected/);
    await assert.rejects(runMc(minio, ['rm', '--version-id', latest.versionId, '--bypass', `local/${AUDIT_BUCKET}/${latest.key}`]), /WORM|retention|locked|Access Denied/i);
    await assert.rejects(runMc(minio, ['retention', 'clear', '--version-id', latest.versionId, `local/${AUDIT_BUCKET}/${latest.key}`]), /WORM|retention|locked|Access Denied/i);

    await audit.put(latest.key, 'overwritten', 'text/plain');
    await audit.delete([latest.key]);
    assert.deepEqual(await audit.getVersion(latest.key, latest.versionId), body, 'the locked version still holds what was exported');
    const versions = (await audit.listVersions(latest.key)).filter((v) => v.key === latest.key);
    assert.equal(versions.length, 3, 'the write and the delete added a version and a marker beside it');
  });
});
