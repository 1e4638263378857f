// The point-in-time-recovery drill on a real PostgreSQL 15 (small: ~2 000 rows, archive_timeout 1 s),
// its verdict and RPO arithmetic on made-up figures, and its command line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import {
  dataLossWindows,
  isoMicros,
  judge,
  parseCommits,
  parseDrillArgs,
  pickTarget,
  runPitrDrill,
  segmentIndex,
  TARGETS,
  type PitrReport,
} from './pitr.ts';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('PITR drill on a real PostgreSQL 15', () => {
  let report: PitrReport;

  it('recovers exactly the rows committed by the target time, within the RPO and RTO targets', async () => {
    report = await runPitrDrill({ rows: 600, seconds: 3, archiveTimeoutS: 1 });
    const { target } = report;
    // one writer: the rows committed by the target are ids 1..n, the next id committed after it
    assert.equal(target.firstIdAfter, target.lastIdBefore + 1);
    assert.deepEqual(report.expectedIds, range(1, target.lastIdBefore));
    assert.deepEqual(report.presentIds, report.expectedIds);
    assert.deepEqual(report.missingIds, []);
    assert.deepEqual(report.extraIds, []);
    // the target lies after the base backup and before the end of the writes
    assert.ok(report.presentIds.length > report.rowsBeforeBackup, `${report.presentIds.length} rows recovered, ${report.rowsBeforeBackup} before the backup`);
    assert.ok(report.presentIds.length < report.rowsWritten, `${report.presentIds.length} of ${report.rowsWritten} rows recovered`);
    assert.ok(report.rowsWritten >= 600);
    // the row straddling the target: written (clock_timestamp) before it, committed after it, absent
    assert.equal(report.writtenBeforeCommittedAfter, 1);
    assert.match(report.serverVersion, /^15\./);
  });

  it('reports RPO and RTO as figures under the targets', () => {
    const { rpo, rto } = report;
    for (const value of [rpo.atLossSeconds, rpo.worstSeconds, rto.seconds, rto.copySeconds, rto.replayAndPromoteSeconds]) {
      assert.ok(Number.isFinite(value) && value >= 0, `${value}`);
    }
    assert.ok(rpo.worstSeconds >= rpo.atLossSeconds);
    assert.ok(rpo.worstSeconds > 0 && rpo.worstSeconds < TARGETS.rpoSeconds);
    assert.ok(rto.seconds > 0 && rto.seconds < TARGETS.rtoSeconds);
    assert.ok(rpo.lastArchivedCommit <= rpo.lastCommit);
    assert.deepEqual(report.checks.map((c) => [c.what.split(':')[0], c.pass]), [
      ['rows recovered == rows committed by the target', true],
      ['RPO', true],
      ['RPO', true],
      ['RTO', true],
    ]);
    assert.equal(report.pass, true);
  });
});

describe('PITR verdict', () => {
  const figures = { expectedIds: [1, 2, 3], presentIds: [1, 2, 3], rpoAtLossS: 12, rpoWorstS: 61, rtoS: 42 };

  it('passes exact rows under the targets, with ratios to them', () => {
    const verdict = judge(figures);
    assert.equal(verdict.pass, true);
    assert.deepEqual(verdict.checks.map((c) => c.ratio), [undefined, 12 / 300, 61 / 300, 42 / 900]);
  });

  it('fails a missing row, an extra row, and a target missed', () => {
    const rows = judge({ ...figures, presentIds: [1, 3, 4] });
    assert.deepEqual([rows.missingIds, rows.extraIds, rows.pass], [[2], [4], false]);
    assert.equal(rows.checks[0].measured, '3 of 3 (missing 1, extra 1)');
    const slow = judge({ ...figures, rpoWorstS: 301, rtoS: 901 });
    assert.deepEqual(slow.checks.map((c) => c.pass), [true, true, false, false]);
    assert.equal(slow.pass, false);
  });
});

describe('PITR arithmetic', () => {
  const s = 1_000_000;
  const rows = [
    { id: 1, writtenUs: 10 * s, commitUs: 10 * s + 50 },
    { id: 2, writtenUs: 11 * s, commitUs: 11 * s + 50 },
    { id: 3, writtenUs: 12 * s, commitUs: 12 * s + 1 },
    { id: 4, writtenUs: 13 * s, commitUs: 13 * s + 50 },
  ];

  it('picks a target inside a commit, after the backup and before the archive ends; none when nothing fits', () => {
    // row 3 commits 1 µs after it was written: no room for a target inside it
    assert.deepEqual(pickTarget(rows, 10.5 * s, 14 * s), { k: 3, targetUs: 13 * s + 25 });
    assert.deepEqual(pickTarget(rows, 10.5 * s, 12 * s), { k: 1, targetUs: 11 * s + 25 });
    assert.equal(pickTarget(rows, 13.5 * s, 14 * s), undefined);
  });

  it('measures the data-loss window at the loss and at each archiving', () => {
    const segmentBytes = 16 * 2 ** 20;
    // segment 5 holds rows 1 and 2 and arrives at 11.5 s; segment 6 holds row 3 and arrives at 12.5 s
    const commits = [{ segment: 5, commitUs: rows[0].commitUs }, { segment: 5, commitUs: rows[1].commitUs }, { segment: 6, commitUs: rows[2].commitUs }];
    const segments = [{ index: 5, archivedUs: 11.5 * s }, { index: 6, archivedUs: 12.5 * s }];
    const windows = dataLossWindows(rows, segments, commits, 14 * s);
    assert.equal(windows.atLossUs, rows[3].commitUs - rows[2].commitUs);
    // worst: just before segment 5 arrived nothing was archived, and rows 1 and 2 had committed
    assert.equal(windows.worstUs, rows[1].commitUs - rows[0].writtenUs);
    assert.equal(dataLossWindows(rows, segments.slice(0, 1), commits.slice(0, 2), 12.2 * s).atLossUs, rows[2].commitUs - rows[1].commitUs);
    assert.equal(segmentIndex('000000010000000100000003', segmentBytes), 256 + 3);
  });

  it('reads commit records and their segment from pg_waldump output', () => {
    const out = [
      'rmgr: Transaction len (rec/tot):     34/    34, tx:        735, lsn: 0/0300A1B8, prev 0/0300A170, desc: COMMIT 2026-11-30 07:40:01.123456 UTC',
      'rmgr: Transaction len (rec/tot):     34/    34, tx:        736, lsn: 0/03FFFFF0, prev 0/03FFFFB8, desc: COMMIT 2026-11-30 07:40:02.5 UTC',
      'rmgr: Transaction len (rec/tot):    234/   234, tx:        737, lsn: 0/04000028, prev 0/03FFFFF0, desc: ABORT 2026-11-30 07:40:03.000001 UTC',
    ].join('\n');
    const commits = parseCommits(out, 16 * 2 ** 20);
    assert.deepEqual(commits.map((c) => [c.segment, isoMicros(c.commitUs)]), [
      [3, '2026-11-30T07:40:01.123456+00'],
      [4, '2026-11-30T07:40:02.500000+00'], // starts in segment 3, ends in 4
    ]);
  });
});

describe('drill:pitr command line', () => {
  it('takes rows, seconds, archive timeout and --record; defaults to the cluster archive_timeout', () => {
    assert.deepEqual(parseDrillArgs([]), { help: false, record: false, options: { rows: 18000, seconds: 180, archiveTimeoutS: 60 } });
    assert.deepEqual(parseDrillArgs(['--rows', '50', '--seconds', '6', '--archive-timeout', '2', '--record']), {
      help: false, record: true, options: { rows: 50, seconds: 6, archiveTimeoutS: 2 },
    });
    assert.deepEqual(parseDrillArgs(['-h']), { help: true });
  });

  it('refuses bad values with one line each', () => {
    assert.match((parseDrillArgs(['--rows', 'many']) as { error: string }).error, /^--rows must be an integer of at least 10 \(got "many"\)$/);
    assert.match((parseDrillArgs(['--seconds', '5']) as { error: string }).error, /^--seconds \(5\) must be at least 3 × --archive-timeout \(60\)/);
    assert.match((parseDrillArgs(['--archive-timeout', '0']) as { error: string }).error, /^--archive-timeout must be/);
    assert.match((parseDrillArgs(['--bogus']) as { error: string }).error, /^unknown option '--bogus'$/);
  });

  it('exits 2 with a one-line message and the usage on a usage error, and 0 on --help', () => {
    const cli = new URL('./pitr.ts', import.meta.url).pathname;
    const bad = spawnSync(process.execPath, [cli, '--rows', '-3'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.equal(bad.stdout, '');
    const [first, blank, usage] = bad.stderr.split('\n');
    assert.match(first, /^drill:pitr: .*--rows/);
    assert.equal(blank, '');
    assert.match(usage, /^Usage: npm run drill:pitr/);
    assert.doesNotMatch(bad.stderr, /^\s+at /m);
    const help = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: npm run drill:pitr/);
  });
});
