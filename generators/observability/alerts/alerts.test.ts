// The alert catalog on the tiny model: golden files, then the PrometheusRules' placement and selector label,
// the contract every alert follows (severity, tenant, summary, description, runbook_url), what the model
// decides (broker count, lag limits per consume, one DLQ alert per dead-letter topic, tenants by namespace)
// and the loader's checks of model/observability.ts.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { tryLoadSpec } from '../../../model/loader.ts';
import { platform as realPlatform } from '../../../model/platform.ts';
import { formatProblem } from '../../../model/problems.ts';
import { environments as realEnvironments } from '../../../environments/index.ts';
import { tryLoadModel } from '../../../render/sources.ts';
import type { EnvironmentSpec, PlatformSpec } from '../../../model/spec.ts';
import { goldenTests } from '../../testdata/golden.ts';
import { tinyEnvironments } from '../../testdata/tiny-environments.ts';
import { TINY_MIGRATIONS, TINY_TODAY, loadTiny, tinyPlatformCopy } from '../../testdata/tiny-model.ts';
import { alertCatalog } from './catalog.ts';
import { alertRules } from './prometheus-rules.ts';
import { type AlertingRule, isAlertingRule } from './rules.ts';

goldenTests(join(import.meta.dirname, 'testdata'), 'the alert catalog', (model) => alertRules({ model }));

const prod = loadTiny('prod');
const alerts = (model = prod): AlertingRule[] => alertCatalog(model).flatMap((g) => g.rules.filter(isAlertingRule));
const named = (name: string, model = prod) => alerts(model).filter((r) => r.alert === name);

describe('PrometheusRules', () => {
  test('one per rule group, in the monitoring namespace, selected by the kube-prometheus-stack release label', () => {
    const files = alertRules({ model: prod });
    assert.deepEqual(files.map((f) => f.object.metadata.name), alertCatalog(prod).map((g) => `platform-alerts-${g.name}`));
    for (const file of files) {
      assert.equal(file.object.kind, 'PrometheusRule');
      assert.equal(file.object.metadata.namespace, 'monitoring');
      assert.equal(file.object.metadata.labels?.release, 'kube-prometheus-stack');
      assert.match(file.path, /^platform\/alert-rules\/monitoring\/prometheusrule-platform-alerts-[a-z-]+\.yaml$/);
    }
  });

  test('nothing is rendered where no component installs the Prometheus operator CRDs', () => {
    const platform = tinyPlatformCopy();
    platform.components['prometheus-operator'].crdGroups = [];
    assert.deepEqual(alertRules({ model: loadTiny('prod', { platform }) }), []);
  });
});

describe('every alert', () => {
  test('has severity, tenant, summary, description and a runbook_url under the model\'s base', () => {
    const tenants = new Set(['arcade', 'platform', ...prod.tenants.map((t) => t.name)]);
    assert.ok(alerts().length > 40);
    for (const rule of alerts()) {
      assert.ok(['critical', 'warning', 'info'].includes(rule.labels.severity), rule.alert);
      assert.ok(tenants.has(rule.labels.tenant), `${rule.alert}: tenant ${rule.labels.tenant}`);
      assert.ok(rule.annotations.summary.length > 10 && rule.annotations.description.length > 10, rule.alert);
      assert.equal(rule.annotations.runbook_url, `https://git.tiny.test/platform/-/blob/main/docs/runbooks/${rule.alert}.md`);
    }
  });

  test('workload alerts exist once per tenant, scoped to its namespaces, and once for the platform', () => {
    const crash = named('KubePodCrashLooping');
    assert.deepEqual(crash.map((r) => r.labels.tenant), [...prod.tenants.map((t) => t.name), 'platform']);
    const arcade = crash.find((r) => r.labels.tenant === 'arcade')!;
    assert.match(arcade.expr, /namespace=~"arcade\|arcade-jobs"/);
    assert.match(crash.at(-1)!.expr, /namespace!~"arcade\|arcade-jobs\|/);
  });
});

describe('what the model decides', () => {
  test('broker count from the environment', () => {
    assert.equal(named('KafkaBrokerDown')[0].expr, 'kafka_brokers < 3');
    assert.equal(named('KafkaBrokerDown', loadTiny('dev'))[0].expr, 'kafka_brokers < 1');
  });

  test('lag limit per consumer group and topic: the consume\'s maxLag, else observability.alerts.consumerLag', () => {
    const lag = named('KafkaConsumerGroupLagHigh');
    const ranker = lag.find((r) => r.labels.consumergroup === 'rank-worker')!;
    assert.equal(ranker.expr, 'sum(kafka_consumergroup_lag{consumergroup="rank-worker", topic="scores.raw"}) > 2500');
    assert.equal(ranker.labels.tenant, 'arcade');
    const platform = tinyPlatformCopy();
    platform.tenants.arcade.services['rank-worker'].consumes = ['scores.raw'];
    const defaulted = named('KafkaConsumerGroupLagHigh', loadTiny('prod', { platform })).find((r) => r.labels.consumergroup === 'rank-worker')!;
    assert.match(defaulted.expr, /> 5000$/);
  });

  test('one DLQ growth alert per declared dead-letter topic, owned by the topic\'s tenant', () => {
    const dlq = named('KafkaDeadLetterTopicGrowing');
    assert.deepEqual(dlq.map((r) => r.labels.topic), ['scores.raw.dlq']);
    assert.equal(dlq[0].expr, 'sum(delta(kafka_topic_partition_current_offset{topic="scores.raw.dlq"}[10m])) > 0');
  });

  test('replication alerts only where more than one instance runs; thresholds from observability.alerts', () => {
    assert.equal(named('PostgresReplicasMissing').length, 1);
    assert.equal(named('PostgresReplicasMissing', loadTiny('dev')).length, 0);
    const errors = named('ServiceHighErrorRate').find((r) => r.labels.service === 'score-api')!;
    assert.match(errors.expr, /> 2$/);
  });

  test("a service's own alerts thresholds replace the platform's for it alone", () => {
    const spec = tinyPlatformCopy() as any;
    const [tenant, service] = Object.entries(spec.tenants).flatMap(([t, ts]: [string, any]) => Object.keys(ts.services).map((s) => [t, s])).find(([, s]) => s === 'score-api')!;
    spec.tenants[tenant].services[service].alerts = { errorPercent: 0.5, latencyP95Ms: 250 };
    const result = tryLoadSpec(spec as PlatformSpec, tinyEnvironments.prod as EnvironmentSpec, { today: TINY_TODAY, migrations: { ledger: TINY_MIGRATIONS } });
    assert.ok('model' in result, JSON.stringify('problems' in result ? result.problems : ''));
    const errors = named('ServiceHighErrorRate', result.model);
    assert.match(errors.find((r) => r.labels.service === 'score-api')!.expr, /> 0\.5$/);
    assert.match(named('ServiceHighLatency', result.model).find((r) => r.labels.service === 'score-api')!.expr, /> 0\.25$/);
    assert.ok(errors.filter((r) => r.labels.service !== 'score-api').every((r) => / > 2$/.test(r.expr)), 'the others keep the platform threshold');
  });

  test('a rate limiter without Redis: critical where the service fails closed, a warning where it fails open', () => {
    const closed = named('RateLimiterBackendDown');
    assert.deepEqual(closed.map((r) => [r.labels.service, r.labels.severity]), [['score-api', 'critical']]);
    const spec = tinyPlatformCopy() as any;
    for (const ts of Object.values(spec.tenants) as any[]) for (const svc of Object.values(ts.services) as any[]) if (svc.rateLimits) svc.rateLimits.whenRedisDown = 'open';
    const result = tryLoadSpec(spec as PlatformSpec, tinyEnvironments.prod as EnvironmentSpec, { today: TINY_TODAY, migrations: { ledger: TINY_MIGRATIONS } });
    assert.ok('model' in result);
    const open = named('RateLimiterBackendDown', result.model);
    assert.deepEqual(open.map((r) => [r.labels.service, r.labels.severity]), [['score-api', 'warning']]);
    assert.match(open[0].annotations.description, /fails open/);
  });
});

describe('model/observability.ts is checked when loading', () => {
  const load = (edit: (p: ReturnType<typeof tinyPlatformCopy>) => void) => {
    const platform = tinyPlatformCopy();
    edit(platform);
    const result = tryLoadSpec(platform as unknown as PlatformSpec, tinyEnvironments.prod as unknown as EnvironmentSpec, { today: TINY_TODAY, migrations: { ledger: TINY_MIGRATIONS } });
    return 'problems' in result ? result.problems.map((p) => `${p.path.join('.')}: ${p.message}`) : [];
  };

  test('the tiny model loads', () => assert.deepEqual(load(() => {}), []));

  test('an exporter naming an unknown component, naming no metric, or a malformed metric name is refused', () => {
    assert.deepEqual(load((p) => { p.observability!.exporters['kafka-exporter'].component = 'kafak'; }), ['observability.exporters.kafka-exporter.component: unknown component "kafak"']);
    assert.deepEqual(load((p) => { p.observability!.exporters['kafka-exporter'] = { description: 'x' }; }), ['observability.exporters.kafka-exporter: exporter "kafka-exporter" names no metric']);
    const bad = load((p) => { p.observability!.exporters['kafka-exporter'].metrics = ['kafka-brokers']; });
    assert.equal(bad.length, 1);
    assert.match(bad[0], /^observability\.exporters\.kafka-exporter\.metrics\.0: "kafka-brokers" is not a Prometheus metric name/);
  });

  test('the runbook base defaults to the repository\'s web view', () => {
    const platform = tinyPlatformCopy();
    delete platform.observability!.runbookBaseUrl;
    assert.equal(loadTiny('prod', { platform }).observability.runbookBaseUrl, 'https://git.tiny.test/platform/blob/main');
  });
});

describe('model alerts for the services that serve a model (the real model)', () => {
  /** prod of the real model, with its spec edited; the problems when it does not load. */
  const loadReal = (edit: (services: Record<string, any>) => void) => {
    const spec = structuredClone(realPlatform) as any;
    edit(Object.assign({}, ...Object.values(spec.tenants).map((t: any) => t.services)));
    const result = tryLoadModel('prod', { platform: spec as PlatformSpec, environments: structuredClone(realEnvironments) as EnvironmentSpec[], today: '2026-11-30' });
    return 'model' in result ? { model: result.model } : { problems: result.problems.map(formatProblem) };
  };
  const modelAlerts = (model: any) => alerts(model).filter((r) => r.alert.startsWith('PredictionModel')).map((r) => [r.alert, r.labels.service, r.labels.severity]);

  test('prediction-api, which declares servesModel, gets both; a service that does not, none', () => {
    const { model } = loadReal(() => {});
    assert.deepEqual(modelAlerts(model), [['PredictionModelLoadFailed', 'prediction-api', 'warning'], ['PredictionModelVersionSkew', 'prediction-api', 'warning']]);
    const load = named('PredictionModelLoadFailed', model)[0];
    assert.match(load.expr, /^sum by \(version\) \(increase\(prediction_model_load_failures_total\{namespace="geo-climate", service="prediction-api"\}\[15m\]\)\) > 0$/);
    const { model: without } = loadReal((services) => { delete services['prediction-api'].servesModel; });
    assert.deepEqual(modelAlerts(without), []);
  });

  test('servesModel on a service without object storage is refused, naming the path and the fix', () => {
    const { problems } = loadReal((services) => { services['analytics-api'].servesModel = true; });
    assert.deepEqual(problems, ["tenants.gamemetrics.services.analytics-api.servesModel: a service that serves a model loads it from object storage, but it declares no minio datastore (add datastores: [{ name: 'minio', bucket: '…' }], or remove servesModel)"]);
  });
});

describe('tenant budgets (environment budgets, the real model)', () => {
  const loadProd = (budgets: Record<string, number> | undefined) => {
    const environments = structuredClone(realEnvironments) as any[];
    const prod = environments.find((e) => e.name === 'prod');
    if (budgets === undefined) delete prod.budgets;
    else prod.budgets = budgets;
    const result = tryLoadModel('prod', { platform: structuredClone(realPlatform) as PlatformSpec, environments: environments as EnvironmentSpec[], today: '2026-11-30' });
    return 'model' in result ? { model: result.model } : { problems: result.problems.map(formatProblem) };
  };

  test('one TenantCostOverBudget per tenant with a budget, over its namespaces, at the platform\'s prices; none without', () => {
    const { model } = loadProd({ gamemetrics: 1000 });
    const rules = named('TenantCostOverBudget', model);
    assert.deepEqual(rules.map((r) => [r.labels.tenant, r.labels.severity, r.for]), [['gamemetrics', 'warning', '6h']]);
    assert.match(rules[0].expr, /namespace=~"gamemetrics"/);
    assert.match(rules[0].expr, /\* 0\.0316 .*\/ 1073741824 \* 0\.0042\) \* 730 > 1000$/);
    assert.deepEqual(named('TenantCostOverBudget', loadProd(undefined).model), []);
  });

  test('a budget below what the tenant requests at its minimum scale is refused, naming the environment line and the floor', () => {
    const { problems } = loadProd({ gamemetrics: 100, 'geo-climate': 120 });
    assert.deepEqual(problems, ['environments.prod.budgets.gamemetrics: tenant "gamemetrics": its services at their minimum scale already request 233 USD a month at list prices, more than the budget of 100 USD (raise the budget to at least 233 USD, or lower replicas or requests)']);
  });
});
