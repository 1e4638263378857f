// Every npm script follows one command-line convention (scripts/cli/command.ts): -h/--help prints the usage
// on stdout (exit 0); a usage mistake prints `<command>: <what is wrong>` and the usage on stderr (exit 2),
// before anything runs or is written, and never a stack trace.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';

const repo = join(import.meta.dirname, '..', '..');
const scripts: Record<string, string> = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).scripts;
const NOT_COMMANDS = new Set(['test', 'typecheck']);

/** A command as package.json runs it: node's flags and the entry file. */
function entryPoint(name: string): string[] {
  const words = scripts[name].split(/\s+/);
  const node = words.indexOf('node');
  assert.ok(node >= 0, `npm run ${name} does not run node: ${scripts[name]}`);
  const rest = words.slice(node + 1);
  const file = rest.findIndex((w) => w.endsWith('.ts'));
  assert.ok(file >= 0, `npm run ${name} names no .ts entry file: ${scripts[name]}`);
  return rest.slice(0, file + 1);
}

const commands = Object.keys(scripts).filter((name) => !NOT_COMMANDS.has(name));

async function run(name: string, ...args: string[]) {
  const r = await execa(process.execPath, [...entryPoint(name), ...args], { cwd: repo, reject: false, timeout: 60_000, env: { GITHUB_TOKEN: '' } });
  return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr };
}

/** A usage error: exit 2, `<name>: <problem>` first, then the usage; nothing on stdout; no stack trace. */
function assertUsageError(name: string, r: Awaited<ReturnType<typeof run>>, problem: RegExp) {
  assert.equal(r.code, 2, `npm run ${name}: exit ${r.code}\n${r.stderr}`);
  const [first, ...rest] = r.stderr.split('\n');
  assert.match(first, new RegExp(`^${name}: `));
  assert.match(first.slice(name.length + 2), problem);
  assert.match(rest.join('\n'), new RegExp(`^Usage: .*npm run ${name}\\b`, 'm'));
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
  assert.equal(r.stdout, '');
}

describe('every npm script', { concurrency: 4 }, () => {
  it('covers the commands of package.json', () => {
    const expected = ['render', 'model', 'validate', 'policy', 'diff', 'diff:comment', 'promote', 'docs:policies', 'broker', 'kafka:local', 'apps:dev'];
    expected.push('bench:render', 'bench:validate', 'bench:diff', 'bench:kafka', 'bench:broker', 'bench:ingest', 'bench:predict');
    for (const name of expected)
      assert.ok(commands.includes(name), name);
  });

  for (const name of commands) {
    it(`${name}: --help and -h print the usage on stdout and exit 0`, async () => {
      for (const flag of ['--help', '-h']) {
        const r = await run(name, flag);
        assert.equal(r.code, 0, `npm run ${name} ${flag}: exit ${r.code}\n${r.stderr}`);
        assert.match(r.stdout, new RegExp(`^Usage: .*npm run ${name}\\b`));
        assert.equal(r.stderr, '');
      }
    });

    it(`${name}: an unknown flag exits 2 with one line and the usage`, async () => {
      assertUsageError(name, await run(name, '--no-such-flag'), /^unknown option '--no-such-flag'$/);
    });
  }
});

describe('usage errors found after parsing', { concurrency: 4 }, () => {
  it('an unknown environment (render, model, validate, policy, kafka:local)', async () => {
    assertUsageError('render', await run('render', '--env', 'qa'), /unknown environment "qa"; known: dev, staging, prod/);
    assertUsageError('model', await run('model', '--env', 'qa'), /unknown environment "qa"; known: dev, staging, prod/);
    assertUsageError('validate', await run('validate', '--env', 'qa'), /unknown environment "qa"; known: dev, staging, prod/);
    assertUsageError('policy', await run('policy', '--env', 'qa', 'rendered/dev'), /unknown environment "qa"/);
    assertUsageError('kafka:local', await run('kafka:local', '--env', 'qa'), /unknown environment "qa"/);
  });

  it('a ref git does not know (diff --base nope)', async () => {
    assertUsageError('diff', await run('diff', '--base', 'nope'), /"nope" is not a commit/);
  });

  it('promoting to an unknown environment (promote --to qa)', async () => {
    assertUsageError('promote', await run('promote', '--all', '--from', 'staging', '--to', 'qa'), /--to: unknown environment "qa"/);
  });

  it('a malformed value of a bench option', async () => {
    assertUsageError('bench:kafka', await run('bench:kafka', '--runs', 'two'), /--runs must be a positive integer/);
  });

  it('docs:policies --bogus writes nothing', async () => {
    const path = join(repo, 'docs', 'POLICIES.md');
    const before = readFileSync(path);
    assertUsageError('docs:policies', await run('docs:policies', '--bogus'), /^unknown option '--bogus'$/);
    assert.ok(readFileSync(path).equals(before), 'docs/POLICIES.md is byte-identical');
  });
});
