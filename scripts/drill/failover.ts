/**
 * The failover and failback drill on a real PostgreSQL 15 (controls DAT-22, DAT-23); see
 * docs/disaster-recovery.md.
 *
 * `npm run drill:failover [-- --rate N] [-- --seconds S] [-- --record]`
 *
 * 1. A primary (wal_level=replica, wal_log_hints=on) and a hot standby made from it with
 *    pg_basebackup, streaming asynchronously, as the rendered CloudNativePG Cluster runs (no
 *    synchronous replicas are configured there).
 * 2. One writer commits one row per transaction at a steady pace and records every id the server
 *    acknowledged.
 * 3. Failover: the primary's postmaster is SIGKILLed; the standby is promoted (pg_promote). RTO is
 *    the crash until the promoted standby accepted a write; the rows the crashed primary acknowledged
 *    that the new primary lacks are the data lost (RPO in rows and in seconds of commits).
 * 4. Failback: pg_rewind brings the crashed primary's data directory onto the new primary's timeline;
 *    it starts as a standby of the new primary, catches up, and a planned switchover (fast shutdown
 *    of the new primary, promotion of the old one) makes it the primary again with nothing lost.
 *
 * Exit 1 when a check fails; usage errors exit 2.
 */
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { PG_BIN, serverIdentity, startPostgres, type PostgresServer } from '../harness/postgres.ts';
import { freePort, runTool, sweepStaleTempDirs, waitFor, type ManagedServer } from '../harness/process.ts';
import { dataDirServer, drillSection, formatChecks, owned, pgUrl, parseDrillOptions, runDrillCommand, TARGETS, timedCheck, wholeNumber, withClient, type Check, type DrillArgs } from './shared.ts';

export interface FailoverOptions {
  /** Rows per second the writer commits, one per transaction. */
  rate: number;
  /** How long the writer runs on each primary: before the crash, on the promoted standby, after the switchover. */
  seconds: number;
  /** Progress lines (the CLI prints them to stderr). */
  log?: (line: string) => void;
}

/** Which server acknowledged a row: the first primary, the promoted standby, the old primary after failback. */
export type Role = 'primary' | 'promoted' | 'failedBack';

export interface Ack {
  id: number;
  /** When the acknowledgement arrived, µs since the epoch. */
  ackUs: number;
  by: Role;
}

export interface Promotion {
  timelineBefore: number;
  timelineAfter: number;
  /** The first write the promoted server acknowledged (a probe row). */
  probeId: number;
  /** Rows acknowledged before the promotion (by the server it replaces) that the promoted server lacks. */
  lostIds: number[];
  /** The span of commits those rows stand for: last surviving acknowledgement to the last lost one. */
  lostSeconds: number;
}

export interface FailoverReport {
  options: { rate: number; seconds: number };
  serverVersion: string;
  /** What the primary's synchronous_standby_names says. */
  replication: 'asynchronous' | 'synchronous';
  /** Rows acknowledged by each server in turn. */
  acked: Record<Role, number>;
  ackedIds: number[];
  /** The ids in the table on the last primary at the end. */
  presentIds: number[];
  /** Acknowledged anywhere, absent at the end. */
  missingIds: number[];
  /** Present at the end, never acknowledged: commits whose answer was lost with the connection. */
  extraIds: number[];
  /** Writes whose outcome the writer could not know (the connection broke during the commit). */
  inDoubt: number;
  failover: Promotion & { promoteSeconds: number; rtoSeconds: number };
  failback: Promotion & { rewindSeconds: number; catchUpSeconds: number; switchoverSeconds: number };
  checks: Check[];
  pass: boolean;
}

const nowUs = () => Math.round((performance.timeOrigin + performance.now()) * 1000);
const seconds = (ms: number) => ms / 1000;

/**
 * The rows in `acks` (acknowledged by the server being replaced) missing from `present`, and the
 * span of commits they stand for: from the last acknowledgement that survived before the first lost
 * one (or the first lost one itself) to the last lost one.
 */
export function lostRows(acks: Ack[], present: Iterable<number>): { lostIds: number[]; lostSeconds: number } {
  const have = new Set(present);
  const ordered = [...acks].sort((a, b) => a.ackUs - b.ackUs);
  const lost = ordered.filter((a) => !have.has(a.id));
  if (lost.length === 0) return { lostIds: [], lostSeconds: 0 };
  const survivedBefore = ordered.filter((a) => have.has(a.id) && a.ackUs <= lost[0].ackUs).at(-1);
  const from = survivedBefore?.ackUs ?? lost[0].ackUs;
  return { lostIds: lost.map((a) => a.id), lostSeconds: (lost[lost.length - 1].ackUs - from) / 1e6 };
}

/** Parses an LSN ("0/3000148") to a number of bytes. */
export function parseLsn(lsn: string): number {
  const match = /^([0-9A-F]+)\/([0-9A-F]+)$/i.exec(lsn.trim());
  if (!match) throw new Error(`unexpected LSN "${lsn}"`);
  return parseInt(match[1], 16) * 2 ** 32 + parseInt(match[2], 16);
}

export interface Measured {
  acks: Ack[];
  /** Ids on the promoted standby right after the failover, and on the last primary at the end. */
  presentAfterFailover: number[];
  presentAtEnd: number[];
  inDoubt: number;
  failover: { timelineBefore: number; timelineAfter: number; probeId: number; rtoSeconds: number };
  failback: { timelineBefore: number; timelineAfter: number; probeId: number; switchoverSeconds: number };
}

/** What was lost where, and one check per promise. */
export function judge(m: Measured): Pick<FailoverReport, 'missingIds' | 'extraIds' | 'checks' | 'pass'> & { failover: Promotion; failback: Promotion } {
  const by = (role: Role) => m.acks.filter((a) => a.by === role);
  const failover = { ...m.failover, ...lostRows(by('primary'), m.presentAfterFailover) };
  // A planned switchover may lose nothing the promoted standby acknowledged.
  const failback = { ...m.failback, ...lostRows(by('promoted'), m.presentAtEnd) };
  const present = new Set(m.presentAtEnd);
  const acked = new Set(m.acks.map((a) => a.id));
  const missingIds = m.acks.map((a) => a.id).filter((id) => !present.has(id));
  const extraIds = m.presentAtEnd.filter((id) => !acked.has(id));
  const lostAtFailover = new Set(failover.lostIds);
  const lostLater = missingIds.filter((id) => !lostAtFailover.has(id));
  const promoted = (p: { timelineBefore: number; timelineAfter: number; probeId: number }, written: number) => ({
    measured: `timeline ${p.timelineBefore} → ${p.timelineAfter}, probe row ${p.probeId}, ${written} rows written after`,
    target: 'new timeline, writes accepted',
    pass: p.timelineAfter > p.timelineBefore && p.probeId > 0 && written > 0,
  });
  const rpo = timedCheck('RPO: commits acknowledged by the crashed primary and lost', failover.lostSeconds, TARGETS.rpoSeconds);
  const checks: Check[] = [
    { what: 'failover: standby promoted and accepting writes', ...promoted(failover, by('promoted').length) },
    timedCheck('RTO: primary crash to first write accepted by the promoted standby', m.failover.rtoSeconds, TARGETS.rtoSeconds),
    { ...rpo, measured: `${failover.lostIds.length} rows, ${rpo.measured}` },
    { what: 'failback: rewound old primary promoted and accepting writes', ...promoted(failback, by('failedBack').length) },
    timedCheck('switchover: new primary shut down to first write on the old one', m.failback.switchoverSeconds, TARGETS.rtoSeconds),
    {
      what: 'switchover: rows acknowledged since the failover, lost',
      measured: `${failback.lostIds.length} of ${by('promoted').length}`,
      target: '0',
      pass: failback.lostIds.length === 0,
    },
    {
      what: 'rows at the end == every acknowledged row but those lost at the crash',
      measured: `missing ${missingIds.length} (${lostLater.length} besides the crash's), unacknowledged ${extraIds.length} (${m.inDoubt} in doubt)`,
      target: `missing ${failover.lostIds.length}, unacknowledged ≤ in doubt`,
      pass: lostLater.length === 0 && extraIds.length <= m.inDoubt,
    },
  ];
  return { failover, failback, missingIds, extraIds, checks, pass: checks.every((c) => c.pass) };
}

interface Writer {
  /** Writes go to this server from now on (undefined: pause). */
  point(url: string | undefined, role: Role): void;
  acks: Ack[];
  inDoubt(): number;
  /** Stops writing and closes its connection. */
  stop(): Promise<void>;
}

/**
 * Commits one row per transaction every `intervalMs` to the server it is pointed at. When a write
 * fails (the server went away) it counts the write as in doubt and pauses until pointed again.
 */
function startWriter(intervalMs: number): Writer {
  const acks: Ack[] = [];
  let target: { url: string; role: Role } | undefined;
  let inDoubt = 0;
  let stopped = false;
  const run = async () => {
    let client: pg.Client | undefined;
    let clientFor: typeof target;
    const drop = () => {
      void client?.end().catch(() => undefined);
      client = undefined;
      clientFor = undefined;
    };
    let next = performance.now();
    for (let i = 0; !stopped; i++) {
      const t = target;
      if (!t) {
        drop();
        await sleep(5);
        continue;
      }
      if (clientFor !== t) {
        drop();
        const fresh = new pg.Client({ connectionString: t.url, connectionTimeoutMillis: 5_000, query_timeout: 10_000 });
        fresh.on('error', () => undefined); // the server's death arrives here too; the failed query reports it
        try {
          await fresh.connect();
          [client, clientFor] = [fresh, t];
        } catch {
          await fresh.end().catch(() => undefined);
          await sleep(20);
          continue;
        }
      }
      const wait = next - performance.now();
      if (wait > 0) await sleep(wait);
      next = Math.max(next + intervalMs, performance.now());
      try {
        const result = await client!.query('INSERT INTO drill_events (payload) VALUES ($1) RETURNING id::int AS id', [`row ${i}`]);
        acks.push({ id: result.rows[0].id, ackUs: nowUs(), by: t.role });
      } catch {
        inDoubt++;
        drop();
        if (target === t) target = undefined;
      }
    }
    drop();
  };
  const running = run();
  return {
    point: (url, role) => (target = url === undefined ? undefined : { url, role }),
    acks,
    inDoubt: () => inDoubt,
    async stop() {
      stopped = true;
      await running;
    },
  };
}

/**
 * wal_log_hints lets pg_rewind work; wal_keep_size keeps the WAL back to the last common checkpoint,
 * which pg_rewind reads from the old primary (both are written with ALTER SYSTEM too, see below).
 */
const REPLICATION_SETTINGS = {
  wal_level: 'replica',
  wal_log_hints: 'on',
  full_page_writes: 'on',
  max_wal_senders: '10',
  wal_keep_size: '256MB',
  hot_standby: 'on',
  // The harness turns it off for speed; the cluster keeps PostgreSQL's default.
  synchronous_commit: 'on',
  fsync: 'off',
};

/** Runs the drill; every process and temp dir it made is gone when it returns or throws. */
export async function runFailoverDrill(opts: FailoverOptions): Promise<FailoverReport> {
  const log = opts.log ?? (() => undefined);
  const who = await serverIdentity();
  await sweepStaleTempDirs('gm-failover-');
  const workDir = await mkdtemp(join(tmpdir(), `gm-failover-${process.pid}-`));
  let primary: PostgresServer | undefined;
  let standby: ManagedServer | undefined;
  let rewound: ManagedServer | undefined;
  let writer: Writer | undefined;
  try {
    await chown(workDir, who.uid, who.gid);
    await chmod(workDir, 0o700);

    log('primary: PostgreSQL 15, wal_level=replica, wal_log_hints=on');
    primary = await startPostgres({ logDir: workDir, settings: REPLICATION_SETTINGS });
    const db = primary;
    const su = db.superuser;
    const superUrl = (port: number) => pgUrl(db.host, port, su.user, su.password, 'postgres');
    const appUrl = (port: number) => pgUrl(db.host, port, db.user, db.password, db.database);
    const conninfo = (port: number, name: string) => `host=${db.host} port=${port} user=${su.user} password=${su.password} application_name=${name}`;
    const query = async (port: number, sql: string) => await withClient(superUrl(port), async (c) => (await c.query(sql)).rows[0]);
    const timeline = async (port: number) => parseInt((await query(port, 'SELECT substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8) AS tli')).tli, 16);
    const ids = async (port: number) => await withClient(appUrl(port), async (c) => (await c.query('SELECT id::int AS id FROM drill_events ORDER BY id')).rows.map((r) => r.id as number));
    const streaming = (upstream: number, name: string) => waitFor(async () => {
      const row = await query(upstream, `SELECT state FROM pg_stat_replication WHERE application_name = '${name}'`);
      return row?.state === 'streaming' ? true : undefined;
    }, { what: `${name} streaming from ${db.host}:${upstream}`, timeoutMs: 60_000, intervalMs: 50 });
    const promote = async (port: number) => {
      const row = await query(port, 'SELECT pg_promote(true, 300) AS done');
      if (!row.done) throw new Error(`pg_promote on ${db.host}:${port} did not finish within 300 s`);
    };
    /** A write on `port`, retried until it is acknowledged; the acknowledgement counts as the role's. */
    const probe = async (port: number, role: Role) => await waitFor(async () => {
      const id = await withClient(appUrl(port), async (c) =>
        (await c.query("INSERT INTO drill_events (payload) VALUES ('probe') RETURNING id::int AS id")).rows[0].id as number);
      writer!.acks.push({ id, ackUs: nowUs(), by: role });
      return id;
    }, { what: `a write on ${db.host}:${port}`, timeoutMs: TARGETS.rtoSeconds * 1000, intervalMs: 10 });
    const pgTool = (what: string, tool: string, args: string[]) =>
      runTool(what, join(PG_BIN, tool), args, { user: who.runAs, cwd: workDir, env: { ...process.env, PGPASSWORD: su.password } });

    const serverVersion = (await query(db.port, 'SHOW server_version')).server_version as string;
    const replication = (await query(db.port, 'SHOW synchronous_standby_names')).synchronous_standby_names ? 'synchronous' : 'asynchronous';
    // pg_rewind's crash recovery of the old primary reads the data directory's settings, not these -c ones.
    for (const name of ['wal_log_hints', 'wal_keep_size'] as const) await query(db.port, `ALTER SYSTEM SET ${name} = '${REPLICATION_SETTINGS[name]}'`);
    await withClient(db.connectionString, (c) => c.query('CREATE TABLE drill_events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload text NOT NULL)'));

    log('standby: pg_basebackup from the primary, then streaming replication (asynchronous)');
    const standbyDir = join(workDir, 'standby');
    await pgTool('pg_basebackup', 'pg_basebackup', ['-h', db.host, '-p', String(db.port), '-U', su.user, '-D', standbyDir, '-Fp', '-Xstream', '-c', 'fast', '--no-sync']);
    await writeFile(join(standbyDir, 'standby.signal'), '');
    await chown(join(standbyDir, 'standby.signal'), who.uid, who.gid);
    const standbyPort = await freePort();
    standby = await dataDirServer({
      name: 'standby', who, dataDir: standbyDir, host: db.host, port: standbyPort, logDir: workDir, role: 'standby',
      superuserUrl: superUrl(standbyPort), timeoutMs: 60_000,
      settings: { ...REPLICATION_SETTINGS, unix_socket_directories: await owned(join(workDir, 'standby-sock'), who), primary_conninfo: conninfo(db.port, 'standby') },
    });
    await standby.start();
    await streaming(db.port, 'standby');

    log(`writer: ${opts.rate} rows per second on the primary for ${opts.seconds} s`);
    writer = startWriter(1000 / opts.rate);
    writer.point(appUrl(db.port), 'primary');
    await sleep(opts.seconds * 1000);

    // Failover: the crash, the promotion, the first write.
    log('crash: SIGKILL of the primary\'s postmaster; promoting the standby');
    const timelineFirst = await timeline(db.port);
    const crashed = performance.now();
    await db.kill();
    await promote(standbyPort);
    const promoted = performance.now();
    const failoverProbe = await probe(standbyPort, 'promoted');
    const rtoSeconds = seconds(performance.now() - crashed);
    writer.point(appUrl(standbyPort), 'promoted');
    const presentAfterFailover = await ids(standbyPort);
    const timelineSecond = await timeline(standbyPort);
    log(`promoted: a write accepted ${rtoSeconds.toFixed(2)} s after the crash; the writer goes on there for ${opts.seconds} s`);
    await sleep(opts.seconds * 1000);

    // Failback: rewind the old primary onto the new timeline, follow, switch over.
    log('failback: pg_rewind of the crashed primary against the new primary');
    await query(standbyPort, 'CHECKPOINT'); // the control file names the new timeline (pg_rewind reads it)
    const rewindStarted = performance.now();
    await pgTool('pg_rewind', 'pg_rewind', ['--target-pgdata', db.dataDir, '--source-server', `${conninfo(standbyPort, 'pg_rewind')} dbname=postgres`, '--write-recovery-conf', '--no-sync']);
    const rewindSeconds = seconds(performance.now() - rewindStarted);
    rewound = await dataDirServer({
      name: 'old primary', who, dataDir: db.dataDir, host: db.host, port: db.port, logDir: workDir, role: 'standby',
      superuserUrl: superUrl(db.port), timeoutMs: 120_000,
      settings: { ...REPLICATION_SETTINGS, unix_socket_directories: db.socketDir, primary_conninfo: conninfo(standbyPort, 'old-primary') },
    });
    await rewound.start();
    await streaming(standbyPort, 'old-primary');
    const caughtUpFrom = performance.now();
    const replayed = async () => parseLsn((await query(db.port, 'SELECT pg_last_wal_replay_lsn()::text AS lsn')).lsn);
    const upstreamLsn = parseLsn((await query(standbyPort, 'SELECT pg_current_wal_lsn()::text AS lsn')).lsn);
    await waitFor(async () => ((await replayed()) >= upstreamLsn ? true : undefined), { what: 'the old primary replaying the new primary\'s WAL', timeoutMs: 120_000, intervalMs: 20 });
    const catchUpSeconds = seconds(performance.now() - caughtUpFrom);

    log('switchover: fast shutdown of the new primary, promotion of the old one');
    const switchStarted = performance.now();
    await standby.stop();
    const control = await pgTool('pg_controldata', 'pg_controldata', ['-D', standbyDir]);
    const shutdownLsn = parseLsn(/^Latest checkpoint location:\s+(\S+)$/m.exec(control.stdout)?.[1] ?? 'missing');
    await waitFor(async () => ((await replayed()) >= shutdownLsn ? true : undefined), { what: 'the old primary replaying the shutdown checkpoint', timeoutMs: 120_000, intervalMs: 10 });
    await promote(db.port);
    const failbackProbe = await probe(db.port, 'failedBack');
    const switchoverSeconds = seconds(performance.now() - switchStarted);
    writer.point(appUrl(db.port), 'failedBack');
    const timelineThird = await timeline(db.port);
    log(`switched over in ${switchoverSeconds.toFixed(2)} s; the writer goes on there for ${opts.seconds} s`);
    await sleep(opts.seconds * 1000);
    await writer.stop();
    const presentAtEnd = await ids(db.port);

    const acks = writer.acks;
    const verdict = judge({
      acks, presentAfterFailover, presentAtEnd, inDoubt: writer.inDoubt(),
      failover: { timelineBefore: timelineFirst, timelineAfter: timelineSecond, probeId: failoverProbe, rtoSeconds },
      failback: { timelineBefore: timelineSecond, timelineAfter: timelineThird, probeId: failbackProbe, switchoverSeconds },
    });
    const count = (role: Role) => acks.filter((a) => a.by === role).length;
    return {
      options: { rate: opts.rate, seconds: opts.seconds },
      serverVersion,
      replication,
      acked: { primary: count('primary'), promoted: count('promoted'), failedBack: count('failedBack') },
      ackedIds: acks.map((a) => a.id).sort((a, b) => a - b),
      presentIds: presentAtEnd,
      missingIds: verdict.missingIds,
      extraIds: verdict.extraIds,
      inDoubt: writer.inDoubt(),
      failover: { ...verdict.failover, promoteSeconds: seconds(promoted - crashed), rtoSeconds },
      failback: { ...verdict.failback, rewindSeconds, catchUpSeconds, switchoverSeconds },
      checks: verdict.checks,
      pass: verdict.pass,
    };
  } finally {
    await writer?.stop().catch(() => undefined);
    await rewound?.stop().catch(() => undefined);
    await standby?.stop().catch(() => undefined);
    await primary?.stop().catch(() => undefined);
    await rm(workDir, { recursive: true, force: true });
  }
}

/** What the drill did, in a few lines. */
export function formatFacts(r: FailoverReport): string {
  const f = r.failover;
  const b = r.failback;
  return [
    `- One writer, one row per transaction at ${r.options.rate} per second, ${r.options.seconds} s on each primary; ${r.replication} streaming replication (as rendered: no synchronous replicas).`,
    `- Acknowledged: ${r.acked.primary} rows by the primary, ${r.acked.promoted} by the promoted standby, ${r.acked.failedBack} by the old primary after failback; ${r.inDoubt} writes in doubt (connection lost during the commit).`,
    `- Failover: SIGKILL of the primary's postmaster, pg_promote ${f.promoteSeconds.toFixed(2)} s, first write accepted ${f.rtoSeconds.toFixed(2)} s after the crash (timeline ${f.timelineBefore} → ${f.timelineAfter}); lost ${f.lostIds.length} acknowledged rows${f.lostIds.length ? ` (ids ${f.lostIds.slice(0, 10).join(', ')}), ${f.lostSeconds.toFixed(3)} s of commits` : ''}.`,
    `- Failback: pg_rewind ${b.rewindSeconds.toFixed(2)} s (with its crash recovery of the old data directory), caught up in ${b.catchUpSeconds.toFixed(2)} s; switchover (fast shutdown to first write) ${b.switchoverSeconds.toFixed(2)} s (timeline ${b.timelineBefore} → ${b.timelineAfter}); lost ${b.lostIds.length}.`,
    `- At the end: ${r.presentIds.length} rows present, ${r.missingIds.length} acknowledged rows missing, ${r.extraIds.length} present but never acknowledged.`,
  ].join('\n');
}

/** The docs/BENCHMARKS.md section of one drill. */
export function benchmarkSection(report: FailoverReport, command: string): string {
  return drillSection('Failover and failback drill (scripts/drill/failover.ts)', command, report,
    'primary and standby on one machine (see docs/disaster-recovery.md).', formatFacts(report));
}

const USAGE = `Usage: npm run drill:failover [-- --rate N] [-- --seconds S] [-- --record]

Failover and failback drill on a real PostgreSQL 15: a primary and an asynchronous streaming standby,
a writer recording every acknowledged row; the primary is killed (SIGKILL) and the standby promoted;
the old primary is rewound (pg_rewind), follows, and a planned switchover makes it primary again.
Reports RTO, rows lost at the crash (RPO) and at the switchover against the targets (RPO 5 min, RTO 15 min).

  --rate N      rows per second, one per transaction (default 50)
  --seconds S   how long the writer runs on each of the three primaries (default 20)
  --record      append the figures to docs/BENCHMARKS.md
  -h, --help    this text

Exit 0 when every check passes, 1 otherwise, 2 on a usage error.`;

const DRILL_OPTIONS = {
  rate: { type: 'string', default: '50' },
  seconds: { type: 'string', default: '20' },
  record: { type: 'boolean', default: false },
} as const;

/** The drill options from the command line, or a one-line usage error. */
export function parseDrillArgs(argv: string[]): DrillArgs<Omit<FailoverOptions, 'log'>> {
  const parsed = parseDrillOptions({ name: 'drill:failover', usage: USAGE, options: DRILL_OPTIONS }, argv);
  if (!('values' in parsed)) return parsed;
  const { values } = parsed;
  const rate = wholeNumber(values.rate, 1, 1000);
  const secs = wholeNumber(values.seconds, 1, 3600);
  if (rate === undefined) return { error: `--rate must be an integer from 1 to 1000 rows per second (got "${values.rate}")` };
  if (secs === undefined) return { error: `--seconds must be an integer from 1 to 3600 (got "${values.seconds}")` };
  return { help: false, record: values.record, options: { rate, seconds: secs } };
}

if (import.meta.main) {
  runDrillCommand({
    name: 'drill:failover',
    usage: USAGE,
    parse: parseDrillArgs,
    run: (options, log) => runFailoverDrill({ ...options, log }),
    summary: (report) => `${formatChecks(report)}\n\n${formatFacts(report)}`,
    section: (report, o) => benchmarkSection(report, `npm run drill:failover -- --rate ${o.rate} --seconds ${o.seconds} --record`),
  });
}
