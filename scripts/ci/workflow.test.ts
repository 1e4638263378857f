// The CI workflow, checked locally: it parses, runs what the pull-request review needs, and every
// npm script and file it calls exists. CODEOWNERS gives production and policies to the platform owners.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';

const repo = join(import.meta.dirname, '..', '..');
const workflow = parse(readFileSync(join(repo, '.github/workflows/ci.yml'), 'utf8')) as {
  on: Record<string, unknown>;
  jobs: Record<string, { steps: Array<{ run?: string; uses?: string; with?: Record<string, unknown>; if?: string }>; permissions?: Record<string, string> }>;
};
const scripts = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
const runs = steps.flatMap((s) => (s.run ? [s.run] : []));

/** npm scripts a shell command calls: `npm run [--silent] <name>`, `npm test`. */
function npmScriptsCalled(command: string): string[] {
  const called = [...command.matchAll(/\bnpm\s+run(?:\s+--?[\w-]+)*\s+([\w:.-]+)/g)].map((m) => m[1]);
  if (/\bnpm\s+(test|t)\b/.test(command)) called.push('test');
  return called;
}

describe('.github/workflows/ci.yml', () => {
  it('runs on every pull request', () => {
    assert.ok('pull_request' in workflow.on);
  });

  it('calls only npm scripts that exist in package.json', () => {
    const called = runs.flatMap(npmScriptsCalled);
    assert.ok(called.length >= 6, `found ${called.join(', ')}`);
    assert.deepEqual(called.filter((name) => !(name in scripts)), []);
  });

  it('finds the npm scripts in a command (and would catch a missing one)', () => {
    assert.deepEqual(npmScriptsCalled('npm run --silent diff -- --base HEAD^1 && npm test'), ['diff', 'test']);
    assert.ok(!('no-such-script' in scripts) && npmScriptsCalled('npm run no-such-script').includes('no-such-script'));
  });

  it('refers only to files that exist', () => {
    const files = runs.flatMap((r) => [...r.matchAll(/\b((?:scripts|\.ci)\/[\w./-]+\.(?:sh|ts))\b/g)].map((m) => m[1]));
    assert.deepEqual(files.filter((f) => !existsSync(join(repo, f))), []);
  });

  it('installs, checks rendered/, uploads validate and policy SARIF, tests, and posts the diff', () => {
    assert.ok(runs.some((r) => /^npm ci\b/.test(r)));
    assert.ok(runs.some((r) => /npm run render -- --check/.test(r)));
    for (const tool of ['validate', 'policy']) {
      assert.ok(runs.some((r) => new RegExp(`npm run --silent ${tool} -- --format sarif > ${tool}\\.sarif`).test(r)), tool);
      const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif') && s.with?.sarif_file === `${tool}.sarif`);
      assert.ok(upload, `${tool}.sarif is uploaded`);
      assert.match(upload.if ?? '', /!cancelled\(\)/, 'uploaded even when findings fail the step');
    }
    assert.ok(workflow.jobs.checks.permissions?.['security-events'] === 'write');
    assert.ok(runs.some((r) => /^npm test$/.test(r)));
    assert.ok(runs.some((r) => /npm run --silent diff -- --base HEAD\^1 --format markdown --out-dir diff-comments/.test(r)));
    assert.ok(runs.some((r) => /npm run --silent diff:comment -- --dir diff-comments/.test(r)));
    assert.equal(workflow.jobs['review-diff'].permissions?.['pull-requests'], 'write');
  });
});

describe('a fresh machine needs two commands', () => {
  const TWO = ['npm ci && npm run render', 'npm test'];

  it('the README opens with them', () => {
    const block = /```sh\n([\s\S]*?)```/.exec(readFileSync(join(repo, 'README.md'), 'utf8'))![1];
    assert.deepEqual(block.trim().split('\n').map((line) => line.replace(/#.*$/, '').trim()), TWO);
  });

  it('.ci/run runs exactly them', () => {
    const commands = readFileSync(join(repo, '.ci/run'), 'utf8').split('\n').filter((l) => l.trim() && !/^\s*(#|set |cd |echo )/.test(l));
    assert.deepEqual(commands, TWO);
  });

  it('the CI test job runs exactly them', () => {
    assert.deepEqual(workflow.jobs.test.steps.flatMap((s) => (s.run && !s.run.startsWith('git config') ? [s.run] : [])), TWO);
  });

  it('npm test sets the machine up first', () => {
    assert.match(scripts.test, /^bash scripts\/harness\/setup\.sh && tsc -p \. && /);
  });
});

describe('.github/CODEOWNERS', () => {
  const owners = new Map(readFileSync(join(repo, '.github/CODEOWNERS'), 'utf8').split('\n')
    .filter((l) => l.trim() && !l.startsWith('#')).map((l) => l.trim().split(/\s+/)).map(([path, ...who]) => [path, who]));

  it('gives production, policies, waivers and policy tests to the platform owners', () => {
    for (const path of ['/environments/prod/', '/model/policies.ts', '/policy-tests/']) assert.deepEqual(owners.get(path), ['@gamemetrics/platform'], path);
  });

  it('names paths that exist', () => {
    assert.deepEqual([...owners.keys()].filter((p) => !existsSync(join(repo, p))), []);
  });
});
