/**
 * What the PostgreSQL drills (pitr.ts, failover.ts) share: the platform's recovery targets, the
 * pass/fail checks and their table, a client per call, and a PostgreSQL run on a data directory the
 * drill made itself (a restored backup, a standby, a rewound primary).
 */
import { chown, mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PG_BIN, type Identity } from '../harness/postgres.ts';
import { managedServer, type ManagedServer } from '../harness/process.ts';

/** The platform's recovery targets (issue #11). */
export const TARGETS = { rpoSeconds: 5 * 60, rtoSeconds: 15 * 60 };

export interface Check {
  what: string;
  measured: string;
  target: string;
  /** measured / target, when both are durations. */
  ratio?: number;
  pass: boolean;
}

const duration = (s: number) => `${s.toFixed(s < 10 ? 2 : 1)} s`;

/** A check of a duration against its target (pass when at most the target). */
export function timedCheck(what: string, measuredS: number, targetS: number): Check {
  return { what, measured: duration(measuredS), target: duration(targetS), ratio: measuredS / targetS, pass: measuredS <= targetS };
}

/** The pass/fail table (Markdown, readable in a terminal too). */
export function formatChecks(report: { checks: Check[] }): string {
  return [
    '| check | measured | target | ratio to target | result |',
    '| --- | ---: | ---: | ---: | --- |',
    ...report.checks.map((c) => `| ${c.what} | ${c.measured} | ${c.target} | ${c.ratio === undefined ? '' : c.ratio.toFixed(4)} | ${c.pass ? 'pass' : '**FAIL**'} |`),
  ].join('\n');
}

/** "2 × AMD EPYC …, 24 GiB": the machine line of a recorded drill. */
export function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB`;
}

/** A directory (created if missing) owned by the server's system user. */
export async function owned(path: string, who: Identity): Promise<string> {
  await mkdir(path, { recursive: true });
  await chown(path, who.uid, who.gid);
  return path;
}

/** Runs `fn` with a fresh connection, closed afterwards. */
export async function withClient<T>(connectionString: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** postgres://user:password@host:port/database */
export function pgUrl(host: string, port: number, user: string, password: string, database: string): string {
  return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/${database}`;
}

export interface DataDirServerOptions {
  /** "postgres (standby)": for messages. */
  name: string;
  who: Identity;
  dataDir: string;
  host: string;
  port: number;
  /** Server settings (`-c key=value`); listen_addresses and port are added. */
  settings: Record<string, string>;
  /** The server log goes to `<logDir>/<name>-<port>.log`; also the managed server's workDir. */
  logDir: string;
  /** The superuser's connection string to the `postgres` database, for the readiness probe. */
  superuserUrl: string;
  /** Ready when in recovery (a standby) or out of it (promoted); any answer when absent. */
  role?: 'standby' | 'primary';
  timeoutMs: number;
}

/** A PostgreSQL on a data directory the drill made (not started yet); stop() is a fast shutdown. */
export async function dataDirServer(o: DataDirServerOptions): Promise<ManagedServer> {
  const logFile = join(o.logDir, `${o.name.replace(/\W+/g, '-')}-${o.port}.log`);
  await writeFile(logFile, '', { flag: 'a' });
  await chown(logFile, o.who.uid, o.who.gid);
  const settings = { listen_addresses: o.host, port: String(o.port), ...o.settings };
  return managedServer({
    spec: () => ({
      name: o.name, command: join(PG_BIN, 'postgres'), logFile, user: o.who.runAs, stopSignal: 'SIGINT',
      args: ['-D', o.dataDir, ...Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`])],
    }),
    what: `${o.name} on ${o.host}:${o.port}`,
    ready: () => withClient(o.superuserUrl, async (c) => {
      const standby = (await c.query('SELECT pg_is_in_recovery() AS standby')).rows[0].standby as boolean;
      return o.role === undefined || standby === (o.role === 'standby') ? true : undefined;
    }),
    timeoutMs: o.timeoutMs,
    intervalMs: 100,
    stopTimeoutMs: 30_000,
    workDir: o.logDir,
  });
}
