// A real PostgreSQL 15 server through the harness, exercised with `pg`.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { isRoot, runTool } from './process.ts';
import { startPostgres, type PostgresServer } from './postgres.ts';

let db: PostgresServer;

/** Runs `fn` with a connected client for `connectionString`, then closes it. */
async function withClient<T>(config: pg.ClientConfig, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionTimeoutMillis: 5_000, ...config });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function connectError(config: pg.ClientConfig): Promise<{ code?: string }> {
  return await withClient(config, async () => assert.fail('the connection was accepted')).then(
    () => ({}),
    (error: { code?: string }) => error,
  );
}

describe('PostgreSQL 15 harness', () => {
  before(async () => {
    db = await startPostgres();
  });
  after(async () => {
    await db?.stop();
  });

  it('serves the application database on 127.0.0.1 with the returned credentials', async () => {
    assert.equal(db.host, '127.0.0.1');
    assert.equal(db.connectionString, `postgres://${db.user}:${db.password}@127.0.0.1:${db.port}/${db.database}`);
    const row = await withClient({ connectionString: db.connectionString }, async (client) => {
      await client.query('CREATE TABLE events (id int PRIMARY KEY, name text)');
      await client.query("INSERT INTO events VALUES (1, 'login'), (2, 'match')");
      const result = await client.query('SELECT current_user AS who, current_database() AS db, count(*)::int AS n, version() AS v FROM events');
      return result.rows[0];
    });
    assert.equal(row.who, 'gamemetrics');
    assert.equal(row.db, 'gamemetrics_test');
    assert.equal(row.n, 2);
    assert.match(row.v, /^PostgreSQL 15\./);
  });

  it('refuses a wrong password (28P01) and an unknown database (3D000)', async () => {
    assert.equal((await connectError({ connectionString: db.connectionString.replace(db.password, 'wrong') })).code, '28P01');
    assert.equal((await connectError({ connectionString: db.connectionString.replace(/\/gamemetrics_test$/, '/nope') })).code, '3D000');
  });

  it('requires scram-sha-256 everywhere and runs with fsync off', async () => {
    const settings = await withClient({ connectionString: db.superuser.connectionString }, async (client) => {
      const hba = await client.query('SELECT DISTINCT auth_method FROM pg_hba_file_rules');
      const show = async (name: string) => (await client.query(`SHOW ${name}`)).rows[0][name];
      return {
        auth: hba.rows.map((r) => r.auth_method),
        fsync: await show('fsync'),
        listen: await show('listen_addresses'),
        encryption: await show('password_encryption'),
        dataDir: await show('data_directory'),
      };
    });
    assert.deepEqual(settings.auth, ['scram-sha-256']);
    assert.equal(settings.fsync, 'off');
    assert.equal(settings.listen, '127.0.0.1');
    assert.equal(settings.encryption, 'scram-sha-256');
    // as root, the server runs as the postgres system user and owns its data dir
    const owner = statSync(settings.dataDir).uid;
    const expected = isRoot() ? Number((await runTool('id', 'id', ['-u', 'postgres'])).stdout.trim()) : process.getuid?.();
    assert.equal(owner, expected);
  });

  it('accepts the same credentials on the unix socket in its temp dir', async () => {
    const who = await withClient(
      { host: db.socketDir, port: db.port, user: db.user, password: db.password, database: db.database },
      async (client) => (await client.query('SELECT current_user AS who')).rows[0].who,
    );
    assert.equal(who, db.user);
  });

  it('reports TimescaleDB availability as the server sees it', async () => {
    const available = await withClient({ connectionString: db.superuser.connectionString }, async (client) =>
      (await client.query("SELECT count(*)::int AS n FROM pg_available_extensions WHERE name = 'timescaledb'")).rows[0].n,
    );
    assert.equal(db.hasTimescale, available === 1);
    const created = await withClient({ connectionString: db.superuser.connectionString }, (client) =>
      client.query('CREATE EXTENSION IF NOT EXISTS timescaledb').then(
        () => 'created',
        (error: { code?: string }) => error.code,
      ),
    );
    // without the extension installed the server answers "extension is not available" (0A000)
    assert.equal(created, db.hasTimescale ? 'created' : '0A000');
  });

  it('keeps its data across stopServer() + restart() on the same port, refusing connections while down', async () => {
    const port = db.port;
    await db.stopServer();
    assert.equal((await connectError({ connectionString: db.connectionString })).code, 'ECONNREFUSED');
    await db.restart();
    assert.equal(db.port, port);
    const n = await withClient({ connectionString: db.connectionString }, async (client) =>
      (await client.query('SELECT count(*)::int AS n FROM events')).rows[0].n,
    );
    assert.equal(n, 2);
  });
});
