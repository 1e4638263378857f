// The observability concern: golden files of the tiny model, then the fields that matter: what Prometheus
// selects and scrapes and that the scrape is admitted on both sides, the stack's values from the environment
// (sizes, retention, buckets, Thanos only where declared), the OTLP endpoint in every ConfigMap, and the
// loader's checks.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { tryLoadSpec } from '../../model/loader.ts';
import type { LoadedModel } from '../../model/loaded.ts';
import type { EnvironmentSpec, PlatformSpec } from '../../model/spec.ts';
import { concerns, generate } from '../index.ts';
import { chartValues } from '../platform/chart-values.ts';
import type { KubeObject } from '../core/types.ts';
import { goldenTests } from '../testdata/golden.ts';
import { tinyEnvironments } from '../testdata/tiny-environments.ts';
import { loadTiny, tinyPlatformCopy, TINY_MIGRATIONS, TINY_TODAY } from '../testdata/tiny-model.ts';
import { scrapeTargets } from './stack/monitors.ts';
import { MONITOR_SELECTOR_LABELS } from './stack/names.ts';
import { stackChartValues } from './stack/values.ts';
import { join } from 'node:path';
import { tryLoadModel } from '../../render/sources.ts';

goldenTests(join(import.meta.dirname, 'testdata'), 'the observability generators', (model) => Object.values(concerns.observability).flatMap((g) => g({ model })));

const objects = (model: LoadedModel) => generate(model).map((f) => f.object as KubeObject & { spec?: any; data?: any });
const ofKind = (all: ReturnType<typeof objects>, kind: string) => all.filter((o) => o.kind === kind);

function realModel(env: string): LoadedModel {
  const result = tryLoadModel(env, { today: TINY_TODAY });
  assert.ok('model' in result, JSON.stringify('problems' in result ? result.problems : ''));
  return result.model;
}

/** Whether `policy` admits pods with `labels` in namespace `from` on `port` (an ingress rule with that peer and port). */
function admits(policy: any, from: string, labels: Record<string, string>, port: number): boolean {
  return (policy.spec.ingress ?? []).some((rule: any) =>
    (rule.ports === undefined || rule.ports.some((p: any) => p.port === port)) &&
    (rule.from === undefined || rule.from.some((peer: any) =>
      peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === from &&
      Object.entries(peer.podSelector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v))));
}

function selects(policy: any, namespace: string, labels: Record<string, string>): boolean {
  return policy.metadata.namespace === namespace && Object.entries(policy.spec.podSelector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}

describe('what Prometheus scrapes', () => {
  for (const [name, model] of [['tiny prod', loadTiny('prod')], ['real prod', realModel('prod')]] as const) {
    const all = objects(model);
    test(`${name}: every service with a port has a ServiceMonitor on its first port, labelled for Prometheus' selector`, () => {
      const monitors = ofKind(all, 'ServiceMonitor');
      const served = model.services.filter((s) => s.kind !== 'cron-job' && s.ports.length > 0);
      assert.deepEqual(monitors.map((m) => m.metadata.name).sort(), served.map((s) => s.name).sort());
      for (const s of served) {
        const m = monitors.find((m) => m.metadata.name === s.name)!;
        assert.equal(m.metadata.namespace, s.namespace);
        assert.equal(m.metadata.labels!.release, MONITOR_SELECTOR_LABELS.release);
        // Blue-green services' two Services are scraped under the service's own name (generators/delivery/delivery.test.ts).
        const relabelings = s.delivery === 'blue-green' ? { relabelings: [{ action: 'replace', targetLabel: 'service', replacement: s.name }, { action: 'replace', targetLabel: 'job', replacement: s.name }] } : {};
        assert.deepEqual(m.spec.endpoints, [{ port: s.ports[0].name, path: '/metrics', interval: '30s', ...relabelings }]);
        assert.deepEqual(m.spec.selector.matchLabels, { 'app.kubernetes.io/name': s.name, 'app.kubernetes.io/instance': s.name });
      }
    });

    test(`${name}: Kafka (brokers, controllers, Kafka Exporter, entity operator), CloudNativePG and the operators have PodMonitors`, () => {
      const pods = ofKind(all, 'PodMonitor');
      for (const p of pods) assert.equal(p.metadata.labels!.release, MONITOR_SELECTOR_LABELS.release, `${p.metadata.name} is selected by Prometheus`);
      const kafka = pods.find((p) => p.metadata.name === `${model.environment.kafka.clusterName}-kafka`)!;
      assert.deepEqual(kafka.spec.podMetricsEndpoints.map((e: any) => e.port), ['tcp-prometheus']);
      assert.equal(kafka.spec.selector.matchLabels['strimzi.io/kind'], 'Kafka');
      assert.ok(pods.some((p) => p.metadata.name.endsWith('-entity-operator')));
      for (const store of model.datastores.filter((d) => d.cluster)) assert.ok(pods.some((p) => p.metadata.name === store.name && p.metadata.namespace === store.namespace), `CloudNativePG ${store.name}`);
      for (const c of model.components.filter((c) => c.metrics)) {
        const p = pods.find((p) => p.metadata.name === c.name && p.metadata.namespace === c.namespace)!;
        assert.deepEqual(p.spec.podMetricsEndpoints, [{ portNumber: c.metrics!.port, path: c.metrics!.path }]);
      }
    });

    test(`${name}: every scrape is admitted both ways: Prometheus' egress, and each target's ingress from the monitoring namespace`, () => {
      const policies = ofKind(all, 'NetworkPolicy');
      const { namespace, podSelector } = model.platform.monitoring;
      const egress = policies.find((p) => p.metadata.namespace === namespace && p.metadata.name === 'allow-prometheus-scrape')!;
      assert.deepEqual(egress.spec.podSelector.matchLabels, podSelector);
      const targets = scrapeTargets(model);
      assert.ok(targets.length >= model.services.length - 2);
      for (const t of targets) {
        assert.ok(egress.spec.egress.some((r: any) => r.to[0].namespaceSelector?.matchLabels['kubernetes.io/metadata.name'] === t.namespace && t.ports.every((port) => r.ports.some((p: any) => p.port === port))), `egress to ${t.name}`);
        for (const port of t.ports) {
          const covering = policies.filter((p) => selects(p, t.namespace, t.podSelector));
          assert.ok(covering.some((p) => admits(p, namespace, podSelector, port)), `${t.namespace}/${t.name}: no NetworkPolicy admits Prometheus on ${port}`);
        }
      }
    });
  }

  test('the check can fail: a target whose policy admits no scrape is found', () => {
    const policy = { metadata: { namespace: 'data' }, spec: { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] } };
    assert.equal(admits(policy, 'monitoring', { 'app.kubernetes.io/name': 'prometheus' }, 9121), false);
  });
});

describe('the stack from the environment', () => {
  const values = (model: LoadedModel, name: string) => {
    const c = model.components.find((c) => c.name === name);
    return c ? (chartValues(model, c) as any) : undefined;
  };

  for (const env of ['dev', 'staging', 'prod']) {
    const model = realModel(env);
    const m = model.environment.monitoring!;
    test(`${env}: Prometheus selects rules and monitors of every namespace by the release label, sized and kept as declared`, () => {
      const spec = values(model, 'kube-prometheus-stack').prometheus.prometheusSpec;
      for (const kind of ['rule', 'serviceMonitor', 'podMonitor']) {
        assert.equal(spec[`${kind}SelectorNilUsesHelmValues`], false);
        assert.deepEqual(spec[`${kind}Selector`], { matchLabels: { release: 'kube-prometheus-stack' } });
        assert.deepEqual(spec[`${kind}NamespaceSelector`], {});
      }
      assert.equal(spec.replicas, m.prometheus.replicas);
      assert.equal(spec.retention, m.prometheus.retention);
      assert.equal(spec.retentionSize, m.prometheus.retentionSize.replace(/([KMGT])i$/, '$1B'), 'bounded in size too, in Prometheus\' base-2 units');
      assert.equal(spec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage, m.prometheus.storage);
      assert.deepEqual(spec.resources, m.prometheus.resources);
      const am = values(model, 'kube-prometheus-stack').alertmanager.alertmanagerSpec;
      assert.equal(am.replicas, m.alertmanager.replicas);
      assert.equal(values(model, 'kube-prometheus-stack').grafana.replicas, m.grafana.replicas);
    });

    test(`${env}: Loki and Tempo keep their data on the environment's buckets for its retention, credentials from a Secret`, () => {
      const loki = values(model, 'loki');
      assert.deepEqual(loki.loki.storage.bucketNames, { chunks: m.objectStore.buckets.logs, ruler: m.objectStore.buckets.logs });
      assert.equal(loki.loki.limits_config.retention_period, `${Number(m.loki.retention.slice(0, -1)) * 24}h`);
      assert.equal(loki.loki.compactor.retention_enabled, true);
      assert.deepEqual(loki.global.extraEnvFrom, [{ secretRef: { name: 'observability-object-store' } }]);
      const tempo = values(model, 'tempo');
      assert.equal(tempo.storage.trace.backend, 's3');
      assert.equal(tempo.storage.trace.s3.bucket, m.objectStore.buckets.traces);
      assert.match(tempo.compactor.config.compaction.block_retention, /^\d+h$/);
      assert.doesNotMatch(JSON.stringify([loki, tempo]), /secret_?key"\s*:|secretAccessKey"\s*:\s*"/i);
    });

    test(`${env}: the log agent runs on every node, tails the pods' log files and ships them to Loki alone, and the network lets it`, () => {
      const agent = values(model, 'log-collector');
      assert.equal(agent.mode, 'daemonset');
      assert.deepEqual(agent.tolerations, [{ operator: 'Exists' }]);
      assert.deepEqual(agent.presets.logsCollection, { enabled: true, includeCollectorLogs: false, storeCheckpoints: true });
      assert.equal(agent.presets.kubernetesAttributes.enabled, true);
      assert.deepEqual(agent.resources, m.logCollector.resources);
      assert.equal(agent.service.enabled, false);
      const loki = values(model, 'otel-collector').config.exporters['otlphttp/loki'];
      assert.deepEqual(agent.config.exporters, { 'otlphttp/loki': loki }, 'the same Loki endpoint as the OTLP collector');
      assert.equal(loki.endpoint, 'http://loki-gateway.monitoring.svc/otlp');
      assert.deepEqual(agent.config.service.pipelines, {
        logs: { receivers: ['filelog'], processors: ['memory_limiter', 'k8sattributes', 'batch'], exporters: ['otlphttp/loki'] },
        traces: null,
        metrics: null,
      });
      assert.ok(Object.values(agent.config.receivers).every((r) => r === null), 'no receiver but the preset\'s filelog');
      const all = objects(model);
      const ns = all.find((o) => o.kind === 'Namespace' && o.metadata.name === 'log-collector')!;
      assert.equal(ns.metadata.labels!['pod-security.kubernetes.io/enforce'], 'privileged');
      assert.match(ns.metadata.annotations!['gamemetrics.dev/pod-security-reason'], /hostPath/);
      const policy = (namespace: string, name: string) => all.find((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === namespace && o.metadata.name === name)!;
      // Loki's gateway listens on 8080 in the pod (its Service's port 80).
      assert.deepEqual(policy('log-collector', 'allow-component-egress').spec.egress, [{ ports: [{ protocol: 'TCP', port: 8080 }] }]);
      assert.ok(policy('log-collector', 'allow-apiserver-egress'), 'k8sattributes reaches the API server');
      assert.ok(policy('monitoring', 'allow-component-ingress').spec.ingress[0].ports.some((p: any) => p.port === 8080));
      assert.equal(all.some((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'log-collector' && o.spec.ingress), false, 'nothing reaches the agent');
    });

    test(`${env}: Thanos (query, store, compactor, the sidecar on the metrics bucket) exactly where the environment declares it`, () => {
      const thanos = values(model, 'thanos');
      const spec = values(model, 'kube-prometheus-stack').prometheus.prometheusSpec;
      if (m.thanos) {
        assert.equal(thanos.existingObjstoreSecret, 'thanos-objstore');
        assert.equal(thanos.compactor.retentionResolutionRaw, m.thanos.retention.raw);
        assert.equal(thanos.storegateway.enabled, true);
        assert.deepEqual(spec.thanos.objectStorageConfig.existingSecret, { name: 'thanos-objstore', key: 'objstore.yml' });
        const es = objects(model).find((o) => o.kind === 'ExternalSecret' && o.metadata.name === 'thanos-objstore')!;
        assert.match(es.spec.target.template.data['objstore.yml'], new RegExp(`bucket: ${m.objectStore.buckets.metrics}`));
        assert.match(es.spec.target.template.data['objstore.yml'], /access_key: "\{\{ \.AWS_ACCESS_KEY_ID \}\}"/);
      } else {
        assert.equal(thanos, undefined, 'no Thanos Application');
        assert.equal(spec.thanos, undefined);
      }
    });

    test(`${env}: every service's ConfigMap names the collector, and its NetworkPolicy lets it reach it`, () => {
      const all = objects(model);
      for (const s of model.services) {
        const cm = all.find((o) => o.kind === 'ConfigMap' && o.metadata.name === `${s.name}-config`)!;
        assert.equal(cm.data.OTEL_EXPORTER_OTLP_ENDPOINT, 'http://otel-collector.monitoring.svc:4318');
        const np = all.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === s.name && o.metadata.namespace === s.namespace)!;
        assert.ok(np.spec.egress.some((r: any) => r.to?.[0].namespaceSelector?.matchLabels['kubernetes.io/metadata.name'] === 'monitoring' && r.ports[0].port === 4318), s.name);
      }
    });
  }

  test('only observability charts get derived values', () => {
    const model = realModel('prod');
    assert.equal(stackChartValues(model, model.components.find((c) => c.name === 'kyverno')!), null);
  });
});

describe('the loader', () => {
  const load = (platform: unknown, env: unknown) => tryLoadSpec(platform as PlatformSpec, env as EnvironmentSpec, { today: TINY_TODAY, migrations: { ledger: TINY_MIGRATIONS } });

  test('a component whose metrics port its network does not admit is refused at that line', () => {
    const spec = tinyPlatformCopy();
    (spec.components as any)['strimzi-operator'].metrics = { podSelector: { name: 'x' }, port: 9999 };
    const result = load(spec, tinyEnvironments.dev);
    assert.ok('problems' in result);
    assert.ok(result.problems.some((p) => p.path.join('.') === 'components.strimzi-operator.metrics.port' && /9999 is not among network.ingressPorts/.test(p.message)));
  });

  test('an environment without monitoring sizes is refused once a component installs the monitoring stack', () => {
    const { monitoring: _, ...env } = tinyEnvironments.dev;
    const result = load(tinyPlatformCopy(), env);
    assert.ok('problems' in result);
    assert.ok(result.problems.some((p) => p.path.join('.') === 'environments.dev.monitoring'));
  });

  test('installWhen: Thanos is installed only where the environment declares monitoring.thanos', () => {
    assert.ok(realModel('prod').components.some((c) => c.name === 'thanos'));
    assert.ok(realModel('staging').components.some((c) => c.name === 'thanos'));
    assert.ok(!realModel('dev').components.some((c) => c.name === 'thanos'));
  });
});
