// The rendered alerting rules, with the real promtool: `promtool check rules` on every environment's
// PrometheusRules, the catalog's unit tests (`promtool test rules`, policy-tests/alerting/units/), coverage of
// every rendered alert by a unit test, a runbook file behind every runbook_url, and known metric names only.
// Each check also runs on a broken input, to show it fails.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { stringify } from 'yaml';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadModel } from '../../render/sources.ts';
import { checkRules, removeRuleFiles, testRulesAgainst, writeRuleFiles } from '../../scripts/harness/promtool.ts';
import { alertsDoc } from './alerts-doc.ts';
import { SLO_UNITS_MODULE, coveredAlerts, sloCoveredAlerts, uncoveredAlerts } from './coverage.ts';
import { metricNameProblems, metricNames, metricSourcesFor, serviceMetricNames } from './metric-names.ts';
import { renderedQueries } from './panel-queries.ts';
import { type RenderedRuleFile, alertingRules, renderedEnvironments, renderedRuleFiles } from './rendered-rules.ts';
import { UNITS_DIR, UNITS_ENV, unitCases, unitCoverage, unitFiles, unitRuleFiles } from './units.ts';

const repo = join(import.meta.dirname, '..', '..');
const envs = renderedEnvironments();
const rules = new Map(envs.map((env) => [env, renderedRuleFiles(env)]));
const CATALOG_MINIMUM = 40;

describe('rendered rules', () => {
  test('every environment renders the catalog: at least 40 distinct alerts', () => {
    assert.deepEqual(envs, ['dev', 'prod', 'staging']);
    for (const env of envs) {
      const names = new Set(alertingRules(rules.get(env)!).map((r) => r.alert));
      assert.ok(names.size >= CATALOG_MINIMUM, `${env}: ${names.size} alerts`);
    }
  });

  test('promtool check rules passes on every PrometheusRule of every environment', async () => {
    for (const env of envs) {
      const files = rules.get(env)!;
      const dir = await writeRuleFiles(Object.fromEntries(files.map((f) => [`${f.name}.yaml`, f.groups])));
      const result = await checkRules(files.map((f) => join(dir, `${f.name}.yaml`)));
      await removeRuleFiles(dir);
      assert.ok(result.ok, `${env}:\n${result.output}`);
      assert.equal((result.output.match(/SUCCESS/g) ?? []).length, files.length, result.output);
    }
  });

  test('a rule whose expression does not parse fails promtool check rules, naming it', async () => {
    const dir = await writeRuleFiles({ 'broken.yaml': [{ name: 'broken', rules: [{ alert: 'Broken', expr: 'sum(rate(http_requests_total[5m]) > ', labels: { severity: 'warning', tenant: 'platform' } }] }] });
    const result = await checkRules([join(dir, 'broken.yaml')]);
    await removeRuleFiles(dir);
    assert.equal(result.ok, false);
    assert.match(result.output, /Broken|parse error/);
  });
});

describe('unit tests (promtool test rules)', () => {
  const groups = rules.get(UNITS_ENV)!.flatMap((f) => f.groups);

  test(`every unit test passes against the ${UNITS_ENV} rules`, async () => {
    const result = await testRulesAgainst(unitFiles(), unitRuleFiles(groups));
    assert.ok(result.ok, result.output);
    assert.ok(!/FAILED/.test(result.output), result.output);
  });

  test('a changed threshold makes the unit test fail, naming the alert', async () => {
    const changed = structuredClone(groups).map((g) => ({ ...g, rules: g.rules.map((r) => (r.alert === 'ServiceHighErrorRate' ? { ...r, expr: r.expr.replace(/> \d+$/, '> 50') } : r)) }));
    const result = await testRulesAgainst([join(UNITS_DIR, 'services.yaml')], unitRuleFiles(changed));
    assert.equal(result.ok, false);
    assert.match(result.output, /alertname: ServiceHighErrorRate/);
  });

  test('each catalog alert has a firing and a silent case', () => {
    const coverage = unitCoverage(unitCases());
    assert.deepEqual(coverage.noFiring, []);
    assert.deepEqual(coverage.noSilent, []);
    assert.ok(coverage.covered.size >= CATALOG_MINIMUM);
  });

  test('no unit test names an alert that is not rendered', () => {
    const rendered = new Set(alertingRules(rules.get(UNITS_ENV)!).map((r) => r.alert));
    assert.deepEqual([...new Set(unitCases().map((c) => c.alertname))].filter((n) => !rendered.has(n)), []);
  });
});

describe('coverage: every rendered alert has a unit test', () => {
  for (const env of envs) {
    test(env, async () => {
      assert.deepEqual(uncoveredAlerts(alertingRules(rules.get(env)!), await coveredAlerts(env)), []);
    });
  }

  test('an alert without a unit test is listed with its file', async () => {
    const extra: RenderedRuleFile = { path: 'rendered/prod/platform/x/prometheusrule-x.yaml', name: 'x', groups: [{ name: 'x', rules: [{ alert: 'SomethingUntested', expr: 'up == 0' }] }] };
    assert.deepEqual(uncoveredAlerts(alertingRules([...rules.get('prod')!, extra]), await coveredAlerts('prod')), [
      'SomethingUntested (rendered/prod/platform/x/prometheusrule-x.yaml) has no unit test: add a case where it fires and one where it stays silent to policy-tests/alerting/units/*.yaml',
    ]);
  });

  test(`the SLO suite (${existsSync(SLO_UNITS_MODULE) ? 'present' : 'absent'}) adds the alert names it covers`, async () => {
    if (existsSync(SLO_UNITS_MODULE)) assert.ok((await sloCoveredAlerts('prod')).size > 0);
    else assert.equal((await sloCoveredAlerts('prod')).size, 0);
    assert.equal((await sloCoveredAlerts('prod', join(repo, 'no-such-module.ts'))).size, 0);
  });
});

describe('runbooks', () => {
  const problems = (files: readonly RenderedRuleFile[], base: string) => alertingRules(files).flatMap((r) => {
    const url = r.annotations?.runbook_url ?? '';
    const expected = `${base}/docs/runbooks/${r.alert}.md`;
    if (url !== expected) return [`${r.alert} (${r.file}): runbook_url ${JSON.stringify(url)} is not ${expected}`];
    const file = join(repo, 'docs', 'runbooks', `${r.alert}.md`);
    if (!existsSync(file)) return [`${r.alert} (${r.file}): docs/runbooks/${r.alert}.md does not exist`];
    const text = readFileSync(file, 'utf8');
    return text.startsWith(`# ${r.alert}\n`) && /## What to do\n\n1\. /.test(text) ? [] : [`docs/runbooks/${r.alert}.md has no title or no numbered steps under "## What to do"`];
  });

  for (const env of envs) {
    test(`${env}: every alert links docs/runbooks/<alert>.md, and the file has steps`, () => {
      assert.deepEqual(problems(rules.get(env)!, loadModel(env).observability.runbookBaseUrl), []);
    });
  }

  test('a runbook_url to a missing file is reported', () => {
    const base = loadModel('prod').observability.runbookBaseUrl;
    const file: RenderedRuleFile = { path: 'p', name: 'p', groups: [{ name: 'p', rules: [{ alert: 'NoRunbook', expr: 'up == 0', annotations: { runbook_url: `${base}/docs/runbooks/NoRunbook.md` } }] }] };
    assert.deepEqual(problems([file], base), ['NoRunbook (p): docs/runbooks/NoRunbook.md does not exist']);
  });
});

describe('metric names', () => {
  const sourcesOf = (env: string, files: readonly RenderedRuleFile[]) => metricSourcesFor(loadModel(env), files.flatMap((f) => f.groups));
  const expressions = (files: readonly RenderedRuleFile[]) => files.flatMap((f) => f.groups.flatMap((g) => g.rules.map((r) => ({ where: `${f.path} ${r.alert ?? r.record}`, expr: r.expr }))));

  for (const env of envs) {
    test(`${env}: every metric a rule reads is a service metric, a recorded series or an exporter's`, async () => {
      const files = rules.get(env)!;
      assert.deepEqual(metricNameProblems(expressions(files), await sourcesOf(env, files)).map((p) => p.message), []);
    });
  }

  for (const env of envs) {
    test(`${env}: every metric a dashboard panel or an analysis template reads is known too`, async () => {
      const queries = renderedQueries(env);
      assert.ok(queries.some((q) => q.where.includes('analysistemplate-')) && queries.some((q) => q.where.includes('configmap-dashboard-')), 'both kinds are read');
      assert.deepEqual(metricNameProblems(queries, await sourcesOf(env, rules.get(env)!)).map((p) => p.message), []);
    });
  }

  test('an unknown metric in a dashboard panel or an analysis query is listed, naming the file and place', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gm-panels-'));
    try {
      mkdirSync(join(root, 'prod', 'monitoring'), { recursive: true });
      const panel = JSON.stringify({ panels: [{ targets: [{ expr: 'sum(rate(made_up_panel_total[5m]))' }] }] });
      writeFileSync(join(root, 'prod', 'monitoring', 'configmap-dashboard-x.yaml'), stringify({ kind: 'ConfigMap', metadata: { name: 'x' }, data: { 'x.json': panel } }));
      writeFileSync(join(root, 'prod', 'monitoring', 'analysistemplate-y.yaml'), stringify({ kind: 'AnalysisTemplate', metadata: { name: 'y' }, spec: { metrics: [{ name: 'err', provider: { prometheus: { query: 'made_up_ratio > 0' } } }] } }));
      const problems = metricNameProblems(renderedQueries('prod', root), await sourcesOf('prod', rules.get('prod')!)).map((p) => p.message);
      assert.equal(problems.length, 2);
      assert.match(problems[0], /analysistemplate-y\.yaml err: metric "made_up_ratio"/);
      assert.match(problems[1], /configmap-dashboard-x\.yaml x\.json#0: metric "made_up_panel_total"/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('names are read from selectors only: not functions, label names, strings, durations, numbers or keywords', () => {
    assert.deepEqual(metricNames('histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{service="a", le="0.5"}[5m]))) > 1e3'), ['http_request_duration_seconds_bucket']);
    assert.deepEqual(metricNames('kube_job_status_failed * on (namespace, job_name) group_left (owner_name) kube_job_owner{owner_kind="CronJob"} > 0'), ['kube_job_status_failed', 'kube_job_owner']);
    assert.deepEqual(metricNames('x offset 10m and bool y unless ignoring(a) z'), ['x', 'y', 'z']);
    assert.deepEqual(metricNames('{__name__="foo_total", job="a"} or rate(bar[$__rate_interval])'), ['foo_total', 'bar']);
    assert.deepEqual(metricNames('time() - max(velero_backup_last_successful_timestamp{schedule="daily"}) > 93600'), ['velero_backup_last_successful_timestamp']);
  });

  test('the service metrics come from service-kit\'s registry', async () => {
    const names = await serviceMetricNames();
    for (const name of ['http_requests_total', 'http_request_duration_seconds_bucket', 'kafka_messages_produced_total', 'kafka_consumer_lag', 'process_cpu_seconds_total']) assert.ok(names.has(name), name);
  });

  test('a rule using an unknown metric is listed as an error', async () => {
    const files = rules.get('prod')!;
    const problems = metricNameProblems([{ where: 'x.yaml Made', expr: 'rate(made_up_requests_total[5m]) > 0 and on (pod) kube_pod_info' }], await sourcesOf('prod', files));
    assert.deepEqual(problems.map((p) => p.name), ['made_up_requests_total']);
    assert.match(problems[0].message, /^x\.yaml Made: metric "made_up_requests_total" is exported by no service/);
  });
});

test('docs/alerts.md is up to date with the rendered rules and the unit tests (npm run docs:alerts)', () => {
  const current = readFileSync(join(repo, 'docs', 'alerts.md'), 'utf8');
  assert.equal(current, alertsDoc(), 'docs/alerts.md is stale: run npm run docs:alerts');
  for (const alert of new Set(alertingRules(rules.get(UNITS_ENV)!).map((r) => r.alert))) assert.ok(current.includes(`[${alert}](runbooks/${alert}.md)`), alert);
});
