-- Control GDP-05: the audit tables are append-only. A row of gdpr_deletion_audit (the per-store record
-- of a GDPR erasure) or geo_climate.geo_audit_log (prediction-api's account and model-promotion audit)
-- is written once and never changed or removed: UPDATE, DELETE and TRUNCATE are refused by triggers,
-- for every role including the owner and superusers (only disabling the trigger, an ALTER TABLE by the
-- owner, gets past them; the rendered grants give no service that right). The writers only insert
-- (ON CONFLICT DO NOTHING where a redelivery may repeat a row). data-retention copies the rows to the
-- object-locked bucket (docs/datastores.md, "Audit archive"); audit_exports records which row went into
-- which object, and is append-only too.

CREATE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%.% is append-only: % refused', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'audit rows are never changed or removed (control GDP-05, migration 0020); record a correction as a new row';
END
$$;

CREATE TRIGGER gdpr_deletion_audit_append_only BEFORE UPDATE OR DELETE ON gdpr_deletion_audit
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER gdpr_deletion_audit_no_truncate BEFORE TRUNCATE ON gdpr_deletion_audit
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();

CREATE TRIGGER geo_audit_log_append_only BEFORE UPDATE OR DELETE ON geo_climate.geo_audit_log
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER geo_audit_log_no_truncate BEFORE TRUNCATE ON geo_climate.geo_audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();

-- Which audit row is in which object of the audit bucket: `source` is the table, `row_key` the row's
-- primary key as text (`<request_id>/<store>`, or the id). A row without an entry is exported by the
-- next run; an entry is written only after its object is stored.
CREATE TABLE audit_exports (
  source      text        NOT NULL,
  row_key     text        NOT NULL,
  object_key  text        NOT NULL,
  exported_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, row_key)
);
CREATE TRIGGER audit_exports_append_only BEFORE UPDATE OR DELETE ON audit_exports
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER audit_exports_no_truncate BEFORE TRUNCATE ON audit_exports
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();

-- geo_climate is the Geo-Sentiment Climate tenant's schema, granted to its services only. data-retention
-- (tenant gamemetrics) reads its audit log through this one function, which returns exactly the rows not
-- exported yet, oldest first, and nothing else of the schema. Its search path is empty of user schemas (a
-- SECURITY DEFINER function must not resolve names through the caller's), so both schemas are written in,
-- as 0011 writes geo_climate.
CREATE FUNCTION geo_audit_rows_to_export(max_rows integer)
  RETURNS TABLE (id bigint, at timestamptz, line text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT g.id, g.at, json_build_object('id', g.id, 'at', g.at, 'actor', g.actor, 'action', g.action, 'target', g.target, 'detail', g.detail)::text
    FROM geo_climate.geo_audit_log g
   WHERE NOT EXISTS (SELECT 1 FROM gamemetrics.audit_exports e WHERE e.source = 'geo_audit_log' AND e.row_key = g.id::text)
   ORDER BY g.id
   LIMIT max_rows
$$;
REVOKE ALL ON FUNCTION geo_audit_rows_to_export(integer) FROM PUBLIC;
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'data_retention') THEN
    GRANT EXECUTE ON FUNCTION geo_audit_rows_to_export(integer) TO data_retention;
  END IF;
END
$$;

-- data-retention's run log counts the exported rows too.
ALTER TABLE retention_runs ADD COLUMN audit_rows integer NOT NULL DEFAULT 0;
