// The Grafana dashboards: dashboards.json is what the SDK builds from the models now (not stale), every
// rendered ConfigMap carries a dashboard for Grafana's sidecar, the SLO dashboards use contract 1's series for
// each SLO of their service, and every PromQL expression parses with the real Prometheus parser (promtool).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { stringify } from 'yaml';
import { dashboardExpressions } from '../../generators/observability/dashboards/build.ts';
import { DASHBOARDS_FILE } from '../../generators/observability/dashboards/config-maps.ts';
import { OBSERVABILITY_COMPONENT } from '../../model/platform-components.ts';
import { environmentNames, loadModel } from '../../render/sources.ts';
import { allDashboards } from '../cli/dashboards.ts';
import { requireCommand } from '../harness/process.ts';
import { REPO, renderedObject } from './rendered-stack.ts';

const promtool = requireCommand('promtool', 'Install it with: apt-get install -y prometheus (or run scripts/harness/setup.sh).');
const dir = mkdtempSync(join(tmpdir(), 'gm-dashboards-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** promtool check rules over one recording rule per expression; returns its exit status and output. */
function checkExpressions(name: string, exprs: string[]): { status: number | null; out: string } {
  const file = join(dir, `${name}.yml`);
  writeFileSync(file, stringify({ groups: [{ name, rules: exprs.map((expr, i) => ({ record: `dashboard:expr_${i}`, expr })) }] }));
  const r = spawnSync(promtool, ['check', 'rules', file], { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** The dashboards rendered for one environment, by uid, read back from their ConfigMaps. */
function renderedDashboards(env: string): Record<string, any> {
  const folder = join('platform', OBSERVABILITY_COMPONENT, loadModel(env).platform.monitoring.namespace);
  const out: Record<string, any> = {};
  for (const f of readdirSync(join(REPO, 'rendered', env, folder)).filter((f) => f.startsWith('configmap-dashboard-'))) {
    const cm = renderedObject(env, join(folder, f));
    assert.deepEqual(cm.metadata.labels.grafana_dashboard, '1', `${f} is labelled for Grafana's sidecar`);
    const [key, json] = Object.entries(cm.data as Record<string, string>)[0];
    const dashboard = JSON.parse(json);
    assert.equal(key, `${dashboard.uid}.json`);
    out[dashboard.uid] = dashboard;
  }
  return out;
}

describe('dashboards', () => {
  test(`${DASHBOARDS_FILE} is what the SDK builds from the models now (run npm run dashboards when not)`, () => {
    const committed = JSON.parse(readFileSync(join(REPO, 'generators', 'observability', 'dashboards', DASHBOARDS_FILE), 'utf8'));
    assert.deepEqual(committed, JSON.parse(JSON.stringify(allDashboards())));
  });

  for (const env of environmentNames()) {
    test(`${env}: the six dashboard families, one SLI dashboard per service with SLOs`, () => {
      const model = loadModel(env);
      const dashboards = renderedDashboards(env);
      const sloServices = model.services.filter((s) => s.slos.length > 0);
      assert.ok(sloServices.length >= 4);
      assert.deepEqual(Object.keys(dashboards).sort(), ['business-metrics', 'cost-per-tenant', 'database-performance', 'kafka-health', 'platform-overview', ...sloServices.map((s) => `slo-${s.name}`)].sort());
      for (const s of sloServices) {
        const exprs = dashboardExpressions({ d: dashboards[`slo-${s.name}`] }).map((e) => e.expr);
        for (const slo of s.slos) {
          for (const series of ['slo:sli_error:ratio_rate5m', 'slo:error_budget:ratio', 'slo:current_burn_rate:ratio', 'slo:period_error_budget_remaining:ratio', 'slo:objective:ratio']) {
            assert.ok(exprs.includes(`${series}{service="${s.name}", slo="${slo.name}"}`), `slo-${s.name} charts ${series} of ${slo.name}`);
          }
        }
      }
      const cost = dashboardExpressions({ d: dashboards['cost-per-tenant'] }).map((e) => e.expr);
      assert.ok(cost.every((e) => e.includes('label_gamemetrics_dev_cost_centre')), 'cost is grouped by the cost-centre label');
      const business = dashboardExpressions({ d: dashboards['business-metrics'] }).map((e) => e.expr);
      assert.ok(business.some((e) => /by \(game_id\).*player_events_accepted_total/.test(e)) && business.some((e) => e.includes('active_players')));
    });

    test(`${env}: every PromQL expression of every dashboard parses with promtool`, () => {
      const exprs = dashboardExpressions(renderedDashboards(env));
      assert.ok(exprs.length > 50, `${exprs.length} expressions`);
      const r = checkExpressions(env, exprs.map((e) => e.expr));
      assert.equal(r.status, 0, r.out);
      assert.match(r.out, new RegExp(`SUCCESS: ${exprs.length} rules found`));
    });
  }

  test('the check fails on an expression that does not parse', () => {
    const r = checkExpressions('broken', ['sum(rate(http_requests_total[5m])']);
    assert.notEqual(r.status, 0);
    assert.match(r.out, /parse error|unclosed|unexpected/i);
  });
});
