-- The Geo-Sentiment Climate tenant's tables move out of the shared gamemetrics schema into the tenant's
-- own schema (model: datastores.timescaledb.cluster.tenantSchemas, default geo_climate), where only the
-- tenant's services are granted access. Indexes, constraints and owned sequences move with their tables;
-- the geo_ prefix stays so the service's queries are unchanged. The migration runner creates the schema
-- from the model before any migration runs; creating it here too keeps this file self-contained.
CREATE SCHEMA IF NOT EXISTS geo_climate;
ALTER TABLE geo_permissions SET SCHEMA geo_climate;
ALTER TABLE geo_roles SET SCHEMA geo_climate;
ALTER TABLE geo_role_permissions SET SCHEMA geo_climate;
ALTER TABLE geo_users SET SCHEMA geo_climate;
ALTER TABLE geo_user_roles SET SCHEMA geo_climate;
ALTER TABLE geo_api_keys SET SCHEMA geo_climate;
ALTER TABLE geo_refresh_tokens SET SCHEMA geo_climate;
ALTER TABLE geo_audit_log SET SCHEMA geo_climate;
