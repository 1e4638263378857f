// The validate and policy commands: exit codes, usage errors, unparsable input, every output format.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execFileSync } from 'node:child_process';
import { policyCli, validateCli } from '../scripts/cli/validate-policy.ts';
import { deployment } from './fixtures/builders.ts';

let dir: string;
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'policy-cli-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const REG = ['--approved-registry', 'registry.example.com/gamemetrics/', '--no-model'];

describe('exit codes', () => {
  it('0 when clean', async () => {
    const f = file('good.yaml', deployment());
    assert.equal((await validateCli([f, '--no-model'])).code, 0);
    assert.equal((await policyCli([f, ...REG])).code, 0);
  });

  it('1 on error findings', async () => {
    const f = file('bad.yaml', deployment((d) => (d.spec.template.spec.containers[0].securityContext.privileged = true)));
    const r = await policyCli([f, ...REG]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /pss-baseline\/privileged/);
  });

  it('2 on unparsable YAML, naming file and line', async () => {
    const f = file('broken.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: {a: [1\n');
    const r = await validateCli([f, '--no-model']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /broken\.yaml:\d+: YAML error/);
  });

  it('2 on a missing path, an unknown option, format or rule set', async () => {
    assert.equal((await validateCli([join(dir, 'nope.yaml'), '--no-model'])).code, 2);
    assert.equal((await validateCli(['--bogus'])).code, 2);
    assert.equal((await policyCli(['--format', 'xml'])).code, 2);
    const r = await policyCli(['--ruleset', 'pss-strict']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown rule set pss-strict/);
  });

  it('prints help with --help', async () => {
    const v = await validateCli(['--help']);
    assert.equal(v.code, 0);
    assert.match(v.stdout, /Usage: npm run validate/);
    assert.match((await policyCli(['-h'])).stdout, /--ruleset/);
  });
});

describe('rule set selection', () => {
  it('--ruleset pss-baseline leaves restricted and best-practice findings out', async () => {
    const f = file('plain.yaml', deployment((d) => delete d.spec.template.spec.securityContext.seccompProfile));
    const all = JSON.parse((await policyCli([f, ...REG, '--format', 'json'])).stdout);
    assert.ok(all.findings.some((x: { ruleId: string }) => x.ruleId === 'pss-restricted/seccomp'));
    const baseline = await policyCli([f, ...REG, '--format', 'json', '--ruleset', 'pss-baseline']);
    assert.equal(baseline.code, 0);
    assert.deepEqual(JSON.parse(baseline.stdout).findings, []);
  });

  it('--ruleset takes comma-separated names; --list-rules lists the selection', async () => {
    const list = await policyCli(['--list-rules', '--ruleset', 'pss-baseline,platform']);
    assert.equal(list.code, 0);
    const ids = list.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0]);
    assert.ok(ids.includes('pss-baseline/privileged') && ids.includes('platform/approved-registries'));
    assert.ok(!ids.some((id) => id.startsWith('best-practices/') || id.startsWith('pss-restricted/')));
  });

  it('--approved-registry overrides the registries', async () => {
    const f = file('good2.yaml', deployment());
    const r = await policyCli([f, '--no-model', '--approved-registry', 'ghcr.io/', '--format', 'json', '--ruleset', 'platform']);
    assert.equal(r.code, 1);
    assert.equal(JSON.parse(r.stdout).findings[0].ruleId, 'platform/approved-registries');
  });
});

describe('formats', () => {
  let bad: string;
  before(() => {
    bad = file('fmt.yaml', deployment((d) => {
      d.spec.template.spec.containers[0].securityContext.privileged = true;
      d.metadata.annotations = { 'waivers.gamemetrics.dev/best-practices.replicas': 'canary runs one pod' };
      d.spec.replicas = 1;
    }));
  });

  it('text: one line per finding with file:line, document, object, path, rule', async () => {
    const r = await policyCli([bad, ...REG]);
    assert.match(r.stdout, /fmt\.yaml:\d+ \[doc 0\] Deployment\/team\/api spec\.template\.spec\.containers\[0\]\.securityContext\.privileged/);
    assert.match(r.stdout, /Waived findings \(1\)/);
    assert.doesNotMatch(r.stdout, /\x1b\[/);
  });

  it('json: findings and waived findings apart', async () => {
    const out = JSON.parse((await policyCli([bad, ...REG, '--format', 'json'])).stdout);
    assert.deepEqual(out.findings.map((f: { ruleId: string }) => f.ruleId), ['pss-baseline/privileged']);
    assert.equal(out.waived[0].ruleId, 'best-practices/replicas');
    assert.equal(out.waived[0].waiver.reason, 'canary runs one pod');
    assert.equal(out.errors, 1);
  });

  it('sarif: SARIF 2.1.0 with rules, locations and suppressions', async () => {
    const s = JSON.parse((await policyCli([bad, ...REG, '--format', 'sarif'])).stdout);
    assert.equal(s.version, '2.1.0');
    const run = s.runs[0];
    assert.ok(run.tool.driver.rules.some((r: { id: string }) => r.id === 'pss-baseline/privileged'));
    const priv = run.results.find((r: { ruleId: string }) => r.ruleId === 'pss-baseline/privileged');
    assert.equal(priv.level, 'error');
    assert.ok(priv.locations[0].physicalLocation.region.startLine > 1);
    assert.equal(run.results.find((r: { ruleId: string }) => r.ruleId === 'best-practices/replicas').suppressions[0].kind, 'external');
  });

  it('junit: a failing test case per document with findings', async () => {
    const x = (await policyCli([bad, ...REG, '--format', 'junit'])).stdout;
    assert.match(x, /^<\?xml/);
    assert.match(x, /<testsuites name="policy" tests="1" failures="1">/);
    assert.match(x, /<failure type="pss-baseline\/privileged"/);
  });

  it('github: workflow annotations', async () => {
    const lines = (await policyCli([bad, ...REG, '--format', 'github'])).stdout.split('\n');
    assert.ok(lines.some((l) => /^::error file=.*fmt\.yaml,line=\d+,title=pss-baseline\/privileged::/.test(l)));
    assert.ok(lines.some((l) => l.startsWith('::notice ') && l.includes('best-practices/replicas')));
  });
});

describe('npm scripts', () => {
  it('npm run validate and npm run policy run the commands', () => {
    const root = join(import.meta.dirname, '..');
    const node = process.execPath;
    const help = execFileSync(node, [join(root, 'scripts', 'validate.ts'), '--help'], { encoding: 'utf8' });
    assert.match(help, /Usage: npm run validate/);
    const f = file('priv.yaml', deployment((d) => (d.spec.template.spec.containers[0].securityContext.privileged = true)));
    assert.throws(() => execFileSync(node, [join(root, 'scripts', 'policy.ts'), f, ...REG], { encoding: 'utf8', stdio: 'pipe' }), (e: { status: number }) => e.status === 1);
  });
});
