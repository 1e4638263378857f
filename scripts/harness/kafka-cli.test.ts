// `npm run broker` as a person uses it: start, read the printed credentials, log in, Ctrl-C.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import kafkajs from 'kafkajs';
import { waitFor } from './process.ts';

const CLI = join(dirname(fileURLToPath(import.meta.url)), 'kafka-cli.ts');

/** Starts the CLI and collects its output. */
function runCli(args: string[]) {
  const child = spawn(process.execPath, ['--disable-warning=TimeoutNegativeWarning', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

describe('npm run broker (kafka-cli.ts)', () => {
  it('rejects malformed --users before starting anything, naming every bad entry', async () => {
    const cli = runCli(['--users', 'ok:pw,nopassword,:nouser']);
    assert.equal(await cli.exited, 2);
    assert.equal(cli.output().split('\n')[0], "broker: --users: expected name:password pairs separated by commas; not understood: 'nopassword', ':nouser'");
    assert.match(cli.output(), /^Usage: npm run broker/m);
  });

  it('prints working credentials and stops cleanly on Ctrl-C (SIGINT), deleting its data', async (t) => {
    const cli = runCli(['--users', 'ingest:ingest-pw']);
    t.after(() => cli.child.kill('SIGKILL'));
    await waitFor(async () => (cli.output().includes('Ctrl-C stops the broker') ? true : undefined), {
      what: 'the CLI banner',
      timeoutMs: 120_000,
      abort: () => (cli.child.exitCode === null ? undefined : `the CLI exited with ${cli.child.exitCode}`),
      detail: cli.output,
    });
    const text = cli.output();
    const bootstrap = /bootstrap {3}(127\.0\.0\.1:\d+)/.exec(text)?.[1];
    const logFile = /log {9}(\S+)/.exec(text)?.[1];
    assert.ok(bootstrap && logFile, text);
    assert.match(text, /user {8}ingest \/ ingest-pw/);
    assert.match(text, /"mechanism": "scram-sha-512"/);

    // the printed user can log in
    const kafka = new kafkajs.Kafka({
      brokers: [bootstrap],
      sasl: { mechanism: 'scram-sha-512', username: 'ingest', password: 'ingest-pw' },
      logLevel: kafkajs.logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    assert.equal((await admin.describeCluster()).brokers.length, 1);
    await admin.disconnect();

    cli.child.kill('SIGINT');
    assert.equal(await cli.exited, 0);
    assert.match(cli.output(), /SIGINT: stopping the broker\.\.\.\nBroker stopped\.\n$/);
    assert.equal(existsSync(dirname(logFile)), false);
  });
});
