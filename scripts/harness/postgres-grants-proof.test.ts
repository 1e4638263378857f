// Proof on a real PostgreSQL 15 that the dev environment's RENDERED TimescaleDB objects give every
// service exactly the database access the model declares: the Cluster's owner and managed roles are
// created as CloudNativePG would, the migration Job's psql command applies the migrations and grants
// from its ConfigMap (twice: the second run changes nothing), and every service then connects with
// its rendered PGUSER and PGOPTIONS and tries to read and write on every tenant's schema: each service
// may act on its own tenant's schema only. A changed `access` in a copy of the model, rendered and
// applied by the Job again, moves the matrix with it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { parse } from 'yaml';
import type { LoadedModel } from '../../model/loaded.ts';
import { platform } from '../../model/platform.ts';
import type { PlatformSpec } from '../../model/spec.ts';
import { renderAll } from '../../render/render.ts';
import { startPostgres, type PostgresServer } from './postgres.ts';
import { provisionDatabase, renderedDatabase, runMigrationJob, type RenderedDatabase } from './postgres-schema.ts';

const STORE = 'timescaledb';
const OPERATIONS = ['select', 'insert', 'update', 'delete'] as const;
type Operation = (typeof OPERATIONS)[number];
/** `connect`, then each operation on each tenant schema: `<schema>.<operation>`. */
type Outcome = Record<string, boolean>;
interface Row { service: string; role: string; outcome: Outcome }

/** One table per tenant schema and the statements that probe it, schema-qualified (the search path plays no part). */
const PROBES: Record<string, Record<Operation, string>> = {
  gamemetrics: {
    select: 'SELECT count(*) FROM gamemetrics.player_events',
    insert: "INSERT INTO gamemetrics.player_events (event_id, tenant, player_id, game_id, type, ts, payload, received_at) VALUES ('00000000-0000-4000-8000-000000000001', 't', 'p', 'g', 'score', now(), '{}', now())",
    update: "UPDATE gamemetrics.player_events SET score = 1 WHERE event_id = '00000000-0000-4000-8000-000000000001'",
    delete: "DELETE FROM gamemetrics.player_events WHERE event_id = '00000000-0000-4000-8000-000000000001'",
  },
  // Not geo_audit_log: it is append-only for every role (migration 0020), which is not a grant.
  geo_climate: {
    select: 'SELECT count(*) FROM geo_climate.geo_permissions',
    insert: "INSERT INTO geo_climate.geo_permissions (name, description) VALUES ('grants:probe', 'probe')",
    update: "UPDATE geo_climate.geo_permissions SET description = 'probed' WHERE name = 'grants:probe'",
    delete: "DELETE FROM geo_climate.geo_permissions WHERE name = 'grants:probe'",
  },
};

let server: PostgresServer;
let passwords: Map<string, string>;
const dev = renderAll(['dev']).environments[0];
const db: RenderedDatabase = renderedDatabase(dev.files, STORE);

function storeOf(model: LoadedModel) {
  return model.datastores.find((d) => d.name === STORE)!;
}

/** The tenant schemas of the datastore, each with its probe (a schema the test cannot probe fails it). */
function schemas(model: LoadedModel): string[] {
  const names = storeOf(model).cluster!.schemas.map((s) => s.schema);
  const unprobed = names.filter((n) => !PROBES[n]);
  if (unprobed.length > 0) throw new Error(`no probe for tenant schema(s) ${unprobed.join(', ')}: add a table and its statements to PROBES`);
  return names;
}

const columns = (model: LoadedModel) => ['connect', ...schemas(model).flatMap((s) => OPERATIONS.map((o) => `${s}.${o}`))];

/** PGUSER and PGOPTIONS of a service's rendered ConfigMap; services without a database get their would-be role. */
function connection(files: ReadonlyMap<string, string>, model: LoadedModel, service: string): { role: string; options?: string } {
  const s = model.services.find((x) => x.name === service)!;
  const path = [...files.keys()].find((p) => p.endsWith(`/${s.namespace}/configmap-${service}-config.yaml`))!;
  const data = parse(files.get(path)!).data as Record<string, string>;
  return { role: data.PGUSER ?? service.replace(/-/g, '_'), options: data.PGOPTIONS };
}

async function attempt(client: pg.Client, sql: string): Promise<boolean> {
  try {
    await client.query('SAVEPOINT probe');
    await client.query(sql);
    await client.query('RELEASE SAVEPOINT probe');
    return true;
  } catch (e) {
    await client.query('ROLLBACK TO SAVEPOINT probe');
    if ((e as { code?: string }).code !== '42501') throw e; // only "insufficient privilege" is a refusal
    return false;
  }
}

async function matrix(files: ReadonlyMap<string, string>, model: LoadedModel): Promise<Row[]> {
  const rows: Row[] = [];
  for (const service of model.services.map((s) => s.name)) {
    const { role, options } = connection(files, model, service);
    const outcome: Outcome = Object.fromEntries(columns(model).map((c) => [c, false]));
    const client = new pg.Client({ host: server.host, port: server.port, database: db.database, user: role, password: passwords.get(role) ?? 'no-such-password', options });
    try {
      await client.connect();
      outcome.connect = true;
    } catch {
      rows.push({ service, role, outcome });
      continue;
    }
    try {
      await client.query('BEGIN');
      for (const schema of schemas(model)) {
        for (const o of OPERATIONS) outcome[`${schema}.${o}`] = await attempt(client, PROBES[schema][o]);
      }
      await client.query('ROLLBACK');
    } finally {
      await client.end();
    }
    rows.push({ service, role, outcome });
  }
  return rows;
}

/** What the model says each service may do: its access, on its tenant's schema only. */
function expected(model: LoadedModel): Map<string, Outcome> {
  const clients = storeOf(model).clients;
  return new Map(model.services.map((s) => {
    const client = clients.find((c) => c.service === s.name);
    const want: Outcome = { connect: !!client };
    for (const schema of schemas(model)) {
      const mine = client?.schema === schema;
      want[`${schema}.select`] = mine;
      for (const o of ['insert', 'update', 'delete']) want[`${schema}.${o}`] = mine && client!.access === 'read-write';
    }
    return [s.name, want];
  }));
}

function format(rows: Row[], model: LoadedModel): string {
  const clients = storeOf(model).clients;
  const cols = columns(model);
  const head = ['service', 'role', 'declares', ...cols];
  const body = rows.map((r) => {
    const c = clients.find((x) => x.service === r.service);
    return [r.service, r.role, c ? `${c.access} (${c.schema})` : '-', ...cols.map((o) => (r.outcome[o] ? 'yes' : 'REFUSED'))];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  return [head, ...body].map((cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ')).join('\n');
}

function mismatches(rows: Row[], model: LoadedModel): string[] {
  const want = expected(model);
  return rows.flatMap((r) => columns(model).filter((o) => r.outcome[o] !== want.get(r.service)![o]).map((o) => `${r.service} ${o}: ${r.outcome[o] ? 'allowed' : 'refused'}, the model says ${want.get(r.service)![o] ? 'allowed' : 'refused'}`));
}

describe(`dev ${STORE} access as rendered, on a real PostgreSQL 15`, () => {
  before(async () => {
    server = await startPostgres();
    passwords = await provisionDatabase(server, db);
  });
  after(async () => {
    await server?.stop();
  });

  it('the migration Job applies every migration once; a second run changes nothing', async () => {
    await runMigrationJob(server, db, passwords.get(db.owner)!);
    const su = new pg.Client({ connectionString: server.superuser.connectionString.replace(/\/[^/]*$/, `/${db.database}`) });
    await su.connect();
    try {
      const snapshot = async () => ({
        ledger: (await su.query(`SELECT version, file, checksum FROM ${db.schema}.schema_migrations ORDER BY version`)).rows,
        tables: (await su.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, [db.schema])).rows.map((r) => r.table_name),
      });
      const first = await snapshot();
      assert.deepEqual(first.ledger.map((r) => r.file), Object.keys(db.files).filter((f) => /^\d{4}_/.test(f)));
      assert.deepEqual(first.tables, ['audit_exports', 'gdpr_deletion_audit', 'gdpr_deletion_requests', 'player_events', 'players', 'processed_event_ids', 'retention_runs', 'schema_migrations']);
      // The Geo-Sentiment tenant's tables live in its own schema (migration 0011), none left in the shared one.
      const geo = (await su.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'geo_climate' ORDER BY 1`)).rows.map((r) => r.table_name);
      assert.deepEqual(geo, ['geo_api_keys', 'geo_audit_log', 'geo_password_resets', 'geo_permissions', 'geo_refresh_tokens', 'geo_role_permissions', 'geo_roles', 'geo_user_roles', 'geo_users']);
      await runMigrationJob(server, db, passwords.get(db.owner)!);
      assert.deepEqual(await snapshot(), first, 'the second run applied nothing');
    } finally {
      await su.end();
    }
  });

  it('a migration edited after it was applied stops the Job with a clear message', async () => {
    const edited: RenderedDatabase = { ...db, files: { ...db.files } };
    const first = Object.keys(edited.files).find((f) => /^\d{4}_/.test(f))!;
    edited.files[first] += '\n-- edited\n';
    const runner = edited.files['migrate.sql'];
    // The runner's checksum is computed from the file at render time; the ledger holds the applied one.
    edited.files['migrate.sql'] = runner.replace(/checksum <> '[0-9a-f]{64}'/, "checksum <> 'edited'");
    await assert.rejects(runMigrationJob(server, edited, passwords.get(db.owner)!), /changed after it was applied: add a new migration/);
  });

  it('event-processor writes, analytics-api reads and is refused on INSERT, services without the datastore cannot connect', async () => {
    const rows = await matrix(dev.files, dev.model);
    console.log(`\ndev ${STORE} grants (rendered Cluster roles + migration Job on PostgreSQL ${server.host}:${server.port}):\n${format(rows, dev.model)}\n`);
    assert.deepEqual(mismatches(rows, dev.model), []);
    const row = (s: string) => rows.find((r) => r.service === s)!.outcome;
    assert.equal(row('event-processor')['gamemetrics.insert'], true);
    assert.deepEqual([row('analytics-api')['gamemetrics.select'], row('analytics-api')['gamemetrics.insert']], [true, false]);
    assert.equal(row('event-ingestion').connect, false);
  });

  it('each tenant is confined to its schema: GameMetrics services are refused on geo_climate, prediction-api on gamemetrics', async () => {
    const rows = await matrix(dev.files, dev.model);
    const row = (s: string) => rows.find((r) => r.service === s)!.outcome;
    for (const service of ['event-processor', 'analytics-api', 'data-retention', 'user-service', 'recommendation-engine']) {
      assert.equal(row(service).connect, true, `${service} connects`);
      assert.deepEqual(OPERATIONS.map((o) => row(service)[`geo_climate.${o}`]), [false, false, false, false], `${service} on geo_climate`);
    }
    assert.deepEqual(OPERATIONS.map((o) => row('prediction-api')[`geo_climate.${o}`]), [true, true, true, true], 'prediction-api on its own schema');
    assert.deepEqual(OPERATIONS.map((o) => row('prediction-api')[`gamemetrics.${o}`]), [false, false, false, false], 'prediction-api on gamemetrics');
    // Its rendered search path names its own schema, so its unqualified queries find its tables and only them.
    assert.equal(connection(dev.files, dev.model, 'prediction-api').options, '-c search_path=geo_climate');
    assert.equal(connection(dev.files, dev.model, 'event-processor').options, '-c search_path=gamemetrics');
  });

  it('a role that exists but declares nothing is refused CONNECT (the grants revoke it from PUBLIC)', async () => {
    const su = new pg.Client({ connectionString: server.superuser.connectionString.replace(/\/[^/]*$/, '/postgres') });
    await su.connect();
    await su.query(`CREATE ROLE event_ingestion LOGIN PASSWORD 'intruder-password'`);
    await su.end();
    const intruder = new pg.Client({ host: server.host, port: server.port, database: db.database, user: 'event_ingestion', password: 'intruder-password' });
    await assert.rejects(intruder.connect(), /permission denied for database/);
  });

  it('follows a changed access in a copy of the model', async () => {
    // analytics-api becomes read-write, data-retention read-only.
    const copy = structuredClone(platform) as PlatformSpec;
    const services = copy.tenants.gamemetrics.services as Record<string, { datastores?: Array<{ name: string; access?: 'read' | 'read-write' }> }>;
    services['analytics-api'].datastores = services['analytics-api'].datastores!.map((d) => (d.name === STORE ? { ...d, access: 'read-write' } : d));
    services['data-retention'].datastores = services['data-retention'].datastores!.map((d) => (d.name === STORE ? { ...d, access: 'read' } : d));
    const changed = renderAll(['dev'], { platform: copy }).environments[0];
    const changedDb = renderedDatabase(changed.files, STORE);
    assert.notEqual(changedDb.files['grants.sql'], db.files['grants.sql']);
    await runMigrationJob(server, changedDb, passwords.get(db.owner)!);
    const rows = await matrix(changed.files, changed.model);
    console.log(`\ndev ${STORE} grants after the change (analytics-api: read → read-write; data-retention: read-write → read):\n${format(rows, changed.model)}\n`);
    assert.deepEqual(mismatches(rows, changed.model), []);
    assert.equal(rows.find((r) => r.service === 'analytics-api')!.outcome['gamemetrics.insert'], true);
    assert.equal(rows.find((r) => r.service === 'data-retention')!.outcome['gamemetrics.delete'], false);
  });
});
