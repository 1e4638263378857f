// The capacity concern on the tiny model: golden files per environment; a VerticalPodAutoscaler in
// recommendation mode per workload; quotas and limit ranges for every namespace no tenant owns; and the
// loader's refusals when a quota cannot hold what the model declares (tenant, namespace and numbers named).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadModel } from '../../render/sources.ts';
import { concerns, generate } from '../index.ts';
import { goldenTests } from '../testdata/golden.ts';
import { loadTiny, TINY_TODAY, tinyPlatformCopy } from '../testdata/tiny-model.ts';
import { tinyEnvironments } from '../testdata/tiny-environments.ts';
import { ModelError } from '../../model/problems.ts';
import { platformQuotas } from './platform-quotas.ts';
import { verticalPodAutoscalers } from './vertical-pod-autoscalers.ts';

goldenTests(join(import.meta.dirname, 'testdata'), 'the capacity generators', (model) => Object.values(concerns.capacity).flatMap((g) => g({ model })));

const problemsOf = (edit: (p: ReturnType<typeof tinyPlatformCopy>) => void, env: 'dev' | 'prod' = 'prod') => {
  const platform = tinyPlatformCopy();
  edit(platform);
  try {
    loadTiny(env, { platform });
    return [];
  } catch (error) {
    assert.ok(error instanceof ModelError, String(error));
    return error.problems.map((p) => `${p.path.join('.')}: ${p.message}`);
  }
};

describe('vertical pod autoscalers', () => {
  // The real prod model runs services as Rollouts (progressive delivery) too.
  for (const [name, load] of [['tiny dev', () => loadTiny('dev')], ['tiny prod', () => loadTiny('prod')], ['real prod', () => loadModel('prod')]] as const) {
    test(`${name}: one per workload, recommendation only, aimed at the workload's own kind`, () => {
      const model = load();
      const vpas = verticalPodAutoscalers({ model }).map((f) => f.object as any);
      const objects = generate(model).map((f) => f.object as any);
      assert.deepEqual(vpas.map((v) => v.metadata.name).sort(), model.services.map((s) => s.name).sort());
      for (const vpa of vpas) {
        const service = model.services.find((s) => s.name === vpa.metadata.name)!;
        assert.equal(vpa.metadata.namespace, service.namespace);
        assert.equal(vpa.spec.updatePolicy.updateMode, 'Off', 'recommendation mode: nothing is evicted');
        // The workload that renders for the service: its CronJob, Rollout or Deployment, by kind and name.
        const kind = service.kind === 'cron-job' ? 'CronJob' : service.delivery === 'rolling' ? 'Deployment' : 'Rollout';
        assert.equal(vpa.spec.targetRef.kind, kind);
        assert.equal(vpa.spec.targetRef.name, service.name);
        assert.ok(objects.some((o) => o.kind === kind && o.metadata.name === service.name && o.metadata.namespace === service.namespace), `${kind} ${service.name} is rendered`);
        assert.equal(vpa.spec.resourcePolicy.containerPolicies[0].containerName, service.name);
        assert.equal(vpa.metadata.labels['gamemetrics.dev/cost-centre'], model.tenants.find((t) => t.name === service.tenant)!.costCentre);
      }
    });
  }
});

describe('platform namespace quotas', () => {
  const model = loadTiny('prod');
  const files = platformQuotas({ model });
  const quota = (ns: string) => files.find((f) => f.object.kind === 'ResourceQuota' && f.object.metadata.namespace === ns)?.object as any;

  test('every managed namespace no tenant owns gets a quota and container defaults; tenant namespaces keep theirs', () => {
    const namespaces = [...new Set(files.map((f) => f.object.metadata.namespace))].sort();
    assert.deepEqual(namespaces, ['cert-manager', 'cnpg-system', 'data', 'external-secrets', 'gateway', 'kafka', 'kyverno', 'monitoring', 'strimzi', 'velero', 'vpa']);
    for (const ns of namespaces) assert.ok(files.some((f) => f.object.kind === 'LimitRange' && f.object.metadata.namespace === ns), ns);
    assert.equal(quota('arcade'), undefined);
  });

  test('a namespace named in namespaceQuotas gets its own; the rest the platform default', () => {
    assert.equal(quota('data').spec.hard['requests.storage'], '700Gi');
    assert.equal(quota('data').spec.hard.persistentvolumeclaims, '6');
    assert.equal(quota('kyverno').spec.hard['requests.cpu'], '2');
    assert.equal(quota('kyverno').spec.hard.persistentvolumeclaims, '0');
  });

  test('only the ingress gateway namespace may hold a LoadBalancer', () => {
    assert.equal(quota('gateway').spec.hard['services.loadbalancers'], '1');
    assert.equal(quota('kafka').spec.hard['services.loadbalancers'], '0');
  });
});

describe('quotas hold what the model declares', () => {
  test('a tenant quota too small at maximum scale names tenant, namespace and both numbers', () => {
    const problems = problemsOf((p) => { p.tenants.arcade.quota.requests.cpu = '500m'; }, 'dev');
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0], /^tenants\.arcade\.quota\.requests\.cpu: tenant "arcade", namespace "arcade": at maximum scale the services need [\d.]+m? CPU of requests, more than the quota's 500m$/);
  });

  test('each namespace of a tenant is checked on its own (the quota applies per namespace)', () => {
    const model = loadTiny('prod');
    const inArcade = model.services.filter((s) => s.namespace === 'arcade').reduce((n, s) => n + (s.scaling.mode === 'fixed' ? s.scaling.replicas : s.scaling.maxReplicas), 0);
    const problems = problemsOf((p) => { p.tenants.arcade.quota.pods = inArcade - 1; }, 'dev');
    assert.ok(problems.every((p) => p.includes('namespace "arcade"')), problems.join('\n'));
    assert.deepEqual(problemsOf((p) => { p.tenants.arcade.quota.pods = 1; }, 'dev').filter((p) => p.includes('arcade-jobs')), [], 'the cron job alone fits one pod');
  });

  test('the data and Kafka quotas must hold the environment\'s volumes', () => {
    const problems = problemsOf((p) => { p.capacity.namespaceQuotas!.data.storage = '100Gi'; });
    assert.deepEqual(problems, ['capacity.namespaceQuotas.data.storage: namespace "data" needs 6 volume claims of 624Gi in all (cache 3 × 8Gi, ledger 3 × 200Gi), more than its quota\'s 100Gi']);
    const kafka = problemsOf((p) => { p.capacity.namespaceQuotas!.kafka.persistentVolumeClaims = 5; });
    assert.match(kafka[0], /^capacity\.namespaceQuotas\.kafka\.persistentVolumeClaims: namespace "kafka" needs 6 volume claims .*Kafka node pools 6 × 500Gi/);
  });

  test('a namespace quota may not be set on a tenant namespace', () => {
    const problems = problemsOf((p) => { p.capacity.namespaceQuotas!.arcade = p.capacity.platformNamespaceQuota; });
    assert.match(problems[0], /^capacity\.namespaceQuotas\.arcade: namespace "arcade" belongs to a tenant/);
  });

  test('the real model fits every quota in every environment', () => {
    for (const env of ['dev', 'staging', 'prod']) assert.ok(loadModel(env, { today: TINY_TODAY }).capacity.prices.hoursPerMonth > 0, env);
    assert.ok(tinyEnvironments.prod.kafka.brokers > 0);
  });
});
