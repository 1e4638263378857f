// The workloads concern on the tiny model (generators/testdata/): golden files per environment, and
// the behaviours that matter asserted field by field.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { LoadedModel } from '../../model/loaded.ts';
import { concerns } from '../index.ts';
import { goldenTests } from '../testdata/golden.ts';
import { TINY_MIGRATIONS, TINY_TODAY, loadTiny, tinyPlatformCopy } from '../testdata/tiny-model.ts';
import { tinyEnvironments } from '../testdata/tiny-environments.ts';
import { tryLoadSpec } from '../../model/loader.ts';
import type { EnvironmentSpec, PlatformSpec } from '../../model/spec.ts';
import { withConfigHashes } from '../core/config-hash.ts';
import type { Generator } from '../core/types.ts';
import { autoscalers } from './autoscalers.ts';
import { configMaps } from './config-maps.ts';
import { disruptionBudgets } from './disruption-budgets.ts';
import { ingresses } from './ingresses.ts';
import { networkPolicies } from './network-policies.ts';
import { serviceAccounts } from './service-accounts.ts';
import { services } from './services.ts';
import { workloads } from './workloads.ts';

const dev = loadTiny('dev');
const prod = loadTiny('prod');
const find = (generator: Generator, model: LoadedModel, kind: string, name: string) => {
  const file = generator({ model }).find((f) => f.object.kind === kind && f.object.metadata.name === name);
  return file?.object as any;
};

goldenTests(join(import.meta.dirname, 'testdata'), 'the workloads generators', (model) => withConfigHashes(Object.values(concerns.workloads).flatMap((g) => g({ model }))));

describe('Deployments and CronJobs', () => {
  test('every pod template is hardened', () => {
    const files = workloads({ model: prod });
    assert.deepEqual(files.map((f) => f.object.kind).sort(), ['CronJob', 'Deployment', 'Deployment', 'Deployment', 'Deployment']);
    for (const file of files) {
      const object = file.object as any;
      const pod = object.kind === 'CronJob' ? object.spec.jobTemplate.spec.template.spec : object.spec.template.spec;
      assert.equal(pod.securityContext.runAsNonRoot, true, file.path);
      assert.equal(pod.securityContext.seccompProfile.type, 'RuntimeDefault');
      assert.equal(pod.automountServiceAccountToken, false);
      for (const c of pod.containers) {
        assert.deepEqual(c.securityContext.capabilities, { drop: ['ALL'] });
        assert.equal(c.securityContext.allowPrivilegeEscalation, false);
        assert.equal(c.securityContext.readOnlyRootFilesystem, true);
        assert.ok(c.resources.requests.cpu && c.resources.limits.memory);
        assert.match(c.image, /^registry\.tiny\.test\/.+@sha256:[0-9a-f]{64}$/);
      }
    }
    assert.equal(find(workloads, prod, 'Deployment', 'score-api').spec.template.spec.containers[0].image, `registry.tiny.test/arcade/score-api@sha256:${'6'.repeat(64)}`);
  });

  test('probes come from the model, cron jobs are not probed', () => {
    const api = find(workloads, dev, 'Deployment', 'score-api').spec.template.spec.containers[0];
    assert.deepEqual(api.readinessProbe.httpGet, { path: '/readyz', port: 'http' });
    assert.deepEqual(api.livenessProbe.httpGet, { path: '/healthz', port: 'http' });
    assert.equal(api.livenessProbe.initialDelaySeconds, 5);
    const forecast = find(workloads, dev, 'Deployment', 'forecast-api').spec.template.spec.containers[0];
    assert.equal(forecast.readinessProbe.httpGet.path, '/ready');
    assert.equal(forecast.livenessProbe.httpGet.path, '/live');
    assert.equal(forecast.livenessProbe.initialDelaySeconds, 9);
    const spec = tinyPlatformCopy();
    spec.tenants.arcade.services['score-api'].health = { readiness: '/up' };
    assert.equal(find(workloads, loadTiny('dev', { platform: spec }), 'Deployment', 'score-api').spec.template.spec.containers[0].readinessProbe.httpGet.path, '/up');
    const cron = find(workloads, dev, 'CronJob', 'nightly-rollup');
    assert.equal(cron.metadata.namespace, 'arcade-jobs');
    assert.equal(cron.spec.schedule, '0 3 * * *');
    assert.equal(cron.spec.jobTemplate.spec.template.spec.containers[0].readinessProbe, undefined);
    assert.equal(cron.spec.jobTemplate.spec.template.spec.containers[0].livenessProbe, undefined);
    assert.equal(cron.spec.jobTemplate.spec.template.spec.restartPolicy, 'OnFailure');
  });

  test('autoscaled Deployments leave replicas to the HPA; fixed ones set them', () => {
    assert.equal(find(workloads, prod, 'Deployment', 'score-api').spec.replicas, undefined);
    assert.equal(find(workloads, prod, 'Deployment', 'rank-worker').spec.replicas, 3);
    assert.equal(find(workloads, dev, 'Deployment', 'rank-worker').spec.replicas, 1);
  });

  test('multi-replica workloads spread over zones and nodes; single ones do not', () => {
    const spread = find(workloads, prod, 'Deployment', 'scoreboard-web').spec.template.spec.topologySpreadConstraints;
    assert.deepEqual(spread.map((c: any) => c.topologyKey), ['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
    assert.deepEqual(spread[0].labelSelector.matchLabels, { 'app.kubernetes.io/name': 'scoreboard-web', 'app.kubernetes.io/instance': 'scoreboard-web' });
    assert.equal(find(workloads, dev, 'Deployment', 'scoreboard-web').spec.template.spec.topologySpreadConstraints, undefined);
  });

  test('labels: recommended app.kubernetes.io/* plus tenant, cost centre and environment', () => {
    assert.deepEqual(find(workloads, dev, 'Deployment', 'forecast-api').metadata.labels, {
      'app.kubernetes.io/name': 'forecast-api',
      'app.kubernetes.io/instance': 'forecast-api',
      'app.kubernetes.io/component': 'http-api',
      'app.kubernetes.io/managed-by': 'gamemetrics-platform',
      'app.kubernetes.io/part-of': 'labs',
      'gamemetrics.dev/tenant': 'labs',
      'gamemetrics.dev/cost-centre': 'cc-200-labs',
      'gamemetrics.dev/environment': 'dev',
    });
  });
});

describe('HPAs and PodDisruptionBudgets', () => {
  test('HPA bounds and targets come from the environment: prod 3–20 at 70 % CPU and 80 % memory, dev 1–3', () => {
    const hpa = find(autoscalers, prod, 'HorizontalPodAutoscaler', 'score-api');
    assert.equal(hpa.spec.minReplicas, 3);
    assert.equal(hpa.spec.maxReplicas, 20);
    assert.deepEqual(hpa.spec.metrics.map((m: any) => [m.resource.name, m.resource.target.averageUtilization]), [['cpu', 70], ['memory', 80]]);
    assert.deepEqual(hpa.spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'score-api' });
    const small = find(autoscalers, dev, 'HorizontalPodAutoscaler', 'score-api');
    assert.deepEqual([small.spec.minReplicas, small.spec.maxReplicas], [1, 3]);
    assert.deepEqual(autoscalers({ model: prod }).map((f) => f.object.metadata.name).sort(), ['forecast-api', 'score-api', 'scoreboard-web']);
  });

  test('HPA behaviour: written out in full, defaults field by field under the service\'s own, the environment\'s, then the override', () => {
    const hpa = find(autoscalers, prod, 'HorizontalPodAutoscaler', 'score-api');
    assert.deepEqual(hpa.spec.behavior, {
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }, { type: 'Pods', value: 4, periodSeconds: 15 }] },
      scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 20, periodSeconds: 60 }] },
    });
    const platform = tinyPlatformCopy() as any;
    const scoreApi = Object.values(platform.tenants).flatMap((t: any) => Object.entries(t.services)).find(([name]) => name === 'score-api')![1] as any;
    scoreApi.scaling = { autoscale: { ...scoreApi.scaling?.autoscale, behavior: { scaleDownPercent: 10, scaleUpPods: 2 } } };
    const env = structuredClone(tinyEnvironments.prod) as any;
    env.autoscaling = { ...env.autoscaling, behavior: { scaleUpPods: 6, scaleDownStabilizationSeconds: 600 } };
    const result = tryLoadSpec(platform as PlatformSpec, env as EnvironmentSpec, { today: TINY_TODAY, migrations: { ledger: TINY_MIGRATIONS } });
    assert.ok('model' in result, JSON.stringify('problems' in result ? result.problems : ''));
    const edited = find(autoscalers, result.model, 'HorizontalPodAutoscaler', 'score-api').spec.behavior;
    assert.deepEqual(edited.scaleUp.policies.map((p: any) => p.value), [100, 6], 'the environment\'s scaleUpPods wins over the service\'s');
    assert.equal(edited.scaleDown.stabilizationWindowSeconds, 600);
    assert.deepEqual(edited.scaleDown.policies[0].value, 10, 'the service\'s own scaleDownPercent stays where the environment says nothing');
  });

  test('PDBs exist for multi-replica workloads only, and always allow a disruption', () => {
    assert.equal(find(disruptionBudgets, dev, 'PodDisruptionBudget', 'score-api'), undefined);
    const pdb = find(disruptionBudgets, prod, 'PodDisruptionBudget', 'score-api');
    assert.equal(pdb.spec.maxUnavailable, 1);
    assert.deepEqual(pdb.spec.selector.matchLabels, find(workloads, prod, 'Deployment', 'score-api').spec.selector.matchLabels);
    assert.equal(find(disruptionBudgets, prod, 'PodDisruptionBudget', 'rank-worker').spec.maxUnavailable, 1);
    assert.equal(find(disruptionBudgets, prod, 'PodDisruptionBudget', 'nightly-rollup'), undefined);
  });
});

describe('NetworkPolicies follow calls, topics and datastores', () => {
  const policy = (model: LoadedModel, name: string) => find(networkPolicies, model, 'NetworkPolicy', name);
  const peers = (rules: any[], side: 'from' | 'to') =>
    rules.map((r) => [r[side][0].namespaceSelector.matchLabels['kubernetes.io/metadata.name'], r[side][0].podSelector.matchLabels, r.ports.map((p: any) => `${p.protocol}/${p.port}`)]);

  test('a callee admits its callers, the gateway (when exposed) and Prometheus, and only them', () => {
    const selector = (name: string) => ({ 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name });
    assert.deepEqual(peers(policy(dev, 'score-api').spec.ingress, 'from'), [
      ['arcade', selector('scoreboard-web'), ['TCP/8080']],
      ['gateway', { app: 'gateway' }, ['TCP/8080']],
      ['monitoring', { 'app.kubernetes.io/name': 'prometheus' }, ['TCP/8080']],
    ]);
    assert.deepEqual(peers(policy(dev, 'forecast-api').spec.ingress, 'from'), [['monitoring', { 'app.kubernetes.io/name': 'prometheus' }, ['TCP/8080']]]);
    assert.deepEqual(policy(dev, 'nightly-rollup').spec.ingress, []);
    assert.deepEqual(policy(dev, 'score-api').spec.policyTypes, ['Ingress', 'Egress']);
  });

  test('a caller may reach its callees, Kafka on the TLS listener and its datastores', () => {
    assert.deepEqual(peers(policy(dev, 'scoreboard-web').spec.egress, 'to'), [['arcade', { 'app.kubernetes.io/name': 'score-api', 'app.kubernetes.io/instance': 'score-api' }, ['TCP/8080']]]);
    assert.deepEqual(peers(policy(dev, 'rank-worker').spec.egress, 'to'), [
      ['kafka', { 'strimzi.io/cluster': 'tiny', 'strimzi.io/kind': 'Kafka' }, ['TCP/9093']],
      ['data', { 'cnpg.io/cluster': 'ledger' }, ['TCP/5432']],
    ]);
    assert.deepEqual(peers(policy(dev, 'nightly-rollup').spec.egress, 'to'), [['data', { 'cnpg.io/cluster': 'ledger' }, ['TCP/5432']]]);
    assert.deepEqual(policy(dev, 'forecast-api').spec.egress, []);
  });

  test('adding a call in the model opens exactly that path', () => {
    const spec = tinyPlatformCopy();
    spec.tenants.labs.services['forecast-api'].calls = ['score-api'];
    const model = loadTiny('dev', { platform: spec });
    const fromLabs = policy(model, 'score-api').spec.ingress.filter((r: any) => r.from[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name'] === 'labs');
    assert.deepEqual(fromLabs.map((r: any) => r.from[0].podSelector.matchLabels['app.kubernetes.io/name']), ['forecast-api']);
    assert.equal(policy(model, 'score-api').spec.ingress.length, policy(dev, 'score-api').spec.ingress.length + 1);
    assert.deepEqual(peers(policy(model, 'forecast-api').spec.egress, 'to'), [['arcade', { 'app.kubernetes.io/name': 'score-api', 'app.kubernetes.io/instance': 'score-api' }, ['TCP/8080']]]);
  });

  test('an external endpoint opens egress to public addresses only, on its ports', () => {
    const spec = tinyPlatformCopy();
    spec.externals = [...(spec.externals ?? []), { kind: 'ExternalEndpoint', name: 'weather feed', reason: 'A third-party forecast API on the internet.' }];
    spec.tenants.labs.services['forecast-api'].externalEgress = [{ external: 'weather feed', ports: [443, 8443] }];
    const model = loadTiny('dev', { platform: spec });
    const egress = policy(model, 'forecast-api').spec.egress;
    assert.deepEqual(egress, [{
      to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16'] } }],
      ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 8443 }],
    }]);
    assert.deepEqual(policy(dev, 'forecast-api').spec.egress, [], 'nothing without the declaration');
  });
});

describe('service accounts, services and configuration', () => {
  test('no service-account token unless the service needs the Kubernetes API, which also opens egress to it', () => {
    assert.equal(find(serviceAccounts, dev, 'ServiceAccount', 'forecast-api').automountServiceAccountToken, false);
    const spec = tinyPlatformCopy();
    spec.tenants.labs.services['forecast-api'].kubernetesApiAccess = true;
    const model = loadTiny('dev', { platform: spec });
    assert.equal(find(serviceAccounts, model, 'ServiceAccount', 'forecast-api').automountServiceAccountToken, true);
    assert.equal(find(workloads, model, 'Deployment', 'forecast-api').spec.template.spec.automountServiceAccountToken, true);
    assert.deepEqual(find(networkPolicies, model, 'NetworkPolicy', 'forecast-api').spec.egress.at(-1), { ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] });
  });

  test('cron jobs get no Service; the others a ClusterIP on their ports', () => {
    assert.equal(find(services, dev, 'Service', 'nightly-rollup'), undefined);
    const service = find(services, dev, 'Service', 'score-api');
    assert.equal(service.spec.type, 'ClusterIP');
    assert.deepEqual(service.spec.ports, [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }]);
    assert.deepEqual(service.spec.selector, { 'app.kubernetes.io/name': 'score-api', 'app.kubernetes.io/instance': 'score-api' });
  });

  test('the ConfigMap carries topics, dead-letter topics, group, peers, datastores and the environment\'s overrides', () => {
    const data = find(configMaps, dev, 'ConfigMap', 'rank-worker-config').data;
    assert.equal(data.KAFKA_TOPIC_SCORES_RAW, 'scores.raw');
    assert.equal(data.KAFKA_TOPIC_SCORES_RANKED, 'scores.ranked');
    assert.equal(data.KAFKA_DLQ_TOPIC_SCORES_RAW, 'scores.raw.dlq');
    assert.equal(data.KAFKA_GROUP_ID, 'rank-worker');
    // The schema of each topic it produces (typed event contracts), none of what it only consumes.
    assert.deepEqual(JSON.parse(data.KAFKA_SCHEMA_SCORES_RANKED).required, ['playerId', 'rank']);
    assert.equal(data.KAFKA_SCHEMA_SCORES_RAW, undefined);
    assert.equal(data.KAFKA_BROKERS, 'tiny-kafka-bootstrap.kafka.svc:9093');
    assert.deepEqual([data.PGHOST, data.PGPORT, data.PGDATABASE, data.PGUSER], ['ledger-rw.data.svc.cluster.local', '5432', 'arcade', 'rank_worker']);
    assert.equal(find(configMaps, dev, 'ConfigMap', 'scoreboard-web-config').data.SCORE_API_URL, 'http://score-api.arcade.svc.cluster.local:8080');
    assert.equal(find(configMaps, dev, 'ConfigMap', 'score-api-config').data.MAX_BATCH_SCORES, '500');
    assert.equal(find(configMaps, prod, 'ConfigMap', 'score-api-config').data.MAX_BATCH_SCORES, '1000');
    assert.equal(find(configMaps, dev, 'ConfigMap', 'forecast-api-config').data.KAFKA_BROKERS, undefined);
  });

  test('secrets reach the container by reference only', () => {
    const pod = find(workloads, dev, 'Deployment', 'score-api').spec.template.spec;
    const env = pod.containers[0].env;
    assert.deepEqual(env.filter((e: any) => e.valueFrom).map((e: any) => [e.name, e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.key]), [
      ['KAFKA_PASSWORD', 'score-api', 'password'],
      ['PGPASSWORD', 'score-api-ledger', 'password'],
      ['API_KEYS', 'score-api-keys', 'api-keys'],
    ]);
    // The rotating database password is also mounted; the pool re-reads the file on each connection.
    assert.deepEqual(env.filter((e: any) => !e.valueFrom), [{ name: 'PGPASSWORD_FILE', value: '/var/run/secrets/gamemetrics.dev/score-api-ledger/password' }]);
    const volume = pod.volumes.find((v: any) => v.secret?.secretName === 'score-api-ledger');
    assert.deepEqual(volume.secret.items, [{ key: 'password', path: 'password' }]);
    const mount = pod.containers[0].volumeMounts.find((m: any) => m.name === volume.name);
    assert.deepEqual(mount, { name: volume.name, mountPath: '/var/run/secrets/gamemetrics.dev/score-api-ledger', readOnly: true }, 'no subPath: a subPath mount never sees an update');
  });
});

describe('ingress, rate limits and personal data', () => {
  test('services with ingress get a TLS Ingress on <host>.<domain> through the gateway class', () => {
    const ingress = find(ingresses, prod, 'Ingress', 'score-api');
    assert.equal(ingress.spec.ingressClassName, 'nginx');
    assert.deepEqual(ingress.spec.tls, [{ hosts: ['scores.tiny.test'], secretName: 'score-api-tls' }]);
    assert.equal(ingress.spec.rules[0].host, 'scores.tiny.test');
    assert.equal(ingress.spec.rules[0].http.paths[0].path, '/v1/scores');
    assert.deepEqual(ingress.spec.rules[0].http.paths[0].backend, { service: { name: 'score-api', port: { name: 'http' } } });
    assert.equal(ingress.metadata.annotations['cert-manager.io/cluster-issuer'], 'tiny-issuer');
    assert.equal(find(ingresses, dev, 'Ingress', 'score-api').spec.rules[0].host, 'scores.dev.tiny.test');
    assert.equal(find(ingresses, dev, 'Ingress', 'scoreboard-web').spec.rules[0].http.paths[0].path, '/');
    assert.equal(find(ingresses, dev, 'Ingress', 'rank-worker'), undefined);
  });

  test('rate-limit tiers reach the service that declares them', () => {
    const data = find(configMaps, dev, 'ConfigMap', 'score-api-config').data;
    // Per minute / per day / burst; burst defaults to the per-minute rate, 'unlimited' stays a word.
    assert.equal(data.RATE_LIMIT_TIERS, 'free=60/1000/100,pro=600/unlimited/600,unlimited=unlimited/unlimited/unlimited');
    assert.equal(data.RATE_LIMIT_DEFAULT_TIER, 'free');
    assert.equal(data.RATE_LIMIT_ENDPOINTS, 'POST /v1/scores/batch=30/30');
    assert.equal(data.RATE_LIMIT_WHEN_REDIS_DOWN, 'closed');
    const none = find(configMaps, dev, 'ConfigMap', 'forecast-api-config').data;
    assert.deepEqual(Object.keys(none).filter((k) => k.startsWith('RATE_LIMIT')), []);
  });

  test('workloads holding personal data are labelled for GDPR scope', () => {
    assert.equal(find(workloads, dev, 'Deployment', 'score-api').spec.template.metadata.labels['gamemetrics.dev/personal-data'], 'true');
    assert.equal(find(workloads, dev, 'Deployment', 'forecast-api').spec.template.metadata.labels['gamemetrics.dev/personal-data'], undefined);
  });
});

describe('Kafka clients trust the cluster CA', () => {
  test('Kafka clients mount the cluster CA and are told where it is; others do not', () => {
    const pod = find(workloads, dev, 'Deployment', 'rank-worker').spec.template.spec;
    const volume = pod.volumes.find((v: any) => v.name === 'kafka-cluster-ca');
    assert.deepEqual(volume.secret, { secretName: 'tiny-cluster-ca-cert', items: [{ key: 'ca.crt', path: 'ca.crt' }] });
    assert.deepEqual(pod.containers[0].volumeMounts.find((m: any) => m.name === 'kafka-cluster-ca'), { name: 'kafka-cluster-ca', mountPath: '/etc/kafka-ca', readOnly: true });
    assert.equal(find(configMaps, dev, 'ConfigMap', 'rank-worker-config').data.KAFKA_SSL_CA_FILE, '/etc/kafka-ca/ca.crt');
    assert.equal(find(workloads, dev, 'Deployment', 'forecast-api').spec.template.spec.volumes.some((v: any) => v.name === 'kafka-cluster-ca'), false);
    assert.equal(find(configMaps, dev, 'ConfigMap', 'forecast-api-config').data.KAFKA_SSL_CA_FILE, undefined);
  });
});
