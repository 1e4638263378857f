/**
 * The event store's tables, created by event-processor at boot (idempotent, under an advisory lock
 * so replicas do not race):
 * - `player_events`: one row per processed event; a TimescaleDB hypertable on `ts` when the
 *   extension can be enabled, a plain table with the same indexes otherwise.
 * - `processed_event_ids`: the de-duplication ledger (primary key on the event id). It is a
 *   separate plain table because a hypertable's unique keys must include the time column, and a
 *   re-sent event is a duplicate whatever its timestamp says.
 * analytics-api reads `player_events`; grant its role SELECT (see apps/README.md).
 */
import type pg from 'pg';

const ddl = `
CREATE TABLE IF NOT EXISTS player_events (
  event_id     uuid             NOT NULL,
  tenant       text             NOT NULL,
  player_id    text             NOT NULL,
  game_id      text             NOT NULL,
  type         text             NOT NULL,
  ts           timestamptz      NOT NULL,
  score        double precision,
  payload      jsonb            NOT NULL,
  received_at  timestamptz      NOT NULL,
  processed_at timestamptz      NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS processed_event_ids (
  event_id     uuid        PRIMARY KEY,
  processed_at timestamptz NOT NULL DEFAULT now()
);
-- The record that stored the event, <partition>/<offset> (see store.ts).
ALTER TABLE processed_event_ids ADD COLUMN IF NOT EXISTS source text;
CREATE INDEX IF NOT EXISTS player_events_game_ts ON player_events (game_id, ts DESC);
CREATE INDEX IF NOT EXISTS player_events_player_ts ON player_events (player_id, ts DESC);
`;

export interface SchemaResult {
  hypertable: boolean;
}

export async function ensureSchema(pool: pg.Pool, log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void }): Promise<SchemaResult> {
  const client = await pool.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(hashtext('gamemetrics.player_events.schema'))`);
    await client.query(ddl);
    let hypertable = false;
    const available = await client.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'`);
    if (available.rowCount) {
      try {
        await client.query('CREATE EXTENSION IF NOT EXISTS timescaledb');
        await client.query(`SELECT create_hypertable('player_events', 'ts', if_not_exists => TRUE, migrate_data => TRUE)`);
        hypertable = true;
      } catch (err) {
        log.warn({ err }, 'timescaledb is available but could not be enabled; player_events stays a plain table');
      }
    }
    log.info({ hypertable }, 'event store schema ready');
    return { hypertable };
  } finally {
    await client.query(`SELECT pg_advisory_unlock(hashtext('gamemetrics.player_events.schema'))`).catch(() => undefined);
    client.release();
  }
}
