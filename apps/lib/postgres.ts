/**
 * PostgreSQL pool from the PG* variables. PGSSLMODE follows libpq: `disable` is plaintext,
 * `require` encrypts without verifying, `verify-ca`/`verify-full` verify the server certificate.
 * With PGPASSWORD_FILE (a mounted Secret) the password is read on every new connection, so a
 * rotated password is used without a restart; open connections stay authenticated.
 */
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import type { PostgresConfig } from './config.ts';

export function postgresOptions(config: PostgresConfig): pg.PoolConfig {
  const mode = config.PGSSLMODE;
  const ssl = mode === 'disable' || mode === 'allow' || mode === 'prefer' ? false : { rejectUnauthorized: mode !== 'require' };
  return {
    host: config.PGHOST,
    port: config.PGPORT,
    database: config.PGDATABASE,
    user: config.PGUSER,
    password: config.PGPASSWORD_FILE ? passwordFile(config.PGPASSWORD_FILE) : config.PGPASSWORD,
    options: config.PGOPTIONS,
    ssl,
    max: config.PG_POOL_SIZE,
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: 30000,
  };
}

/** The password in `file` (a trailing newline dropped), read at each call. */
export function passwordFile(file: string): () => Promise<string> {
  return async () => {
    try {
      return (await readFile(file, 'utf8')).replace(/\r?\n$/, '');
    } catch (error) {
      throw new Error(`PGPASSWORD_FILE=${JSON.stringify(file)} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}): mount the credential Secret there`);
    }
  };
}

export function createPool(config: PostgresConfig): pg.Pool {
  const pool = new pg.Pool(postgresOptions(config));
  // A dropped idle connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * Ends the pool and resolves once every connection is closed. `pool.end()` alone resolves when
 * the clients have left the pool, while their connections may still be open: a server that shuts
 * down in that moment sends "terminating connection" to a client nobody listens to any more.
 */
export async function closePool(pool: pg.Pool): Promise<void> {
  let open = pool.totalCount;
  const closed = new Promise<void>((resolve) => {
    if (open === 0) return resolve();
    pool.on('remove', () => {
      if (--open === 0) resolve();
    });
  });
  await pool.end();
  await closed;
}

/** Readiness: the database answers a trivial query. */
export async function pingPostgres(pool: pg.Pool): Promise<boolean> {
  try {
    await pool.query('select 1');
    return true;
  } catch {
    return false;
  }
}

/** Run `fn` in one transaction on a pooled client: COMMIT when it resolves, ROLLBACK when it throws. */
export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
