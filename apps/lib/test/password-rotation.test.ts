/**
 * Password rotation without a restart, on a real PostgreSQL 15 (scripts/harness, scram-sha-256):
 * the pool built from PGPASSWORD_FILE keeps serving while the role's password and the mounted file
 * change under it, the way a rotated credential Secret reaches a running pod (docs/secrets.md).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { startPostgres, type PostgresServer } from '../../../scripts/harness/postgres.ts';
import type { PostgresConfig } from '../config.ts';
import { closePool, createPool } from '../postgres.ts';

const ROLE = 'rotating_service';
let server: PostgresServer;
let dir: string;
let admin: pg.Client;

const config = (file: string): PostgresConfig => ({
  PGHOST: server.host,
  PGPORT: server.port,
  PGDATABASE: 'postgres',
  PGUSER: ROLE,
  // What the pod started with: stale after the first rotation, and never used while PGPASSWORD_FILE is set.
  PGPASSWORD: 'password-at-pod-start',
  PGPASSWORD_FILE: file,
  PGSSLMODE: 'disable',
  PG_POOL_SIZE: 4,
});

/** What the rotation does: the database takes the new password (CloudNativePG's managed role), then the mounted file follows. */
async function rotate(file: string, password: string): Promise<void> {
  await admin.query(`ALTER ROLE ${ROLE} PASSWORD '${password}'`);
  await writeFile(file, `${password}\n`);
}

describe('PGPASSWORD_FILE: a rotated password is used without a restart', () => {
  before(async () => {
    server = await startPostgres();
    dir = await mkdtemp(join(tmpdir(), 'pg-rotation-'));
    admin = new pg.Client({ connectionString: server.superuser.connectionString.replace(/\/[^/]*$/, '/postgres') });
    await admin.connect();
    await admin.query(`CREATE ROLE ${ROLE} LOGIN PASSWORD 'first-password'`);
  });
  after(async () => {
    await admin?.end();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('open connections keep working, new ones authenticate with the new password, no login is refused', async () => {
    const file = join(dir, 'password');
    await writeFile(file, 'first-password\n');
    const pool = createPool({ ...config(file) });
    const failures: string[] = [];
    const seen = new Set<number>();
    let queries = 0;
    let running = true;
    // A steady load of four clients; each query may land on an old or a new connection.
    const load = Promise.all(Array.from({ length: 4 }, async () => {
      while (running) {
        try {
          const { rows } = await pool.query<{ pid: number }>('select pg_backend_pid() as pid');
          seen.add(rows[0].pid);
          queries++;
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
    }));
    const pidsBefore = async () => new Set((await admin.query<{ pid: number }>(`select pid from pg_stat_activity where usename = $1`, [ROLE])).rows.map((r) => r.pid));
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const firstGeneration = await pidsBefore();
      assert.ok(firstGeneration.size > 0, 'the pool holds connections of the first password');

      await rotate(file, 'second-password');
      await new Promise((resolve) => setTimeout(resolve, 200));
      // Connections opened before the rotation are still in use: PostgreSQL checks a password only at login.
      assert.ok([...firstGeneration].some((pid) => seen.has(pid)));

      // Force new logins: close every connection of the role; the pool reconnects with what the file holds now.
      await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where usename = $1`, [ROLE]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const secondGeneration = await pidsBefore();
      assert.ok(secondGeneration.size > 0, 'the pool reconnected');
      assert.ok([...secondGeneration].every((pid) => !firstGeneration.has(pid)), 'new connections, new passwords');

      await rotate(file, 'third-password');
      await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where usename = $1`, [ROLE]);
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      running = false;
      await load;
    }
    const direct = new pg.Client({ host: server.host, port: server.port, database: 'postgres', user: ROLE, password: 'third-password' });
    await direct.connect();
    await direct.end();
    // Terminated connections fail the query that was on them; authentication never does.
    assert.deepEqual(failures.filter((m) => /password authentication failed/.test(m)), [], 'no login was refused');
    assert.ok(queries > 50, `the pool kept serving (${queries} queries)`);
    assert.equal((await pool.query('select current_user as u')).rows[0].u, ROLE);
    await closePool(pool);
  });

  test('without the file the pool fails with the file named, and the static password is not used', async () => {
    const pool = createPool(config(join(dir, 'missing')));
    await assert.rejects(pool.query('select 1'), /PGPASSWORD_FILE=".*missing" cannot be read \(ENOENT\): mount the credential Secret there/);
    await closePool(pool);
  });

  test('a stale file is refused by the database: the file, not the start-up value, is what authenticates', async () => {
    const file = join(dir, 'stale');
    await writeFile(file, 'first-password\n');
    const pool = createPool(config(file));
    await assert.rejects(pool.query('select 1'), /password authentication failed/);
    await closePool(pool);
  });
});
