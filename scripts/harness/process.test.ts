// The shared harness plumbing, with real processes and sockets.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { requireJava } from './kafka-jars.ts';
import { findCommand, freePort, isPortClash, requireCommand, runTool, spawnServer, startInTempDir, sweepStaleTempDirs, tailFile, waitFor } from './process.ts';

describe('freePort', () => {
  it('returns a port that can be bound on 127.0.0.1', async () => {
    const port = await freePort();
    assert.ok(port > 1024 && port < 65536);
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});

describe('waitFor', () => {
  it('resolves with the first defined value, treating errors as "not yet"', async () => {
    let calls = 0;
    const value = await waitFor(
      async () => {
        calls++;
        if (calls === 1) throw new Error('not listening');
        return calls === 3 ? 'ready' : undefined;
      },
      { what: 'probe', timeoutMs: 5_000, intervalMs: 1 },
    );
    assert.equal(value, 'ready');
    assert.equal(calls, 3);
  });

  it('times out with what, the last error and the detail', async () => {
    await assert.rejects(
      waitFor(async () => Promise.reject(new Error('connection refused')), {
        what: 'Thing on 127.0.0.1:1',
        timeoutMs: 50,
        intervalMs: 10,
        detail: () => 'log tail here',
      }),
      (error: Error) => {
        assert.match(error.message, /^Thing on 127\.0\.0\.1:1 was not ready after 50 ms \(last error: connection refused\)\nlog tail here$/);
        return true;
      },
    );
  });

  it('does not let a hanging probe stall the wait', async () => {
    let calls = 0;
    const value = await waitFor(
      async () => (++calls === 1 ? new Promise<undefined>(() => undefined) : 'answered'),
      { what: 'probe', timeoutMs: 5_000, intervalMs: 1, probeTimeoutMs: 50 },
    );
    assert.equal(value, 'answered');
    await assert.rejects(
      waitFor(async () => new Promise<undefined>(() => undefined), { what: 'Hung', timeoutMs: 100, probeTimeoutMs: 30, intervalMs: 1 }),
      /^Error: Hung was not ready after 100 ms \(last error: the readiness probe took longer than \d+ ms\)$/,
    );
  });

  it('stops early when abort reports a reason', async () => {
    await assert.rejects(
      waitFor(async () => undefined, { what: 'X', timeoutMs: 60_000, abort: () => 'x exited with code 1' }),
      /^Error: X did not become ready: x exited with code 1$/,
    );
  });
});

describe('spawnServer', () => {
  it('logs to the file, reports the exit and stops with the stop signal', async (t) => {
    const dir = await startInTempDir('gm-process-test-', async (d) => d);
    t.after(() => runTool('cleanup', 'rm', ['-rf', dir]));
    const logFile = join(dir, 'server.log');
    const proc = spawnServer({ name: 'sleeper', command: 'sh', args: ['-c', 'echo started; exec sleep 60'], logFile });
    await waitFor(async () => (tailFile(logFile).includes('started') ? true : undefined), { what: 'sleeper', timeoutMs: 5_000, intervalMs: 10 });
    assert.equal(proc.exited(), undefined);
    await proc.stop(5_000);
    assert.equal(proc.exited(), 'sleeper was killed by SIGTERM');
    assert.equal(readFileSync(logFile, 'utf8'), 'started\n');
  });

  it('kill() crashes the process and waits for the children it had to exit on their own', async (t) => {
    const dir = await startInTempDir('gm-process-test-', async (d) => d);
    t.after(() => runTool('cleanup', 'rm', ['-rf', dir]));
    const running = (pid: number) => existsSync(`/proc/${pid}`) && !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    const start = async (name: string, childSeconds: number) => {
      const logFile = join(dir, `${name}.log`);
      const proc = spawnServer({ name, command: 'sh', args: ['-c', `sleep ${childSeconds} & echo $!; exec sleep 60`], logFile });
      const child = await waitFor(async () => Number(tailFile(logFile)) || undefined, { what: name, timeoutMs: 5_000, intervalMs: 10 });
      return { proc, child };
    };
    // a child that outlives its parent by a moment: kill() resolves only once it is gone
    const brief = await start('brief', 1);
    await brief.proc.kill(10_000);
    assert.equal(brief.proc.exited(), 'brief was killed by SIGKILL');
    assert.equal(running(brief.child), false);
    // a child that does not go: kill() names it after the timeout
    const stubborn = await start('stubborn', 60);
    t.after(() => process.kill(stubborn.child, 'SIGKILL'));
    await assert.rejects(stubborn.proc.kill(300), new RegExp(`^Error: stubborn was killed, but its children ${stubborn.child} still run after 300 ms$`));
    assert.equal(stubborn.proc.exited(), 'stubborn was killed by SIGKILL');
  });

  it('reports a process that exits on its own with its code', async (t) => {
    const dir = await startInTempDir('gm-process-test-', async (d) => d);
    t.after(() => runTool('cleanup', 'rm', ['-rf', dir]));
    const proc = spawnServer({ name: 'quitter', command: 'sh', args: ['-c', 'echo bye >&2; exit 3'], logFile: join(dir, 'q.log') });
    await waitFor(async () => proc.exited(), { what: 'quitter exit', timeoutMs: 5_000, intervalMs: 10 });
    assert.equal(proc.exited(), 'quitter exited with code 3');
    assert.equal(tailFile(join(dir, 'q.log')), 'bye');
  });
});

describe('startInTempDir', () => {
  it('retries in a new dir after a port clash and deletes the failed dir', async () => {
    const dirs: string[] = [];
    const result = await startInTempDir('gm-process-test-', async (dir) => {
      dirs.push(dir);
      if (dirs.length === 1) throw new Error('kafka exited with code 1\nSocket server failed to bind: Address already in use');
      return dir;
    });
    assert.equal(dirs.length, 2);
    assert.equal(result, dirs[1]);
    assert.equal(existsSync(dirs[0]), false);
    assert.equal(existsSync(dirs[1]), true);
    await runTool('cleanup', 'rm', ['-rf', dirs[1]]);
  });

  it('does not retry other failures, and deletes the dir', async () => {
    const dirs: string[] = [];
    await assert.rejects(
      startInTempDir('gm-process-test-', async (dir) => {
        dirs.push(dir);
        throw new Error('initdb failed');
      }),
      /initdb failed/,
    );
    assert.equal(dirs.length, 1);
    assert.equal(existsSync(dirs[0]), false);
  });

  it('sweeps dirs of dead harness processes and keeps those of live ones', async () => {
    const dead = spawnSync('true').pid; // exited by the time spawnSync returns
    assert.ok(dead);
    const stale = join(tmpdir(), `gm-sweep-test-${dead}-abc`);
    const live = join(tmpdir(), `gm-sweep-test-${process.pid}-abc`);
    const other = join(tmpdir(), 'gm-sweep-test-notapid');
    for (const dir of [stale, live, other]) mkdirSync(join(dir, 'data'), { recursive: true });
    try {
      assert.deepEqual(await sweepStaleTempDirs('gm-sweep-test-'), [stale]);
      assert.deepEqual([stale, live, other].map((d) => existsSync(d)), [false, true, true]);
    } finally {
      for (const dir of [stale, live, other]) rmSync(dir, { recursive: true, force: true });
    }
  });

  it('recognises the bind errors of Kafka, PostgreSQL and Redis', () => {
    assert.equal(isPortClash(new Error('java.net.BindException: Address already in use')), true);
    assert.equal(isPortClash(new Error('LOG:  could not bind IPv4 address "127.0.0.1": Address already in use')), true);
    assert.equal(isPortClash(new Error('Warning: Could not create server TCP listening socket 127.0.0.1:6379: bind: Address already in use')), true);
    assert.equal(isPortClash(new Error('authentication failed')), false);
  });
});

describe('commands', () => {
  it('finds programs on PATH and explains a missing one', () => {
    assert.match(findCommand('sh') ?? '', /\/sh$/);
    assert.equal(findCommand('gm-no-such-program'), undefined);
    assert.throws(() => requireCommand('gm-no-such-program', 'Install it with: apt-get install -y gm'), {
      message: "'gm-no-such-program' is not installed or not on PATH. Install it with: apt-get install -y gm",
    });
  });

  it('names the missing Java toolchain and how to install it', (t) => {
    const path = process.env.PATH;
    t.after(() => {
      process.env.PATH = path;
    });
    process.env.PATH = '/nonexistent';
    assert.throws(() => requireJava(), {
      message: "'java' is not installed or not on PATH. Install a JDK 17 and Maven (Debian: apt-get install -y openjdk-17-jdk-headless maven), or run scripts/harness/setup.sh.",
    });
    process.env.PATH = path;
    assert.doesNotThrow(() => requireJava());
  });

  it('runTool returns the output, and fails with the command and its output', async () => {
    assert.equal((await runTool('echo', 'sh', ['-c', 'echo hi'])).stdout, 'hi\n');
    assert.equal((await runTool('cat', 'cat', [], { input: 'piped' })).stdout, 'piped');
    await assert.rejects(runTool('Formatting', 'sh', ['-c', 'echo broken >&2; exit 2']), {
      message: 'Formatting failed (exit 2): sh -c echo broken >&2; exit 2\nbroken',
    });
    await assert.rejects(runTool('Waiting', 'sleep', ['5'], { timeoutMs: 200 }), { message: 'Waiting failed (timed out after 200 ms): sleep 5' });
  });
});
