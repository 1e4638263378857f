/**
 * PostgreSQL pool from the PG* variables. PGSSLMODE follows libpq: `disable` is plaintext,
 * `require` encrypts without verifying, `verify-ca`/`verify-full` verify the server certificate.
 */
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
    password: config.PGPASSWORD,
    options: config.PGOPTIONS,
    ssl,
    max: config.PG_POOL_SIZE,
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: 30000,
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
