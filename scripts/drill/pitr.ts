/**
 * The point-in-time-recovery drill on a real PostgreSQL 15 (issue #11, "Deployable"); see
 * docs/disaster-recovery.md.
 *
 * `npm run drill:pitr [-- --rows N] [-- --seconds S] [-- --archive-timeout S] [-- --record]`
 *
 * 1. A primary with WAL archiving (archive_command copies each finished segment into a folder that
 *    stands in for the object store) and track_commit_timestamp; one writer commits rows at a steady
 *    pace, and a base backup (pg_basebackup) is taken while it writes.
 * 2. At the end the primary is "lost": the archive as it is at that moment is all that survives.
 * 3. The base backup is restored into a new data directory and recovered from that archive to a
 *    target time between two commits (recovery_target_time, then promote), on another port.
 * 4. The rows present must be exactly those whose commit timestamp is at or before the target.
 *
 * It reports RPO (how much committed time the archive lacked, at the loss and at worst during the
 * drill) and RTO (restore start until the promoted instance passed verification) against the
 * platform's targets. Exit 1 when verification or a target fails; usage errors exit 2.
 */
import { chmod, chown, link, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PLATFORM_ARCHIVE_TIMEOUT_S } from '../../model/datastores.ts';
import { PG_BIN, serverIdentity, startPostgres, type PostgresServer } from '../harness/postgres.ts';
import { freePort, runTool, sweepStaleTempDirs, type ManagedServer } from '../harness/process.ts';
import { dataDirServer, drillSection, formatChecks, owned, pgUrl, parseDrillOptions, runDrillCommand, TARGETS, timedCheck, wholeNumber, withClient, type Check, type DrillArgs } from './shared.ts';

export { formatChecks, TARGETS, type Check };
/** The TimescaleDB Cluster's archive_timeout (model/datastores.ts): the drill's default. */
export { PLATFORM_ARCHIVE_TIMEOUT_S };

export interface PitrOptions {
  /** Rows the writer commits, one per transaction. */
  rows: number;
  /** Over how many seconds (a steady pace); the base backup starts after a tenth of it. */
  seconds: number;
  /** The primary's archive_timeout in seconds. */
  archiveTimeoutS: number;
  /** Progress lines (the CLI prints them to stderr). */
  log?: (line: string) => void;
}

export interface PitrReport {
  options: { rows: number; seconds: number; archiveTimeoutS: number };
  serverVersion: string;
  backupSeconds: number;
  /** Rows the writer committed (at least `options.rows`). */
  rowsWritten: number;
  /** Rows committed before the base backup started. */
  rowsBeforeBackup: number;
  target: { time: string; lastIdBefore: number; firstIdAfter: number };
  /** Ids whose commit timestamp is at or before the target, and what the recovered instance holds. */
  expectedIds: number[];
  presentIds: number[];
  missingIds: number[];
  extraIds: number[];
  /** Rows whose clock_timestamp() is before the target although they committed after it (absent, rightly). */
  writtenBeforeCommittedAfter: number;
  archivedSegments: number;
  rpo: { atLossSeconds: number; worstSeconds: number; lastCommit: string; lastArchivedCommit: string };
  rto: { seconds: number; copySeconds: number; replayAndPromoteSeconds: number; verifySeconds: number };
  checks: Check[];
  pass: boolean;
}

/** Microseconds since the epoch as a timestamptz literal in UTC. */
export function isoMicros(us: number): string {
  const ms = Math.floor(us / 1000);
  return `${new Date(ms).toISOString().slice(0, 19)}.${String(us - Math.floor(us / 1_000_000) * 1_000_000).padStart(6, '0')}+00`;
}

/** Parses pg_waldump's commit time ("2026-11-30 07:40:01.123456 UTC", printed with TZ=UTC) to µs. */
export function parseWaldumpTime(text: string): number {
  const match = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))? UTC$/.exec(text);
  if (!match) throw new Error(`unexpected pg_waldump timestamp "${text}"`);
  return Date.parse(`${match[1]}T${match[2]}Z`) * 1000 + Number((match[3] ?? '').padEnd(6, '0'));
}

export interface ArchivedCommit {
  /** Index of the WAL segment that holds the end of the commit record. */
  segment: number;
  commitUs: number;
}

/** Commit records in pg_waldump `-r Transaction` output, with the segment each one ends in. */
export function parseCommits(waldump: string, segmentBytes: number): ArchivedCommit[] {
  const commits: ArchivedCommit[] = [];
  const line = /len \(rec\/tot\):\s*\d+\/\s*(\d+), tx:\s*\d+, lsn: ([0-9A-F]+)\/([0-9A-F]+), prev [0-9A-F]+\/[0-9A-F]+, desc: COMMIT (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? UTC)/g;
  for (const match of waldump.matchAll(line)) {
    const end = parseInt(match[2], 16) * 2 ** 32 + parseInt(match[3], 16) + Number(match[1]) - 1;
    commits.push({ segment: Math.floor(end / segmentBytes), commitUs: parseWaldumpTime(match[4]) });
  }
  return commits;
}

/** The segment index of a WAL file name (timeline, log, segment: 8 hex digits each). */
export function segmentIndex(name: string, segmentBytes: number): number {
  return parseInt(name.slice(8, 16), 16) * (2 ** 32 / segmentBytes) + parseInt(name.slice(16, 24), 16);
}

interface Row {
  id: number;
  writtenUs: number;
  commitUs: number;
}

/**
 * The longest stretch of committed rows the archive lacked, over a sequence of moments: before each
 * segment reached the archive, and at the loss. At a moment t the archive holds the segments archived
 * before t; what a loss at t costs is the time from its newest commit to the last row committed before t.
 */
export function dataLossWindows(
  rows: Row[],
  segments: Array<{ index: number; archivedUs: number }>,
  commits: ArchivedCommit[],
  lossUs: number,
): { atLossUs: number; worstUs: number } {
  const windowAt = (momentUs: number) => {
    const archived = new Set(segments.filter((s) => s.archivedUs < momentUs).map((s) => s.index));
    const lastArchived = Math.max(-Infinity, ...commits.filter((c) => archived.has(c.segment)).map((c) => c.commitUs));
    const lastCommitted = Math.max(-Infinity, ...rows.filter((r) => r.commitUs < momentUs).map((r) => r.commitUs));
    return lastCommitted > lastArchived ? lastCommitted - Math.max(lastArchived, rows[0].writtenUs) : 0;
  };
  const atLossUs = windowAt(lossUs + 1);
  const worstUs = Math.max(atLossUs, ...segments.map((s) => windowAt(s.archivedUs)));
  return { atLossUs, worstUs };
}

/** The target: midway between row k's clock_timestamp() and its commit, where row k-1 committed before row k was written. */
export function pickTarget(rows: Row[], afterUs: number, beforeUs: number): { targetUs: number; k: number } | undefined {
  const candidates: number[] = [];
  for (let k = 1; k < rows.length; k++) {
    const row = rows[k];
    if (row.commitUs <= afterUs || row.commitUs > beforeUs) continue;
    if (row.commitUs - row.writtenUs >= 2 && row.writtenUs > rows[k - 1].commitUs) candidates.push(k);
  }
  if (candidates.length === 0) return undefined;
  const k = candidates[Math.floor(candidates.length / 2)];
  return { k, targetUs: rows[k].writtenUs + Math.floor((rows[k].commitUs - rows[k].writtenUs) / 2) };
}

/** Verification and the targets: which ids are missing or extra, and one check per promise. */
export function judge(m: { expectedIds: number[]; presentIds: number[]; rpoAtLossS: number; rpoWorstS: number; rtoS: number }): {
  missingIds: number[];
  extraIds: number[];
  checks: Check[];
  pass: boolean;
} {
  const present = new Set(m.presentIds);
  const expected = new Set(m.expectedIds);
  const missingIds = m.expectedIds.filter((id) => !present.has(id));
  const extraIds = m.presentIds.filter((id) => !expected.has(id));
  const checks: Check[] = [
    {
      what: 'rows recovered == rows committed by the target',
      measured: `${m.presentIds.length} of ${m.expectedIds.length} (missing ${missingIds.length}, extra ${extraIds.length})`,
      target: 'exactly',
      pass: missingIds.length === 0 && extraIds.length === 0,
    },
    timedCheck('RPO: data-loss window at the loss (drill end)', m.rpoAtLossS, TARGETS.rpoSeconds),
    timedCheck('RPO: worst window seen during the drill', m.rpoWorstS, TARGETS.rpoSeconds),
    timedCheck('RTO: restore start to verified, promoted instance', m.rtoS, TARGETS.rtoSeconds),
  ];
  return { missingIds, extraIds, checks, pass: checks.every((c) => c.pass) };
}

const nowUs = () => Date.now() * 1000;
const seconds = (ms: number) => ms / 1000;

/** Commits one row per transaction every `intervalMs` until `done()`; `progress` counts them. */
async function writeRows(connectionString: string, intervalMs: number, done: () => boolean, progress: { written: number }): Promise<void> {
  await withClient(connectionString, async (client) => {
    const start = performance.now();
    for (let i = 0; !done(); i++) {
      const wait = start + i * intervalMs - performance.now();
      if (wait > 0) await sleep(wait);
      await client.query('INSERT INTO drill_events (payload) VALUES ($1)', [`event ${i}`]);
      progress.written = i + 1;
    }
  });
}

/** Runs the drill; every process and temp dir it made is gone when it returns or throws. */
export async function runPitrDrill(opts: PitrOptions): Promise<PitrReport> {
  const log = opts.log ?? (() => undefined);
  const who = await serverIdentity();
  await sweepStaleTempDirs('gm-pitr-');
  const workDir = await mkdtemp(join(tmpdir(), `gm-pitr-${process.pid}-`));
  let primary: PostgresServer | undefined;
  let recovered: ManagedServer | undefined;
  try {
    await chown(workDir, who.uid, who.gid);
    await chmod(workDir, 0o700);
    const archiveDir = await owned(join(workDir, 'archive'), who);
    const survivingDir = await owned(join(workDir, 'archive-at-loss'), who);
    const baseDir = join(workDir, 'base');

    log(`primary: PostgreSQL 15, archive_timeout ${opts.archiveTimeoutS} s, archiving into ${archiveDir}`);
    primary = await startPostgres({
      logDir: workDir,
      settings: {
        archive_mode: 'on',
        archive_command: `test ! -f ${archiveDir}/%f && cp %p ${archiveDir}/%f.part && mv ${archiveDir}/%f.part ${archiveDir}/%f`,
        archive_timeout: `${opts.archiveTimeoutS}s`,
        track_commit_timestamp: 'on',
        full_page_writes: 'on',
      },
    });
    const db = primary;
    const serverVersion = await withClient(db.superuser.connectionString, async (c) => (await c.query('SHOW server_version')).rows[0].server_version as string);
    await withClient(db.connectionString, (c) =>
      c.query('CREATE TABLE drill_events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, written_at timestamptz NOT NULL DEFAULT clock_timestamp(), payload text NOT NULL)'),
    );

    // At least `rows` rows at the pace rows/seconds, and on until rows committed after the base
    // backup had 3 archive_timeouts to reach the archive (a slow backup on a busy machine is waited out).
    log(`writer: ${opts.rows} rows over ${opts.seconds} s (at least), one per transaction`);
    const progress = { written: 0 };
    let backupEndUs = Infinity;
    let abandon = false;
    const done = () => abandon || progress.written >= opts.rows && nowUs() >= backupEndUs + 3 * opts.archiveTimeoutS * 1e6;
    const writing = writeRows(db.connectionString, (opts.seconds * 1000) / opts.rows, done, progress);
    let writerFailed = false;
    writing.catch(() => (writerFailed = true));
    await Promise.race([sleep(opts.seconds * 100), writing]);
    if (writerFailed) await writing;
    const rowsBeforeBackup = progress.written;
    log(`base backup: pg_basebackup while the writer runs (${rowsBeforeBackup} rows so far)`);
    const backupStarted = performance.now();
    await runTool('pg_basebackup', join(PG_BIN, 'pg_basebackup'), [
      '-h', db.host, '-p', String(db.port), '-U', db.superuser.user, '-D', baseDir, '-Fp', '-Xstream', '-c', 'fast', '--no-sync',
    ], { user: who.runAs, cwd: workDir, env: { ...process.env, PGPASSWORD: db.superuser.password } }).catch(async (error) => {
      abandon = true;
      await writing.catch(() => undefined);
      throw error;
    });
    const backupSeconds = seconds(performance.now() - backupStarted);
    backupEndUs = nowUs();
    await writing;

    // The loss: what the archive holds now is all that survives the primary.
    const lossUs = nowUs();
    const survivors = (await readdir(archiveDir)).filter((name) => !name.endsWith('.part'));
    for (const name of survivors) await link(join(archiveDir, name), join(survivingDir, name));
    log(`loss: the primary is gone; ${survivors.length} files in the archive survive`);

    const { rows, segmentBytes } = await withClient(db.superuser.connectionString, async (c) => {
      const result = await c.query(`SELECT id::int AS id,
          (extract(epoch FROM written_at) * 1000000)::bigint::text AS written,
          (extract(epoch FROM pg_xact_commit_timestamp(xmin)) * 1000000)::bigint::text AS committed
        FROM drill_events ORDER BY id`);
      const size = await c.query("SELECT setting::bigint::text AS bytes FROM pg_settings WHERE name = 'wal_segment_size'");
      return {
        rows: result.rows.map((r): Row => ({ id: r.id, writtenUs: Number(r.written), commitUs: Number(r.committed) })),
        segmentBytes: Number(size.rows[0].bytes),
      };
    });
    await db.stop();
    primary = undefined;
    for (let k = 1; k < rows.length; k++) {
      if (rows[k].commitUs <= rows[k - 1].commitUs) throw new Error(`commit timestamps are not increasing at id ${rows[k].id}: one writer commits in order`);
    }

    // What the surviving archive holds: its segments, when each arrived, and their commits.
    const segmentNames = survivors.filter((name) => /^[0-9A-F]{24}$/.test(name)).sort();
    if (segmentNames.length === 0) throw new Error(`no WAL segment reached the archive folder (${archiveDir}): the primary's archive_command failed`);
    const segments = await Promise.all(segmentNames.map(async (name) => ({
      index: segmentIndex(name, segmentBytes),
      archivedUs: Math.round((await stat(join(survivingDir, name))).mtimeMs * 1000),
    })));
    const waldump = await runTool('pg_waldump', join(PG_BIN, 'pg_waldump'), [
      '-p', survivingDir, '-r', 'Transaction', segmentNames[0], segmentNames[segmentNames.length - 1],
    ], { env: { ...process.env, TZ: 'UTC' } });
    const commits = parseCommits(waldump.stdout, segmentBytes);
    const lastArchivedUs = Math.max(...commits.map((c) => c.commitUs));
    const windows = dataLossWindows(rows, segments, commits, lossUs);

    const picked = pickTarget(rows, backupEndUs, lastArchivedUs);
    if (!picked) {
      throw new Error(`no row committed after the base backup reached the archive before the loss: write for longer (--seconds ${opts.seconds}) than about 3 × archive_timeout (${opts.archiveTimeoutS} s)`);
    }
    const targetTime = isoMicros(picked.targetUs);
    const expectedIds = rows.filter((r) => r.commitUs <= picked.targetUs).map((r) => r.id);
    const writtenBeforeCommittedAfter = rows.filter((r) => r.writtenUs <= picked.targetUs && r.commitUs > picked.targetUs).length;

    // The restore, timed from here until the recovered instance passed verification.
    log(`restore: base backup into a new data directory, recovery to ${targetTime}`);
    const restoreStarted = performance.now();
    const dataDir = join(workDir, 'recovered');
    await runTool('restoring the base backup', 'cp', ['-a', baseDir, dataDir], { user: who.runAs, cwd: workDir });
    await writeFile(join(dataDir, 'recovery.signal'), '');
    await chown(join(dataDir, 'recovery.signal'), who.uid, who.gid);
    const copied = performance.now();
    const socketDir = await owned(join(workDir, 'recovered-sock'), who);
    const port = await freePort();
    const at = (u: string, p: string, database: string) => pgUrl(db.host, port, u, p, database);
    const server = await dataDirServer({
      name: 'recovered postgres', who, dataDir, host: db.host, port, logDir: workDir, role: 'primary',
      superuserUrl: at(db.superuser.user, db.superuser.password, 'postgres'),
      timeoutMs: TARGETS.rtoSeconds * 1000,
      settings: {
        unix_socket_directories: socketDir,
        fsync: 'off',
        archive_mode: 'off',
        restore_command: `cp ${survivingDir}/%f %p`,
        recovery_target_time: targetTime,
        recovery_target_action: 'promote',
      },
    });
    recovered = server;
    await server.start();
    const promoted = performance.now();
    const presentIds = await withClient(at(db.user, db.password, db.database), async (c) =>
      (await c.query('SELECT id::int AS id FROM drill_events ORDER BY id')).rows.map((r) => r.id as number));
    const verified = performance.now();
    const rtoSeconds = seconds(verified - restoreStarted);

    const { missingIds, extraIds, checks, pass } = judge({ expectedIds, presentIds, rpoAtLossS: windows.atLossUs / 1e6, rpoWorstS: windows.worstUs / 1e6, rtoS: rtoSeconds });
    return {
      options: { rows: opts.rows, seconds: opts.seconds, archiveTimeoutS: opts.archiveTimeoutS },
      serverVersion,
      backupSeconds,
      rowsWritten: rows.length,
      rowsBeforeBackup,
      target: { time: targetTime, lastIdBefore: rows[picked.k - 1].id, firstIdAfter: rows[picked.k].id },
      expectedIds,
      presentIds,
      missingIds,
      extraIds,
      writtenBeforeCommittedAfter,
      archivedSegments: segmentNames.length,
      rpo: { atLossSeconds: windows.atLossUs / 1e6, worstSeconds: windows.worstUs / 1e6, lastCommit: isoMicros(rows[rows.length - 1].commitUs), lastArchivedCommit: isoMicros(lastArchivedUs) },
      rto: { seconds: rtoSeconds, copySeconds: seconds(copied - restoreStarted), replayAndPromoteSeconds: seconds(promoted - copied), verifySeconds: seconds(verified - promoted) },
      checks,
      pass,
    };
  } finally {
    await recovered?.stop().catch(() => undefined);
    await primary?.stop().catch(() => undefined);
    await rm(workDir, { recursive: true, force: true });
  }
}

/** What the drill did, in a few lines. */
export function formatFacts(report: PitrReport): string {
  const o = report.options;
  return [
    `- ${report.rowsWritten} rows (${o.rows} asked, at ${(o.rows / o.seconds).toFixed(0)} per second; the writer goes on until 3 × archive_timeout after the backup), one writer, one row per transaction; archive_timeout ${o.archiveTimeoutS} s (the cluster's: ${PLATFORM_ARCHIVE_TIMEOUT_S} s, so its RPO bound is ~${PLATFORM_ARCHIVE_TIMEOUT_S} s plus the upload).`,
    `- Base backup (pg_basebackup, plain, WAL streamed) after ${report.rowsBeforeBackup} rows, ${report.backupSeconds.toFixed(2)} s; ${report.archivedSegments} WAL segments in the archive at the loss.`,
    `- Target ${report.target.time}: after id ${report.target.lastIdBefore} committed, before id ${report.target.firstIdAfter} committed; ${report.writtenBeforeCommittedAfter} row written (clock_timestamp) before the target but committed after it, rightly absent.`,
    `- Last commit ${report.rpo.lastCommit}, last commit in the surviving archive ${report.rpo.lastArchivedCommit}.`,
    `- Restore ${report.rto.seconds.toFixed(2)} s = copy ${report.rto.copySeconds.toFixed(2)} s + replay and promote ${report.rto.replayAndPromoteSeconds.toFixed(2)} s + verify ${report.rto.verifySeconds.toFixed(2)} s.`,
  ].join('\n');
}

/** The docs/BENCHMARKS.md section of one drill. */
export function benchmarkSection(report: PitrReport, command: string): string {
  return drillSection('Point-in-time recovery drill (scripts/drill/pitr.ts)', command, report,
    'WAL archived to a local folder standing in for the object store (see docs/disaster-recovery.md).', formatFacts(report));
}

const USAGE = `Usage: npm run drill:pitr [-- --rows N] [-- --seconds S] [-- --archive-timeout S] [-- --record]

Point-in-time recovery drill on a real PostgreSQL 15: base backup with WAL archiving while a writer
commits rows, recovery into a new data directory at a target time, verification that exactly the rows
committed by then are present; RPO and restore time against the targets (RPO 5 min, RTO 15 min).

  --rows N              rows to commit, one per transaction (default 18000)
  --seconds S           over how many seconds (default 180; at least 3 × --archive-timeout)
  --archive-timeout S   the primary's archive_timeout (default ${PLATFORM_ARCHIVE_TIMEOUT_S}, the cluster's)
  --record              append the figures to docs/BENCHMARKS.md
  -h, --help            this text

Exit 0 when verification and every target pass, 1 otherwise, 2 on a usage error.`;

const DRILL_OPTIONS = {
  rows: { type: 'string', default: '18000' },
  seconds: { type: 'string', default: '180' },
  'archive-timeout': { type: 'string', default: String(PLATFORM_ARCHIVE_TIMEOUT_S) },
  record: { type: 'boolean', default: false },
} as const;

/** The drill options from the command line, or a one-line usage error. */
export function parseDrillArgs(argv: string[]): DrillArgs<Omit<PitrOptions, 'log'>> {
  const parsed = parseDrillOptions({ name: 'drill:pitr', usage: USAGE, options: DRILL_OPTIONS }, argv);
  if (!('values' in parsed)) return parsed;
  const { values } = parsed;
  const rows = wholeNumber(values.rows, 10);
  const seconds = wholeNumber(values.seconds, 3);
  const archiveTimeoutS = wholeNumber(values['archive-timeout'], 1);
  if (rows === undefined) return { error: `--rows must be an integer of at least 10 (got "${values.rows}")` };
  if (seconds === undefined) return { error: `--seconds must be an integer of at least 3 (got "${values.seconds}")` };
  if (archiveTimeoutS === undefined) return { error: `--archive-timeout must be a whole number of seconds, at least 1 (got "${values['archive-timeout']}")` };
  if (seconds < 3 * archiveTimeoutS) return { error: `--seconds (${seconds}) must be at least 3 × --archive-timeout (${archiveTimeoutS}) so that rows after the backup reach the archive` };
  return { help: false, record: values.record, options: { rows, seconds, archiveTimeoutS } };
}

if (import.meta.main) {
  runDrillCommand({
    name: 'drill:pitr',
    usage: USAGE,
    parse: parseDrillArgs,
    run: (options, log) => runPitrDrill({ ...options, log }),
    summary: (report) => [
      `${formatChecks(report)}\n\n${formatFacts(report)}`,
      ...(report.missingIds.length || report.extraIds.length
        ? [`\nmissing ids: ${report.missingIds.slice(0, 20).join(', ')}; extra ids: ${report.extraIds.slice(0, 20).join(', ')}`]
        : []),
    ].join(''),
    section: (report, o) => benchmarkSection(report, `npm run drill:pitr -- --rows ${o.rows} --seconds ${o.seconds} --archive-timeout ${o.archiveTimeoutS} --record`),
  });
}
