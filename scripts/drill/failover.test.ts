// The failover and failback drill on a real PostgreSQL 15 (small: 50 rows per second, 1 s on each
// primary), its verdict on made-up figures, and its command line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import { judge, lostRows, parseDrillArgs, parseLsn, runFailoverDrill, type Ack, type FailoverReport, type Measured } from './failover.ts';
import { TARGETS } from './shared.ts';

describe('failover drill on a real PostgreSQL 15', () => {
  let report: FailoverReport;

  it('fails over to the promoted standby and back to the rewound primary, losing nothing in the switchover', async () => {
    report = await runFailoverDrill({ rate: 50, seconds: 1 });
    assert.match(report.serverVersion, /^15\./);
    assert.equal(report.replication, 'asynchronous');
    // writes were acknowledged by each of the three primaries in turn (the probe and the writer's rows)
    assert.ok(report.acked.primary > 0 && report.acked.promoted > 1 && report.acked.failedBack > 1, JSON.stringify(report.acked));
    // both promotions happened: each on a new timeline, each with a first write acknowledged
    assert.deepEqual([report.failover.timelineBefore, report.failover.timelineAfter, report.failback.timelineAfter], [1, 2, 3]);
    assert.ok(report.failover.probeId > 0 && report.failback.probeId > 0);
    // what the crash lost is exactly what is missing at the end; nothing else is missing
    assert.deepEqual(report.missingIds, report.failover.lostIds);
    const present = new Set(report.presentIds);
    for (const id of report.ackedIds) assert.equal(present.has(id), !report.failover.lostIds.includes(id), `id ${id}`);
    assert.ok(report.extraIds.length <= report.inDoubt, `${report.extraIds.length} unacknowledged rows, ${report.inDoubt} writes in doubt`);
    // the planned switchover lost nothing
    assert.deepEqual(report.failback.lostIds, []);
    assert.equal(report.failback.lostSeconds, 0);
  });

  it('reports RTO, RPO and switchover figures within the targets, every check passing', () => {
    const { failover, failback } = report;
    for (const value of [failover.rtoSeconds, failover.promoteSeconds, failback.rewindSeconds, failback.catchUpSeconds, failback.switchoverSeconds]) {
      assert.ok(Number.isFinite(value) && value >= 0, `${value}`);
    }
    assert.ok(failover.rtoSeconds >= failover.promoteSeconds);
    assert.ok(failover.rtoSeconds < TARGETS.rtoSeconds && failover.lostSeconds < TARGETS.rpoSeconds);
    assert.deepEqual(report.checks.map((c) => [c.what.split(':')[0], c.pass]), [
      ['failover', true], ['RTO', true], ['RPO', true], ['failback', true], ['switchover', true], ['switchover', true],
      ['rows at the end == every acknowledged row but those lost at the crash', true],
    ]);
    assert.equal(report.pass, true);
  });

  it('leaves no server process or temp dir behind', () => {
    assert.deepEqual(readdirSync(tmpdir()).filter((name) => name.startsWith(`gm-failover-${process.pid}-`) || name.startsWith(`gm-postgres-${process.pid}-`)), []);
    assert.equal(readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8').trim(), '');
  });
});

describe('failover verdict', () => {
  const s = 1_000_000;
  const ack = (id: number, at: number, by: Ack['by']): Ack => ({ id, ackUs: at * s, by });
  const acks = [ack(1, 1, 'primary'), ack(2, 2, 'primary'), ack(3, 3, 'primary'), ack(4, 4, 'primary'), ack(40, 10, 'promoted'), ack(41, 11, 'promoted'), ack(80, 20, 'failedBack')];
  const measured: Measured = {
    acks,
    presentAfterFailover: [1, 2, 40],
    presentAtEnd: [1, 2, 40, 41, 42, 80],
    inDoubt: 1,
    failover: { timelineBefore: 1, timelineAfter: 2, probeId: 40, rtoSeconds: 3 },
    failback: { timelineBefore: 2, timelineAfter: 3, probeId: 80, switchoverSeconds: 1 },
  };

  it('counts the rows the crash lost and the span of commits they stand for', () => {
    assert.deepEqual(lostRows(acks.slice(0, 4), [1, 2]), { lostIds: [3, 4], lostSeconds: 2 });
    assert.deepEqual(lostRows(acks.slice(0, 4), [1, 2, 3, 4]), { lostIds: [], lostSeconds: 0 });
    // nothing survived before the first lost row: the span starts at it
    assert.deepEqual(lostRows(acks.slice(0, 2), []), { lostIds: [1, 2], lostSeconds: 1 });
  });

  it('passes a crash that lost rows within the RPO and a switchover that lost none', () => {
    const verdict = judge(measured);
    assert.deepEqual([verdict.failover.lostIds, verdict.failback.lostIds, verdict.missingIds, verdict.extraIds], [[3, 4], [], [3, 4], [42]]);
    assert.equal(verdict.checks[2].measured, '2 rows, 2.00 s');
    assert.equal(verdict.pass, true);
  });

  it('fails a switchover that lost a row, an unexplained extra row, a missed promotion and missed targets', () => {
    const lost = judge({ ...measured, presentAtEnd: [1, 2, 40, 80] });
    assert.deepEqual(lost.failback.lostIds, [41]);
    assert.deepEqual(lost.checks.map((c) => c.pass), [true, true, true, true, true, false, false]);
    assert.equal(judge({ ...measured, inDoubt: 0 }).checks[6].pass, false);
    const noPromotion = judge({ ...measured, failback: { ...measured.failback, timelineAfter: 2 } });
    assert.deepEqual(noPromotion.checks.map((c) => c.pass), [true, true, true, false, true, true, true]);
    const slow = judge({
      ...measured,
      acks: [ack(1, 1, 'primary'), ack(2, 400, 'primary'), ...acks.slice(4)],
      presentAfterFailover: [1, 40],
      presentAtEnd: [1, 40, 41, 80],
      failover: { ...measured.failover, rtoSeconds: 901 },
    });
    assert.deepEqual(slow.checks.map((c) => c.pass), [true, false, false, true, true, true, true]);
    assert.equal(slow.pass, false);
  });

  it('reads LSNs', () => {
    assert.equal(parseLsn('0/3000148'), 0x3000148);
    assert.equal(parseLsn('1/0'), 2 ** 32);
    assert.throws(() => parseLsn('nope'), /unexpected LSN "nope"/);
  });
});

describe('drill:failover command line', () => {
  it('takes rate, seconds and --record', () => {
    assert.deepEqual(parseDrillArgs([]), { help: false, record: false, options: { rate: 50, seconds: 20 } });
    assert.deepEqual(parseDrillArgs(['--rate', '200', '--seconds', '5', '--record']), { help: false, record: true, options: { rate: 200, seconds: 5 } });
    assert.deepEqual(parseDrillArgs(['--help']), { help: true });
  });

  it('refuses bad values with one line each', () => {
    assert.match((parseDrillArgs(['--rate', '0']) as { error: string }).error, /^--rate must be an integer from 1 to 1000 rows per second \(got "0"\)$/);
    assert.match((parseDrillArgs(['--seconds', '1.5']) as { error: string }).error, /^--seconds must be an integer from 1 to 3600 \(got "1.5"\)$/);
    assert.match((parseDrillArgs(['--bogus']) as { error: string }).error, /^unknown option '--bogus'$/);
  });

  it('exits 2 with a one-line message and the usage on a usage error, and 0 on --help', () => {
    const cli = new URL('./failover.ts', import.meta.url).pathname;
    const bad = spawnSync(process.execPath, [cli, '--rate', 'fast'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.equal(bad.stdout, '');
    const [first, blank, usage] = bad.stderr.split('\n');
    assert.match(first, /^drill:failover: --rate must be/);
    assert.equal(blank, '');
    assert.match(usage, /^Usage: npm run drill:failover/);
    assert.doesNotMatch(bad.stderr, /^\s+at /m);
    const help = spawnSync(process.execPath, [cli, '-h'], { encoding: 'utf8' });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: npm run drill:failover/);
  });
});
