/**
 * A real PostgreSQL 15 server (Debian's binaries in /usr/lib/postgresql/15/bin) for tests.
 *
 * ```ts
 * import { startPostgres } from './postgres.ts';
 * import pg from 'pg';
 *
 * const db = await startPostgres();
 * after(() => db.stop());
 * const client = new pg.Client({ connectionString: db.connectionString });
 * ```
 *
 * - initdb into a fresh temp dir (as the `postgres` system user when the caller is root, since
 *   PostgreSQL refuses to run as root; as the caller otherwise), scram-sha-256 password auth on
 *   127.0.0.1:<free port> and on a unix socket in the temp dir; fsync off.
 * - `user`/`password`/`database`: an application role that owns the database `gamemetrics_test`.
 *   `superuser` is the initdb superuser, for extensions and role management.
 * - `hasTimescale`: whether the timescaledb extension is installed (then it is preloaded, and
 *   `CREATE EXTENSION timescaledb` works as the superuser). Not required.
 * - `restart()`: stops the server and starts it again on the same port with the same data.
 * - `stopServer()`: stops the server, keeping the data (for fault tests; `restart()` brings it back).
 * - `kill()`: SIGKILLs the postmaster (a crash, no shutdown checkpoint), keeping the data; resolves
 *   once its backends noticed and exited too.
 * - `stop()`: stops the server and deletes the temp dir. Call it in `after()`.
 * - `logFile`: the server log.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, rm, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, isRoot, managedServer, runTool, startedServer, startInTempDir, type StartedServer } from './process.ts';

export const PG_BIN = '/usr/lib/postgresql/15/bin';
const TIMESCALE_CONTROL = '/usr/share/postgresql/15/extension/timescaledb.control';

export interface PostgresServer extends StartedServer {
  user: string;
  password: string;
  database: string;
  /** postgres://user:password@127.0.0.1:port/database */
  connectionString: string;
  superuser: { user: string; password: string; connectionString: string };
  hasTimescale: boolean;
  /** The unix socket directory (also accepts the same passwords). */
  socketDir: string;
  /** The data directory (owned by the server's system user; for drills that rewind or copy it). */
  dataDir: string;
}

export interface StartPostgresOptions {
  /** Application role (default 'gamemetrics'). */
  user?: string;
  /** Database owned by that role (default 'gamemetrics_test'). */
  database?: string;
  /** Where the server log goes (default: the temp dir). */
  logDir?: string;
  /** Extra server settings (`-c key=value`), applied after and over the harness's own. */
  settings?: Record<string, string>;
}

function requirePostgres(): void {
  if (!existsSync(join(PG_BIN, 'postgres'))) {
    throw new Error(
      `PostgreSQL 15 is not installed (${PG_BIN}/postgres missing). Install it with: apt-get install -y postgresql-15 (or run scripts/harness/setup.sh).`,
    );
  }
}

/** Owner for the data dir: the postgres system user when we are root, else ourselves. */
export async function serverIdentity(): Promise<{ runAs?: string; uid: number; gid: number }> {
  if (!isRoot()) return { uid: userInfo().uid, gid: userInfo().gid };
  const { stdout } = await runTool('Looking up the postgres system user', 'id', ['-u', 'postgres']);
  const { stdout: gid } = await runTool('Looking up the postgres system group', 'id', ['-g', 'postgres']);
  return { runAs: 'postgres', uid: Number(stdout.trim()), gid: Number(gid.trim()) };
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const quoteLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** Starts a fresh PostgreSQL 15 server; see the file header. */
export async function startPostgres(opts: StartPostgresOptions = {}): Promise<PostgresServer> {
  requirePostgres();
  const who = await serverIdentity();
  return await startInTempDir('gm-postgres-', (workDir) => startServer(who, workDir, opts));
}

export type Identity = Awaited<ReturnType<typeof serverIdentity>>;

async function startServer(who: Identity, workDir: string, opts: StartPostgresOptions): Promise<PostgresServer> {
  const host = '127.0.0.1';
  const dataDir = join(workDir, 'data');
  const socketDir = join(workDir, 'sock');
  await mkdir(socketDir);
  const logDir = opts.logDir ?? workDir;
  await mkdir(logDir, { recursive: true });
  const port = await freePort();
  const logFile = join(logDir, `postgres-${port}.log`);
  const superuser = { user: 'postgres', password: randomBytes(12).toString('hex') };
  const user = opts.user ?? 'gamemetrics';
  const password = randomBytes(12).toString('hex');
  const database = opts.database ?? 'gamemetrics_test';
  const pwFile = join(workDir, 'pwfile');
  await writeFile(pwFile, `${superuser.password}\n`, { mode: 0o600 });
  await writeFile(logFile, '');
  for (const path of [workDir, socketDir, pwFile, logFile]) await chown(path, who.uid, who.gid);
  await chmod(workDir, 0o700);

  await runTool('initdb', join(PG_BIN, 'initdb'), [
    '-D', dataDir, '-U', superuser.user, `--pwfile=${pwFile}`, '--auth=scram-sha-256',
    '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions',
  ], { user: who.runAs, env: { ...process.env, LC_ALL: 'C' } });
  await rm(pwFile);

  // Preload timescaledb when its files are installed; `hasTimescale` is then read from the server.
  const preloadTimescale = existsSync(TIMESCALE_CONTROL);
  const settings: Record<string, string> = {
    listen_addresses: host,
    port: String(port),
    unix_socket_directories: socketDir,
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    max_connections: '100',
    shared_buffers: '64MB',
    ...(preloadTimescale ? { shared_preload_libraries: 'timescaledb', 'timescaledb.telemetry_level': 'off' } : {}),
    ...opts.settings,
  };
  const args = ['-D', dataDir, ...Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`])];

  const url = (u: string, p: string, db: string) => `postgres://${encodeURIComponent(u)}:${encodeURIComponent(p)}@${host}:${port}/${db}`;
  const superUrl = url(superuser.user, superuser.password, 'postgres');

  const server = managedServer({
    spec: () => ({ name: 'postgres', command: join(PG_BIN, 'postgres'), args, logFile, user: who.runAs, stopSignal: 'SIGINT' }),
    what: `PostgreSQL on ${host}:${port}`,
    ready: async () => {
      const client = new pg.Client({ connectionString: superUrl, connectionTimeoutMillis: 2_000, query_timeout: 2_000 });
      try {
        await client.connect();
        return (await client.query('SELECT 1')).rowCount;
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    timeoutMs: 30_000,
    intervalMs: 100,
    stopTimeoutMs: 30_000,
    workDir,
  });

  await server.start();
  let hasTimescale = false;
  const admin = new pg.Client({ connectionString: superUrl });
  try {
    await admin.connect();
    await admin.query(`CREATE ROLE ${quoteIdent(user)} LOGIN PASSWORD ${quoteLiteral(password)}`);
    await admin.query(`CREATE DATABASE ${quoteIdent(database)} OWNER ${quoteIdent(user)}`);
    const available = await admin.query("SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'");
    hasTimescale = available.rowCount === 1;
  } catch (error) {
    await server.stop();
    throw error;
  } finally {
    await admin.end().catch(() => undefined);
  }

  return {
    ...startedServer(host, port, logFile, server),
    user,
    password,
    database,
    connectionString: url(user, password, database),
    superuser: { ...superuser, connectionString: url(superuser.user, superuser.password, database) },
    hasTimescale,
    socketDir,
    dataDir,
  };
}
