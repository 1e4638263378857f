// The SLO rule groups of the real model: one group per SLO with the contract's series and alerts, runbooks that exist.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadModel } from '../../../render/sources.ts';
import { sloPrometheusRules } from './prometheus-rules.ts';
import { PAGE_ALERT, TICKET_ALERT, type AlertingRule, type RecordingRule } from './rules.ts';
import { RUNBOOKS_DIR } from './runbooks.ts';

const REPO = join(import.meta.dirname, '..', '..', '..');
const model = loadModel('dev');
const files = sloPrometheusRules({ model });

describe('SLO rules (dev)', () => {
  test('one PrometheusRule per service with SLOs, in monitoring, selected by kube-prometheus-stack', () => {
    assert.deepEqual(files.map((f) => f.object.metadata.name), model.services.filter((s) => s.slos.length > 0).map((s) => `slo-${s.name}`));
    for (const f of files) {
      assert.equal(f.object.metadata.namespace, 'monitoring');
      assert.equal(f.object.metadata.labels?.release, 'kube-prometheus-stack');
    }
  });

  test('each group records every window, the budget series, and raises a page and a ticket with the contract labels', () => {
    for (const f of files)
      for (const group of (f.object as any).spec.groups as Array<{ name: string; rules: Array<RecordingRule | AlertingRule> }>) {
        const records = group.rules.filter((r): r is RecordingRule => 'record' in r).map((r) => r.record);
        for (const w of ['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d']) assert.ok(records.includes(`slo:sli_error:ratio_rate${w}`), `${group.name} records ${w}`);
        for (const r of ['slo:objective:ratio', 'slo:error_budget:ratio', 'slo:current_burn_rate:ratio', 'slo:period_burn_rate:ratio', 'slo:period_error_budget_remaining:ratio']) assert.ok(records.includes(r), `${group.name} records ${r}`);
        const alerts = group.rules.filter((r): r is AlertingRule => 'alert' in r);
        assert.deepEqual(alerts.map((a) => [a.alert, a.labels.severity]), [[PAGE_ALERT, 'critical'], [TICKET_ALERT, 'warning']]);
        for (const a of alerts) {
          assert.deepEqual(Object.keys(a.labels).sort(), ['service', 'severity', 'slo', 'tenant']);
          assert.ok(a.annotations.summary && a.annotations.description);
          const file = a.annotations.runbook_url.split('/blob/main/')[1];
          assert.equal(file, `${RUNBOOKS_DIR}/${a.alert}.md`);
          assert.ok(existsSync(join(REPO, file)), `${file} exists`);
        }
      }
  });

  test('the page alert is the two burn-rate pairs at 14.4× and 6× of the budget', () => {
    const group = (files.find((f) => f.object.metadata.name === 'slo-event-ingestion')!.object as any).spec.groups[0];
    const page = group.rules.find((r: AlertingRule) => r.alert === PAGE_ALERT);
    const sel = '{tenant="gamemetrics",service="event-ingestion",slo="availability"}';
    assert.equal(page.expr, `(slo:sli_error:ratio_rate5m${sel} > (14.4 * 0.001) and slo:sli_error:ratio_rate1h${sel} > (14.4 * 0.001)) or (slo:sli_error:ratio_rate30m${sel} > (6 * 0.001) and slo:sli_error:ratio_rate6h${sel} > (6 * 0.001))`);
  });

  test("a latency SLI reads the histogram bucket at the threshold; freshness records the lag breach first", () => {
    const latency = (files.find((f) => f.object.metadata.name === 'slo-analytics-api')!.object as any).spec.groups[1].rules[0];
    assert.match(latency.expr, /http_request_duration_seconds_bucket\{[^}]*le="0\.3"\}\[5m\]/);
    const freshness = (files.find((f) => f.object.metadata.name === 'slo-event-processor')!.object as any).spec.groups[0].rules;
    assert.equal(freshness[0].record, 'slo:freshness_breach:bool');
    assert.match(freshness[0].expr, /> bool 10000$/);
    assert.match(freshness[1].expr, /^avg_over_time\(slo:freshness_breach:bool\{[^}]*\}\[5m\]\)$/);
  });
});
