// The rendered rules under promtool: `promtool check rules` on every PrometheusRule of every environment,
// and the generated SLO alert unit tests (slo-units.ts) with `promtool test rules`.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { execa } from 'execa';
import { parse, stringify } from 'yaml';
import { PAGE_ALERT, TICKET_ALERT } from '../../generators/observability/slo/rules.ts';
import { listFiles } from '../../render/tree-writer.ts';
import { environmentNames, loadModel } from '../../render/sources.ts';
import { requireCommand } from '../../scripts/harness/process.ts';
import { sloUnitTests } from './slo-units.ts';

const REPO = join(import.meta.dirname, '..', '..');
const ENVS = environmentNames();

/** Every PrometheusRule of rendered/<env>, by path. */
async function renderedRuleObjects(env: string): Promise<Array<{ path: string; spec: { groups: unknown[] } }>> {
  const dir = join(REPO, 'rendered', env);
  const out = [];
  // A further region's rules are the primary's (generators/argocd/regions.test.ts).
  for (const path of listFiles(dir).filter((p) => p.includes('prometheusrule-') && !p.startsWith('regions/'))) {
    const object = parse(await readFile(join(dir, path), 'utf8')) as { kind: string; spec: { groups: unknown[] } };
    if (object.kind === 'PrometheusRule') out.push({ path, spec: object.spec });
  }
  return out;
}

describe('rendered Prometheus rules (promtool)', () => {
  let work: string;
  before(async () => {
    requireCommand('promtool', 'Install it with: apt-get install -y prometheus (or run scripts/harness/setup.sh).');
    work = await mkdtemp(join(tmpdir(), 'gm-promtool-check-'));
  });
  after(() => rm(work, { recursive: true, force: true }));

  for (const env of ENVS)
    test(`promtool check rules passes on every rule group of rendered/${env}`, async () => {
      const objects = await renderedRuleObjects(env);
      const model = loadModel(env);
      const withSlos = model.services.filter((s) => s.slos.length > 0);
      assert.ok(objects.length >= withSlos.length, `rendered/${env} has ${objects.length} PrometheusRules for ${withSlos.length} services with SLOs`);
      const files = [];
      for (const [i, object] of objects.entries()) {
        const file = join(work, `${env}-${i}.rules.yaml`);
        await writeFile(file, stringify({ groups: object.spec.groups }, { lineWidth: 0 }));
        files.push(file);
      }
      const result = await execa('promtool', ['check', 'rules', ...files], { reject: false, all: true });
      assert.equal(result.exitCode, 0, `promtool check rules failed on rendered/${env}:\n${result.all}`);
      const groups = objects.reduce((n, o) => n + o.spec.groups.length, 0);
      const sloCount = withSlos.reduce((n, s) => n + s.slos.length, 0);
      assert.ok(groups >= sloCount, `${groups} rule groups for ${sloCount} SLOs`);
    });

  for (const env of ENVS)
    test(`SLO alert unit tests pass for every SLO of ${env}: page and ticket fire when they should, and only then`, async () => {
      const suite = await sloUnitTests(env);
      try {
        assert.deepEqual(suite.alertnames, [PAGE_ALERT, TICKET_ALERT]);
        const slos = loadModel(env).services.reduce((n, s) => n + s.slos.length, 0);
        assert.equal(suite.cases, slos * 6, 'six cases per SLO');
        const result = await suite.run();
        assert.ok(result.ok, `promtool test rules failed:\n${result.output}`);
      } finally {
        await suite.cleanup();
      }
    });

  test('the generated unit tests catch a broken rule: a page threshold of 0.5 × budget fails "no page at 1 × budget"', async () => {
    const suite = await sloUnitTests('dev');
    try {
      const tests = suite.files.filter((f) => f.includes('slo-event-ingestion-availability.1m.'));
      assert.equal(tests.length, 1);
      const rules = tests[0].replace(/\.1m\.test\.yaml$/, '.rules.yaml');
      const text = await readFile(rules, 'utf8');
      assert.ok(text.includes('(14.4 * 0.001)'));
      await writeFile(rules, text.replaceAll('(14.4 * 0.001)', '(0.5 * 0.001)'));
      const result = await execa('promtool', ['test', 'rules', tests[0]], { reject: false, all: true });
      assert.equal(result.exitCode, 1, result.all);
      assert.match(result.all ?? '', /no page at 1 × budget/);
      assert.match(result.all ?? '', /SLOErrorBudgetBurnPage/);
    } finally {
      await suite.cleanup();
    }
  });
});
