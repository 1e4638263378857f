-- The event store: processed player events and the de-duplication ledger of event-processor.
-- Runs as the migrator role (the database owner) inside the migration Job's transaction; the schema
-- itself is created by the runner before the first migration.

CREATE TABLE player_events (
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

-- A plain table: a hypertable's unique keys must include the time column, and a re-sent event is a
-- duplicate whatever its timestamp says.
CREATE TABLE processed_event_ids (
  event_id     uuid        PRIMARY KEY,
  processed_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX player_events_game_ts ON player_events (game_id, ts DESC);
CREATE INDEX player_events_player_ts ON player_events (player_id, ts DESC);

-- TimescaleDB only where the extension is installed (the Cluster creates it at bootstrap); on plain
-- PostgreSQL player_events stays an ordinary table with the same columns and indexes.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    PERFORM create_hypertable('player_events', 'ts', migrate_data => TRUE);
  END IF;
END
$$;
