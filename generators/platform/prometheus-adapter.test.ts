// The Prometheus Adapter and the requests-per-second autoscaling it serves, on the real model: a pinned chart
// Application that syncs after the monitoring stack and before the tenants, its values (Prometheus' address, no
// default rules, the rendered rule), the HPA's Pods metric naming the rule's metric; and the loader's checks
// with their failing cases. The rule's query itself runs on a real Prometheus in
// scripts/observability/prometheus-adapter.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { environments } from '../../environments/index.ts';
import type { LoadedModel } from '../../model/loaded.ts';
import { platform } from '../../model/platform.ts';
import { formatProblem, type Problem } from '../../model/problems.ts';
import type { EnvironmentSpec, PlatformSpec } from '../../model/spec.ts';
import { tryLoadModel } from '../../render/sources.ts';
import type { KubeObject } from '../core/types.ts';
import { generate } from '../index.ts';
import { stackEndpoints } from '../observability/stack/names.ts';
import { loadTiny } from '../testdata/tiny-model.ts';
import { ADAPTER_RATE_WINDOW, REQUESTS_PER_SECOND_METRIC, adapterRules } from './prometheus-adapter.ts';

const TODAY = '2026-11-22';
function load(env: string, edit: (p: PlatformSpec) => void = () => undefined): { model?: LoadedModel; problems: Problem[] } {
  const copy = structuredClone(platform) as PlatformSpec;
  edit(copy);
  const result = tryLoadModel(env, { platform: copy, environments: structuredClone(environments) as EnvironmentSpec[], today: TODAY });
  return 'model' in result ? { model: result.model, problems: [] } : { problems: result.problems };
}
const prediction = (p: PlatformSpec) => p.tenants['geo-climate'].services['prediction-api'] as any;

for (const env of ['dev', 'prod']) {
  describe(`requests-per-second autoscaling in ${env}`, () => {
    const model = load(env).model!;
    const objects = generate(model).map((f) => f.object as KubeObject & { spec: any });
    const app = (name: string) => objects.find((o) => o.kind === 'Application' && o.metadata.name === `${env}-${name}`)!;
    const wave = (name: string) => Number(app(name).metadata.annotations!['argocd.argoproj.io/sync-wave']);

    test('the adapter is a pinned chart Application, after the monitoring stack and before the tenants', () => {
      const source = app('prometheus-adapter').spec.source;
      assert.equal(source.repoURL, 'https://prometheus-community.github.io/helm-charts');
      assert.equal(source.chart, 'prometheus-adapter');
      assert.match(source.targetRevision, /^\d+\.\d+\.\d+$/);
      assert.equal(source.targetRevision, '5.3.0');
      assert.equal(app('prometheus-adapter').spec.destination.namespace, model.platform.monitoring.namespace);
      assert.ok(wave('kube-prometheus-stack') < wave('prometheus-adapter'));
      assert.ok(wave('prometheus-adapter') < wave('geo-climate'));
      const project = objects.find((o) => o.kind === 'AppProject' && o.metadata.name === `${env}-platform`)!;
      assert.ok(project.spec.clusterResourceWhitelist.some((r: any) => r.group === 'apiregistration.k8s.io' && r.kind === 'APIService'));
    });

    test("its values: Prometheus' in-cluster address, no default rules, one rule for the services that set requestsPerSecond", () => {
      const values = app('prometheus-adapter').spec.source.helm.valuesObject;
      assert.equal(`${values.prometheus.url}:${values.prometheus.port}`, stackEndpoints(model).prometheus);
      assert.equal(values.rules.default, false);
      assert.equal(values.rules.resource, undefined, 'no resource-metrics API next to metrics-server');
      assert.equal(values.rules.custom.length, 1);
      const [rule] = values.rules.custom;
      assert.equal(rule.name.as, REQUESTS_PER_SECOND_METRIC);
      assert.equal(rule.seriesQuery, 'http_requests_total{namespace=~"geo-climate",service=~"prediction-api",pod!=""}');
      assert.deepEqual(rule.resources.overrides, { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } });
      assert.match(rule.metricsQuery, new RegExp(`^sum by \\(<<\\.GroupBy>>\\) \\(rate\\(<<\\.Series>>\\{<<\\.LabelMatchers>>,.*route!~"/healthz\\|/metrics\\|/readyz"\\}\\[${ADAPTER_RATE_WINDOW}\\]\\)\\)$`));
    });

    test("prediction-api's HPA scales on CPU, memory and that metric at the model's target per pod", () => {
      const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === 'prediction-api')!;
      const scaling = model.services.find((s) => s.name === 'prediction-api')!.scaling;
      assert.equal(scaling.mode, 'autoscale');
      assert.deepEqual(hpa.spec.metrics.map((m: any) => m.type), ['Resource', 'Resource', 'Pods']);
      assert.deepEqual(hpa.spec.metrics[2].pods, { metric: { name: REQUESTS_PER_SECOND_METRIC }, target: { type: 'AverageValue', averageValue: String(scaling.mode === 'autoscale' && scaling.requestsPerSecond) } });
      const others = objects.filter((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name !== 'prediction-api');
      assert.ok(others.length > 0 && others.every((o) => o.spec.metrics.every((m: any) => m.type === 'Resource')), 'services without requestsPerSecond keep CPU and memory only');
    });
  });
}

describe('the loader', () => {
  test('requestsPerSecond on a service that answers no HTTP is refused where it is written', () => {
    const { problems } = load('dev', (p) => {
      (p.tenants.gamemetrics.services['event-processor'] as any).scaling = { autoscale: { requestsPerSecond: 10 } };
    });
    const mine = problems.filter((pr) => pr.path.join('.').endsWith('requestsPerSecond'));
    assert.equal(mine.length, 1, problems.map(formatProblem).join('\n'));
    assert.deepEqual(mine[0].path, ['tenants', 'gamemetrics', 'services', 'event-processor', 'scaling', 'autoscale', 'requestsPerSecond']);
    assert.match(mine[0].message, /answers no HTTP requests/);
  });

  test('requestsPerSecond without the adapter component is refused, naming the component', () => {
    const { problems } = load('prod', (p) => { delete (p.components as any)['prometheus-adapter']; });
    assert.equal(problems.length, 1, problems.map(formatProblem).join('\n'));
    assert.deepEqual(problems[0].path, ['tenants', 'geo-climate', 'services', 'prediction-api', 'scaling', 'autoscale', 'requestsPerSecond']);
    assert.match(problems[0].message, /no "prometheus-adapter" component/);
  });

  test('no service with requestsPerSecond: no rule (and the real model loads with it removed)', () => {
    assert.deepEqual(adapterRules(loadTiny('prod')), []);
    const { model, problems } = load('prod', (p) => { prediction(p).scaling = { autoscale: { minReplicas: 2, maxReplicas: 6 } }; });
    assert.deepEqual(problems, []);
    assert.deepEqual(adapterRules(model!), []);
  });
});
