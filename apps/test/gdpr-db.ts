/**
 * The rendered event store on a real PostgreSQL 15 for the GDPR services' tests: the rendered
 * Cluster's roles, then the rendered migration Job (migrations and grants); pools as a service's
 * own role (its rendered PGUSER, so its grants are what is tested) or as the superuser.
 */
import pg from 'pg';
import { startPostgres, type PostgresServer } from '../../scripts/harness/postgres.ts';
import { clientConfig, provisionDatabase, renderedDatabaseOf, runMigrationJob, type RenderedDatabase } from '../../scripts/harness/postgres-schema.ts';

export interface EventStore {
  server: PostgresServer;
  database: RenderedDatabase;
  passwords: Map<string, string>;
  /** The PG* variables a service with database role `role` gets, pointed at this server. */
  env(role: string): Record<string, string>;
  /** A pool as `role`, the schema on its search path. */
  pool(role: string, max?: number): pg.Pool;
  /** A pool as the superuser (test assertions only). */
  admin(): pg.Pool;
  stop(): Promise<void>;
}

export async function startEventStore(logDir?: string): Promise<EventStore> {
  const server = await startPostgres(logDir ? { logDir } : {});
  try {
    const database = renderedDatabaseOf('dev', 'timescaledb');
    const passwords = await provisionDatabase(server, database);
    await runMigrationJob(server, database, passwords.get(database.owner) as string);
    const pools: pg.Pool[] = [];
    const track = (p: pg.Pool) => (pools.push(p), p.on('error', () => undefined), p);
    return {
      server,
      database,
      passwords,
      env: (role) => ({
        PGHOST: server.host,
        PGPORT: String(server.port),
        PGDATABASE: database.database,
        PGUSER: role,
        PGPASSWORD: passwords.get(role) as string,
        PGSSLMODE: 'disable',
        PGOPTIONS: `-c search_path=${database.schema}`,
      }),
      pool: (role, max = 5) => track(new pg.Pool({ ...clientConfig(server, database, role, passwords.get(role) as string), max })),
      admin: () => track(new pg.Pool({ connectionString: server.superuser.connectionString.replace(/\/[^/]*$/, `/${database.database}`), options: `-c search_path=${database.schema}`, max: 4 })),
      stop: async () => {
        await Promise.allSettled(pools.map((p) => p.end()));
        await server.stop();
      },
    };
  } catch (e) {
    await server.stop();
    throw e;
  }
}
