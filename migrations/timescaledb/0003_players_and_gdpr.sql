-- Player profiles and consent (user-service), GDPR deletion requests and the per-store audit of their
-- completion, and data-retention's run log. Every service that deletes a player's data writes its
-- audit row in the same transaction as the deletion (apps/user-service/README.md, "GDPR deletion").

CREATE TABLE players (
  player_id         text        PRIMARY KEY,
  display_name      text        NOT NULL,
  email             text        NOT NULL,
  country           text,
  consent_analytics boolean     NOT NULL,
  consent_marketing boolean     NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);

-- One row per DELETE /v1/players/:id. `published_at` is the outbox mark: the request is written in
-- the transaction that deletes the profile, then published to gdpr.deletion.requests (retried
-- until Kafka acknowledges).
CREATE TABLE gdpr_deletion_requests (
  request_id   uuid        PRIMARY KEY,
  player_id    text        NOT NULL,
  requested_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
CREATE INDEX gdpr_deletion_requests_newest ON gdpr_deletion_requests (requested_at DESC, request_id DESC);
CREATE INDEX gdpr_deletion_requests_player ON gdpr_deletion_requests (player_id);
CREATE INDEX gdpr_deletion_requests_unpublished ON gdpr_deletion_requests (requested_at) WHERE published_at IS NULL;

-- The audit: which store deleted what for which request, and when. One row per (request, store).
CREATE TABLE gdpr_deletion_audit (
  request_id   uuid        NOT NULL REFERENCES gdpr_deletion_requests (request_id),
  store        text        NOT NULL,
  service      text        NOT NULL,
  deleted      jsonb       NOT NULL,
  completed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (request_id, store)
);

-- data-retention: one row per run (the audit line's figures).
CREATE TABLE retention_runs (
  run_id        uuid        PRIMARY KEY,
  started_at    timestamptz NOT NULL,
  finished_at   timestamptz NOT NULL,
  cutoff        timestamptz NOT NULL,
  archived_rows bigint      NOT NULL,
  deleted_rows  bigint      NOT NULL,
  objects       integer     NOT NULL,
  erased_requests integer   NOT NULL
);

-- data-retention selects expired rows by time; a hypertable has this index already (create_hypertable).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    CREATE INDEX player_events_ts ON player_events (ts, event_id);
  END IF;
END
$$;
