// The SQL the migration Job runs, as pure functions of a PostgreSQL datastore: the runner that creates
// every tenant's schema and applies each versioned migration once (a ledger table in the owner's schema,
// under an advisory lock), and the grants that each client service's `access` implies on its tenant's schema.
import { createHash } from 'node:crypto';
import type { LoadedDatastore, MigrationFile } from '../../model/loaded.ts';

/** The ledger table, in the datastore's schema: one row per applied migration. */
export const LEDGER_TABLE = 'schema_migrations';
/** Privileges per access level, on every table of the schema. */
export const TABLE_PRIVILEGES = { read: ['SELECT'], 'read-write': ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] } as const;

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

export function checksum(file: MigrationFile): string {
  return createHash('sha256').update(file.sql).digest('hex');
}

type Cluster = NonNullable<LoadedDatastore['cluster']>;

/**
 * psql script (run with ON_ERROR_STOP and --single-transaction, from the folder holding the migration
 * files): the schema and ledger, then each migration not yet in the ledger, then its ledger row. A
 * migration edited after it was applied stops the run.
 */
export function migrationRunner(store: LoadedDatastore): string {
  const cluster = store.cluster as Cluster;
  const schema = ident(cluster.schema);
  const ledger = `${schema}.${LEDGER_TABLE}`;
  const lines = [
    `-- Applies the migrations of ${cluster.migrations} to ${store.name} once each. Generated from the model.`,
    `SELECT pg_advisory_xact_lock(hashtext(${literal(`${store.name}.migrations`)}));`,
    ...cluster.schemas.map((s) => `CREATE SCHEMA IF NOT EXISTS ${ident(s.schema)};`),
    `CREATE TABLE IF NOT EXISTS ${ledger} (version integer PRIMARY KEY, file text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());`,
    `SET LOCAL search_path = ${schema};`,
  ];
  for (const file of cluster.migrationFiles) {
    const sum = checksum(file);
    lines.push(
      '',
      `-- ${file.file}`,
      `DO $$ BEGIN IF EXISTS (SELECT 1 FROM ${ledger} WHERE version = ${file.version} AND checksum <> ${literal(sum)}) THEN RAISE EXCEPTION ${literal(`${cluster.migrations}/${file.file} changed after it was applied: add a new migration instead of editing an applied one`)}; END IF; END $$;`,
      `SELECT NOT EXISTS (SELECT 1 FROM ${ledger} WHERE version = ${file.version}) AS pending \\gset`,
      '\\if :pending',
      `\\ir ${file.file}`,
      `INSERT INTO ${ledger} (version, file, checksum) VALUES (${file.version}, ${literal(file.file)}, ${literal(sum)});`,
      '\\endif',
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The grants each client's `access` implies, on its tenant's schema only: CONNECT on the database and
 * USAGE on that schema, the access level's privileges on every table of it (now and, through default
 * privileges, later ones the migrator creates). Everything is revoked first, on every tenant schema, so
 * a narrowed `access` or a service that moves tenant takes effect.
 */
export function grantsSql(store: LoadedDatastore): string {
  const cluster = store.cluster as Cluster;
  const database = ident(store.database ?? store.name);
  const schemas = cluster.schemas.map((s) => ident(s.schema));
  const lines = [
    `-- Grants on ${store.name} from the services' access in the model, each on its tenant's schema. Generated; run by the migrator after the migrations.`,
    `REVOKE ALL ON DATABASE ${database} FROM PUBLIC;`,
    ...schemas.map((schema) => `REVOKE ALL ON SCHEMA ${schema} FROM PUBLIC;`),
  ];
  for (const client of store.clients) {
    const role = ident(client.role);
    const schema = ident(client.schema!);
    const privileges = TABLE_PRIVILEGES[client.access].join(', ');
    lines.push('', `-- ${client.service} (${client.tenant}): ${client.access} on ${client.schema}`);
    for (const any of schemas) {
      lines.push(
        `REVOKE ALL ON ALL TABLES IN SCHEMA ${any} FROM ${role};`,
        `REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${any} FROM ${role};`,
        `ALTER DEFAULT PRIVILEGES IN SCHEMA ${any} REVOKE ALL ON TABLES FROM ${role};`,
        `ALTER DEFAULT PRIVILEGES IN SCHEMA ${any} REVOKE ALL ON SEQUENCES FROM ${role};`,
        `REVOKE ALL ON SCHEMA ${any} FROM ${role};`,
      );
    }
    lines.push(
      `GRANT CONNECT ON DATABASE ${database} TO ${role};`,
      `GRANT USAGE ON SCHEMA ${schema} TO ${role};`,
      `GRANT ${privileges} ON ALL TABLES IN SCHEMA ${schema} TO ${role};`,
      `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT ${privileges} ON TABLES TO ${role};`,
    );
    if (client.access === 'read-write') {
      lines.push(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO ${role};`, `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT USAGE, SELECT ON SEQUENCES TO ${role};`);
    }
  }
  return `${lines.join('\n')}\n`;
}
