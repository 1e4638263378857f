/**
 * What the PostgreSQL drills (pitr.ts, failover.ts) share: the platform's recovery targets, the
 * pass/fail checks and their table, a client per call, and a PostgreSQL run on a data directory the
 * drill made itself (a restored backup, a standby, a rewound primary); and the command line around a drill.
 */
import { appendFile, chown, mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { ParseArgsOptionsConfig } from 'node:util';
import { parseCommandArgs, UsageError, usageErrorText, type CommandArgs, type CommandSpec } from '../cli/command.ts';
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

/**
 * The docs/BENCHMARKS.md section of one recorded drill: a title with today's date, what ran where
 * (`setup` finishes the sentence after the PostgreSQL version), the checks table and the facts.
 */
export function drillSection(title: string, command: string, report: { serverVersion: string; checks: Check[] }, setup: string, facts: string): string {
  return [
    '',
    `## ${title} — ${new Date().toISOString().slice(0, 10)}`,
    '',
    `\`${command}\` on ${machine()}, PostgreSQL ${report.serverVersion}, ${setup} ` +
      'Ratios are measured / target (RPO 5 min, RTO 15 min); below 1 meets the target.',
    '',
    formatChecks(report),
    '',
    facts,
    '',
  ].join('\n');
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

/** The parsed command line of a drill, or a one-line usage error. */
export type DrillArgs<O> = { help: true } | { help: false; record: boolean; options: O } | { error: string };

/** A drill's options parsed (`--record` is the caller's to declare): help, a one-line usage error, or the values. */
export function parseDrillOptions<C extends ParseArgsOptionsConfig>(spec: CommandSpec<C>, argv: string[]): { help: true } | { error: string } | { values: CommandArgs<C>['values'] } {
  let parsed;
  try {
    parsed = parseCommandArgs(spec, argv);
  } catch (error) {
    return { error: (error as UsageError).problems.join('; ') };
  }
  return parsed === 'help' ? { help: true } : { values: parsed.values };
}

/** `text` as a whole number from `min` to `max`, or undefined. */
export function wholeNumber(text: string, min: number, max = Infinity): number | undefined {
  return /^\d+$/.test(text) && Number(text) >= min && Number(text) <= max ? Number(text) : undefined;
}

export interface DrillCommand<O, R extends { pass: boolean }> {
  /** The npm script, e.g. "drill:pitr". */
  name: string;
  usage: string;
  parse: (argv: string[]) => DrillArgs<O>;
  run: (options: O, log: (line: string) => void) => Promise<R>;
  /** What stdout gets after the run (the checks table, the facts). */
  summary: (report: R) => string;
  /** The docs/BENCHMARKS.md section of a recorded run. */
  section: (report: R, options: O) => string;
}

/**
 * Runs a drill from the command line: progress on stderr, the summary and pass/FAIL on stdout,
 * `--record` appends the section to docs/BENCHMARKS.md. Exit 0 pass, 1 fail or error, 2 usage error.
 */
export function runDrillCommand<O, R extends { pass: boolean }>(cmd: DrillCommand<O, R>, argv = process.argv.slice(2)): void {
  const main = async (): Promise<number> => {
    const parsed = cmd.parse(argv);
    if ('error' in parsed) {
      process.stderr.write(usageErrorText(cmd, new UsageError(parsed.error)));
      return 2;
    }
    if (parsed.help) {
      console.log(cmd.usage);
      return 0;
    }
    const report = await cmd.run(parsed.options, (line) => console.error(line));
    console.log(`\n${cmd.summary(report)}\n`);
    console.log(`${cmd.name}: ${report.pass ? 'pass' : 'FAIL'}`);
    if (parsed.record) {
      await appendFile(new URL('../../docs/BENCHMARKS.md', import.meta.url), cmd.section(report, parsed.options));
      console.error('appended to docs/BENCHMARKS.md');
    }
    return report.pass ? 0 : 1;
  };
  main().then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(`${cmd.name} failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
