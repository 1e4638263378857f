/**
 * A PostgreSQL datastore as rendered, applied to a real PostgreSQL 15 the way the cluster would:
 * the CloudNativePG Cluster's database owner (the migrator) and managed roles, then the migration
 * Job's own psql command over the files of its ConfigMap (the versioned migrations, the runner and
 * the grants). Read back from rendered files (rendered/<env>/ or an in-memory render), never from
 * the model, so tests prove the YAML Argo CD would sync.
 *
 * What differs from the cluster: no TLS (PGSSLMODE=disable), the Job's /migrations mount is a temp
 * folder, CloudNativePG's postInitApplicationSQL runs only when the timescaledb extension is installed
 * here, and role passwords are made up (External Secrets provides them in the cluster).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { parse } from 'yaml';
import { PG_BIN, type PostgresServer } from './postgres.ts';
import { runTool } from './process.ts';
import { listFiles } from '../../render/tree-writer.ts';

const REPOSITORY = resolve(import.meta.dirname, '../..');

type Obj = Record<string, any>;

export interface RenderedDatabase {
  /** The CloudNativePG Cluster. */
  cluster: Obj;
  /** The migration Job (PreSync hook) and its ConfigMap's files. */
  job: Obj;
  files: Record<string, string>;
  /** The schema the migrations create (the ConfigMap's gamemetrics.dev/schema annotation). */
  schema: string;
  /** Database name, owner (migrator) and the managed roles' names. */
  database: string;
  owner: string;
  roles: string[];
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const quoteLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The Cluster named `name` among rendered files (relative path → YAML), with its migration Job and ConfigMap. */
export function renderedDatabase(files: ReadonlyMap<string, string>, name: string): RenderedDatabase {
  let cluster: Obj | undefined;
  let job: Obj | undefined;
  let configMap: Obj | undefined;
  for (const [path, content] of files) {
    if (path.endsWith(`/cluster-${name}.yaml`)) cluster = parse(content);
    else if (path.endsWith(`/job-${name}-migrations.yaml`)) job = parse(content);
    else if (path.endsWith(`/configmap-${name}-migrations.yaml`)) configMap = parse(content);
  }
  if (!cluster || !job || !configMap) throw new Error(`the rendered files hold no complete ${name} datastore (Cluster ${!!cluster}, migration Job ${!!job}, ConfigMap ${!!configMap}): run npm run render`);
  const initdb = cluster.spec.bootstrap.initdb;
  return {
    cluster,
    job,
    files: configMap.data,
    schema: configMap.metadata.annotations['gamemetrics.dev/schema'],
    database: initdb.database,
    owner: initdb.owner,
    roles: (cluster.spec.managed?.roles ?? []).filter((r: Obj) => r.ensure !== 'absent' && r.login).map((r: Obj) => r.name),
  };
}

/**
 * What CloudNativePG does before the Job runs: the database owned by the migrator, the managed roles
 * (LOGIN with a password each) and, where timescaledb is installed, postInitApplicationSQL.
 * Returns the password of each role, the migrator's included.
 */
export async function provisionDatabase(server: PostgresServer, db: RenderedDatabase): Promise<Map<string, string>> {
  const passwords = new Map<string, string>();
  const su = new pg.Client({ connectionString: server.superuser.connectionString.replace(/\/[^/]*$/, '/postgres') });
  await su.connect();
  try {
    for (const role of [db.owner, ...db.roles]) {
      const password = randomBytes(12).toString('hex');
      passwords.set(role, password);
      const exists = (await su.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount;
      await su.query(`${exists ? 'ALTER' : 'CREATE'} ROLE ${quoteIdent(role)} LOGIN PASSWORD ${quoteLiteral(password)}`);
    }
    if (!(await su.query('SELECT 1 FROM pg_database WHERE datname = $1', [db.database])).rowCount) {
      await su.query(`CREATE DATABASE ${quoteIdent(db.database)} OWNER ${quoteIdent(db.owner)}`);
    }
  } finally {
    await su.end();
  }
  if (server.hasTimescale) {
    const inDb = new pg.Client({ connectionString: server.superuser.connectionString.replace(/\/[^/]*$/, `/${db.database}`) });
    await inDb.connect();
    try {
      for (const sql of db.cluster.spec.bootstrap.initdb.postInitApplicationSQL ?? []) await inDb.query(sql);
    } finally {
      await inDb.end();
    }
  }
  return passwords;
}

/** Run the migration Job's container command (psql) against `server` as the migrator; returns psql's output. */
export async function runMigrationJob(server: PostgresServer, db: RenderedDatabase, migratorPassword: string): Promise<string> {
  const container = db.job.spec.template.spec.containers[0];
  const mount = container.volumeMounts.find((m: Obj) => m.name === 'migrations').mountPath as string;
  const dir = await mkdtemp(join(tmpdir(), 'gm-migrations-'));
  try {
    for (const [file, text] of Object.entries(db.files)) await writeFile(join(dir, file), text);
    const [command, ...args] = container.command as string[];
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
    for (const e of container.env as Obj[]) if (e.value !== undefined) env[e.name] = e.value;
    Object.assign(env, { PGHOST: server.host, PGPORT: String(server.port), PGSSLMODE: 'disable', PGUSER: db.owner, PGPASSWORD: migratorPassword });
    const { stdout, stderr } = await runTool(`migration Job ${db.job.metadata.name}`, join(PG_BIN, command), args.map((a) => a.replace(mount, dir)), { env });
    return `${stdout}${stderr}`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** renderedDatabase over the committed rendered/<env>/ folder. */
export function renderedDatabaseOf(env: string, name: string): RenderedDatabase {
  const dir = join(REPOSITORY, 'rendered', env);
  return renderedDatabase(new Map(listFiles(dir).filter((p) => p.includes(name)).map((p) => [p, readFileSync(join(dir, p), 'utf8')])), name);
}

/** A client of `db` on `server` as `role` with the schema on its search path, as the rendered PGOPTIONS sets it. */
export function clientConfig(server: PostgresServer, db: RenderedDatabase, role: string, password: string): pg.ClientConfig {
  return { host: server.host, port: server.port, database: db.database, user: role, password, options: `-c search_path=${db.schema}` };
}
