-- Exactly-once output (apps/README.md): the ledger records which input record stored each event, as
-- <partition>/<offset>, so that a redelivered record publishes its own events and a retry in another
-- record publishes nothing.
ALTER TABLE processed_event_ids ADD COLUMN source text;
