// The Prometheus Adapter's rendered rule, run by Prometheus' own engine (promtool): its metricsQuery, with the
// adapter's templates filled in as the adapter fills them for a Pods metric (the series name, the pods' namespace
// and names, grouped by pod), gives each pod's user requests per second over synthetic counters: probe and
// /metrics requests do not count, nor do other services' series; the same query without the route filter fails
// the same expectations. promtool also parses the seriesQuery. Not proven here: the adapter process itself, the
// APIService registration and the HPA reading custom.metrics.k8s.io (no Kubernetes API server).
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { stringify } from 'yaml';
import { loadModel } from '../../render/sources.ts';
import { adapterRules, REQUESTS_COUNTER, REQUESTS_PER_SECOND_METRIC } from '../../generators/platform/prometheus-adapter.ts';
import { checkRules, removeRuleFiles, testRules, writeRuleFiles } from '../harness/promtool.ts';
import { renderedObject } from './rendered-stack.ts';

const model = loadModel('prod');
const service = model.services.find((s) => s.name === 'prediction-api')!;
const [rule] = adapterRules(model);
const pods = { a: 'prediction-api-7d9f-a', b: 'prediction-api-7d9f-b', other: 'analytics-api-5c4-x' };

/** The rule's metricsQuery as the adapter sends it for a Pods metric of these pods. */
function filled(metricsQuery: string, namespace: string, names: string[]): string {
  return metricsQuery
    .replaceAll('<<.Series>>', REQUESTS_COUNTER)
    .replaceAll('<<.LabelMatchers>>', `namespace="${namespace}",pod=~"${names.join('|')}"`)
    .replaceAll('<<.GroupBy>>', 'pod');
}

/** A counter series growing by `perSecond` every second, sampled every 30 s (the ServiceMonitors' interval) for 10 minutes. */
function series(labels: Record<string, string>, perSecond: number) {
  const text = Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',');
  return { series: `${REQUESTS_COUNTER}{${text}}`, values: `0+${perSecond * 30}x20` };
}

/** Runs `promtool test rules` for `expr`: per-pod rates expected 40 (pod a) and 10 (pod b) at 5 minutes. */
async function unitTest(expr: string) {
  const dir = await writeRuleFiles({ 'adapter.yaml': [{ name: 'adapter', rules: [{ record: 'adapter:requests_per_second', expr }] }] });
  try {
    const target = (pod: string, svc = service.name) => ({ namespace: service.namespace, service: svc, pod, method: 'GET', status_code: '200' });
    const unit = {
      rule_files: ['adapter.yaml'],
      evaluation_interval: '30s',
      tests: [{
        interval: '30s',
        input_series: [
          // Pod a: 30 + 10 user requests/s, and 400 + 400 + 200 of probes and scrapes.
          series({ ...target(pods.a), route: '/v1/predict' }, 30),
          series({ ...target(pods.a), route: '/v1/models' }, 10),
          series({ ...target(pods.a), route: '/healthz' }, 400),
          series({ ...target(pods.a), route: '/readyz' }, 400),
          series({ ...target(pods.a), route: '/metrics' }, 200),
          series({ ...target(pods.b), route: '/v1/predict' }, 10),
          // Another service's pod in the same namespace, named in the adapter's pod matcher: not counted.
          series({ ...target(pods.other, 'analytics-api'), route: '/v1/players/:id/stats' }, 500),
        ],
        promql_expr_test: [{ expr: 'adapter:requests_per_second', eval_time: '5m', exp_samples: [{ labels: `adapter:requests_per_second{pod="${pods.a}"}`, value: 40 }, { labels: `adapter:requests_per_second{pod="${pods.b}"}`, value: 10 }] }],
      }],
    };
    await writeFile(join(dir, 'units.yaml'), stringify(unit, { lineWidth: 0 }));
    return await testRules([join(dir, 'units.yaml')], dir);
  } finally {
    await removeRuleFiles(dir);
  }
}

describe("the adapter's rule, on Prometheus' engine (promtool)", () => {
  test('the rendered rule is the generated one, for the metric the HPA names', () => {
    const rendered = renderedObject('prod', 'apps/application-prod-prometheus-adapter.yaml').spec.source.helm.valuesObject.rules.custom;
    assert.deepEqual(rendered, [rule]);
    assert.equal(rule.name.as, REQUESTS_PER_SECOND_METRIC);
  });

  test('promtool parses the series query and the filled-in metrics query', async () => {
    const dir = await writeRuleFiles({ 'adapter.yaml': [{ name: 'adapter', rules: [
      { record: 'adapter:series', expr: rule.seriesQuery },
      { record: 'adapter:metric', expr: filled(rule.metricsQuery, service.namespace, [pods.a, pods.b]) },
    ] }] });
    try {
      const check = await checkRules([join(dir, 'adapter.yaml')]);
      assert.ok(check.ok, check.output);
      assert.match(check.output, /SUCCESS: 2 rules found/);
    } finally {
      await removeRuleFiles(dir);
    }
  });

  test('each pod gets its own user requests per second; probes, scrapes and other services do not count', async () => {
    const result = await unitTest(filled(rule.metricsQuery, service.namespace, [pods.a, pods.b, pods.other]));
    assert.ok(result.ok, result.output);
    assert.match(result.output, /SUCCESS/);
  });

  test('without the route filter the same expectations fail: pod a would count its probes (1,040/s)', async () => {
    const unfiltered = rule.metricsQuery.replace(/,route!~"[^"]*"/, '');
    assert.notEqual(unfiltered, rule.metricsQuery);
    const result = await unitTest(filled(unfiltered, service.namespace, [pods.a, pods.b, pods.other]));
    assert.equal(result.ok, false);
    assert.match(result.output, /got: .*pod="prediction-api-7d9f-a"\} 1\.04E\+03/);
  });
});
