/**
 * The event store's schema is not created here: the migration Job (migrations/timescaledb/, an Argo CD
 * PreSync hook) creates it and records each applied migration in `schema_migrations`. At boot the
 * processor only checks that the migrations it needs have run, and refuses to start otherwise.
 * The role's search_path (PGOPTIONS in the rendered ConfigMap) points unqualified names at the schema.
 */
import type pg from 'pg';

/** The highest migration this code needs (migrations/timescaledb/0002_processed_event_source.sql). */
export const REQUIRED_SCHEMA_VERSION = 2;

/** The schema is missing or older than this code: not a transient error, retrying will not help. */
export class SchemaNotReadyError extends Error {}

/** Resolves with the applied version; throws SchemaNotReadyError when the migrations have not run. */
export async function verifySchema(pool: pg.Pool, required = REQUIRED_SCHEMA_VERSION): Promise<number> {
  let applied: number;
  try {
    const { rows } = await pool.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
    applied = rows[0]?.version ?? 0;
  } catch (e) {
    if ((e as { code?: string }).code !== '42P01') throw e; // only "undefined table" means "not migrated"
    applied = 0;
  }
  if (applied < required) {
    throw new SchemaNotReadyError(
      `the event store schema is at version ${applied}, this event-processor needs ${required}: the migration Job (timescaledb-migrations, an Argo CD PreSync hook) has not run against this database, or PGOPTIONS does not put its schema on the search path`,
    );
  }
  return applied;
}
