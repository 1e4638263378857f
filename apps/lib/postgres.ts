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

/** Readiness: the database answers a trivial query. */
export async function pingPostgres(pool: pg.Pool): Promise<boolean> {
  try {
    await pool.query('select 1');
    return true;
  } catch {
    return false;
  }
}
