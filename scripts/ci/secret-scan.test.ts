// Secret scanning: gitleaks (built from the Go module proxy, scripts/harness/go-tools.ts) over every commit of the
// repository with the project's configuration (.gitleaks.toml), and the same configuration catching keys that a
// person could commit, in a scratch repository.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { ensureGoTool, GITLEAKS } from '../harness/go-tools.ts';

const repo = join(import.meta.dirname, '..', '..');
const CONFIG = join(repo, '.gitleaks.toml');

interface Finding {
  RuleID: string;
  File: string;
  StartLine: number;
  Commit: string;
  Secret: string;
}

/** Every finding of `gitleaks git` over the history of `dir`, with the project's configuration. */
async function scan(gitleaks: string, dir: string, scratch: string): Promise<Finding[]> {
  const report = join(scratch, `report-${Date.now()}.json`);
  const run = await execa(gitleaks, ['git', dir, '--config', CONFIG, '--no-banner', '--no-color', '--report-format', 'json', '--report-path', report, '--exit-code', '0'], { reject: false });
  assert.equal(run.exitCode, 0, run.stderr);
  return JSON.parse(readFileSync(report, 'utf8')) as Finding[];
}

describe('secret scanning (gitleaks)', () => {
  let gitleaks: string;
  const scratch = mkdtempSync(join(tmpdir(), 'gm-gitleaks-'));
  before(() => {
    gitleaks = ensureGoTool(GITLEAKS);
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('finds no secret in any commit of the repository', async () => {
    const findings = await scan(gitleaks, repo, scratch);
    assert.deepEqual(findings.map((f) => `${f.File}:${f.StartLine} ${f.RuleID} (commit ${f.Commit.slice(0, 8)})`), [], 'remove the secret from history and rotate it; a value that is not a secret goes into .gitleaks.toml with its reason');
  });

  it('catches a cloud key and a generic API key that someone commits, and lets the project\'s test keys through', async () => {
    const dir = join(scratch, 'repo');
    const git = (...args: string[]) => execa('git', ['-C', dir, '-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args]);
    await execa('git', ['init', '-q', dir]);
    // Built at run time, so that this file's own commit carries no key.
    const awsKey = ['AKIA', 'Z3MXQ4LRT7VYWB2N'].join('');
    const apiKey = ['x9Qv', 'T2mLpR8wZk4NcYd7', 'HsJ3bUeF6aG'].join('');
    writeFileSync(join(dir, 'deploy.env'), `AWS_REGION=eu-west-1\nAWS_ACCESS_KEY_ID=${awsKey}\n`);
    writeFileSync(join(dir, 'client.ts'), `export const api_key = '${apiKey}';\nexport const TEST_KEY = 'test-key-0123456789abcdef';\n`);
    await git('add', '.');
    await git('commit', '-q', '-m', 'config');
    const findings = await scan(gitleaks, dir, scratch);
    const found = findings.map((f) => [f.File, f.StartLine, f.Secret]).sort();
    assert.deepEqual(found, [['client.ts', 1, apiKey], ['deploy.env', 2, awsKey]]);
    assert.ok(findings.some((f) => f.File === 'deploy.env' && f.RuleID === 'aws-access-token'), JSON.stringify(findings));
  });
});
