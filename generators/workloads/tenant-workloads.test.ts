import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadModel } from '../../render/sources.ts';
import { platform } from '../../model/platform.ts';
import { autoscalers } from './autoscalers.ts';
import { configMaps } from './config-maps.ts';
import { disruptionBudgets } from './disruption-budgets.ts';
import { ingresses } from './ingresses.ts';
import { kafkaCaTrust } from '../kafka/ca-trust.ts';
import { namespaceGuardrails } from '../namespaces/namespace-guardrails.ts';
import { namespaces } from '../namespaces/namespaces.ts';
import { networkPolicies } from './network-policies.ts';
import { serviceAccounts } from './service-accounts.ts';
import { services } from './services.ts';
import type { Generator } from '../core/types.ts';
import { workloads } from './workloads.ts';

const TODAY = '2026-11-22';
const dev = loadModel('dev', { today: TODAY });
const prod = loadModel('prod', { today: TODAY });
const find = (generator: Generator, model: typeof dev, kind: string, name: string, namespace?: string) => {
  const file = generator({ model }).find((f) => f.object.kind === kind && f.object.metadata.name === name && (namespace === undefined || f.object.metadata.namespace === namespace));
  return file?.object as any;
};

describe('Deployments and CronJobs', () => {
  test('every pod template is hardened', () => {
    for (const file of workloads({ model: prod })) {
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
        assert.match(c.image, /^registry\.gamemetrics\.dev\/.+@sha256:[0-9a-f]{64}$/);
      }
    }
  });

  test('probes come from the model, cron jobs are not probed', () => {
    const ingestion = find(workloads, dev, 'Deployment', 'event-ingestion').spec.template.spec.containers[0];
    assert.deepEqual(ingestion.readinessProbe.httpGet, { path: '/readyz', port: 'http' });
    assert.deepEqual(ingestion.livenessProbe.httpGet, { path: '/healthz', port: 'http' });
    const spec = structuredClone(platform) as any;
    spec.tenants.gamemetrics.services['event-ingestion'].health = { readiness: '/ready', liveness: '/alive', initialDelaySeconds: 9 };
    const edited = loadModel('dev', { platform: spec, today: TODAY });
    const probe = find(workloads, edited, 'Deployment', 'event-ingestion').spec.template.spec.containers[0];
    assert.equal(probe.readinessProbe.httpGet.path, '/ready');
    assert.equal(probe.livenessProbe.httpGet.path, '/alive');
    assert.equal(probe.livenessProbe.initialDelaySeconds, 9);
    const cron = find(workloads, dev, 'CronJob', 'data-retention');
    assert.equal(cron.spec.schedule, '0 3 * * *');
    assert.equal(cron.spec.jobTemplate.spec.template.spec.containers[0].readinessProbe, undefined);
    assert.equal(cron.spec.jobTemplate.spec.template.spec.restartPolicy, 'OnFailure');
  });

  test('autoscaled Deployments leave replicas to the HPA; fixed ones set them', () => {
    assert.equal(find(workloads, prod, 'Deployment', 'event-ingestion').spec.replicas, undefined);
    assert.equal(find(workloads, prod, 'Deployment', 'notification-service').spec.replicas, 3);
  });

  test('multi-replica workloads spread over zones and nodes; single ones do not', () => {
    const spread = find(workloads, prod, 'Deployment', 'admin-dashboard').spec.template.spec.topologySpreadConstraints;
    assert.deepEqual(spread.map((c: any) => c.topologyKey), ['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
    assert.equal(find(workloads, dev, 'Deployment', 'admin-dashboard').spec.template.spec.topologySpreadConstraints, undefined);
  });

  test('labels: recommended app.kubernetes.io/* plus tenant, cost centre and environment', () => {
    const labels = find(workloads, dev, 'Deployment', 'prediction-api').metadata.labels;
    assert.deepEqual(labels, {
      'app.kubernetes.io/name': 'prediction-api',
      'app.kubernetes.io/instance': 'prediction-api',
      'app.kubernetes.io/component': 'http-api',
      'app.kubernetes.io/managed-by': 'gamemetrics-platform',
      'app.kubernetes.io/part-of': 'geo-climate',
      'gamemetrics.dev/tenant': 'geo-climate',
      'gamemetrics.dev/cost-centre': 'cc-2001-geo-climate',
      'gamemetrics.dev/environment': 'dev',
    });
  });
});

describe('HPAs and PodDisruptionBudgets', () => {
  test('prod HPAs: 3–20 replicas at 70 % CPU and 80 % memory', () => {
    const hpa = find(autoscalers, prod, 'HorizontalPodAutoscaler', 'event-processor');
    assert.equal(hpa.spec.minReplicas, 3);
    assert.equal(hpa.spec.maxReplicas, 20);
    assert.deepEqual(hpa.spec.metrics.map((m: any) => [m.resource.name, m.resource.target.averageUtilization]), [['cpu', 70], ['memory', 80]]);
    assert.deepEqual(hpa.spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'event-processor' });
  });

  test('PDBs exist for multi-replica workloads only, and always allow a disruption', () => {
    assert.equal(find(disruptionBudgets, dev, 'PodDisruptionBudget', 'event-ingestion'), undefined);
    const pdb = find(disruptionBudgets, prod, 'PodDisruptionBudget', 'event-ingestion');
    assert.equal(pdb.spec.maxUnavailable, 1);
    assert.deepEqual(pdb.spec.selector.matchLabels, find(workloads, prod, 'Deployment', 'event-ingestion').spec.selector.matchLabels);
    assert.equal(find(disruptionBudgets, prod, 'PodDisruptionBudget', 'data-retention'), undefined);
  });
});

describe('namespaces and guardrails', () => {
  test('namespaces enforce the restricted Pod Security Standard', () => {
    const ns = find(namespaces, dev, 'Namespace', 'gamemetrics');
    assert.equal(ns.metadata.labels['pod-security.kubernetes.io/enforce'], 'restricted');
    assert.equal(ns.metadata.labels['pod-security.kubernetes.io/enforce-version'], 'v1.34');
    assert.equal(ns.metadata.labels['gamemetrics.dev/cost-centre'], 'cc-1001-gamemetrics');
  });

  test('every managed namespace has default deny and DNS egress; tenants get quota and limits', () => {
    const files = namespaceGuardrails({ model: prod });
    for (const ns of namespaces({ model: prod }).map((f) => f.object.metadata.name)) {
      const deny = files.find((f) => f.object.metadata.namespace === ns && f.object.metadata.name === 'default-deny')?.object as any;
      assert.deepEqual(deny?.spec, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }, ns);
      assert.ok(files.some((f) => f.object.metadata.namespace === ns && f.object.metadata.name === 'allow-dns'), ns);
    }
    const quota = files.find((f) => f.object.kind === 'ResourceQuota' && f.object.metadata.namespace === 'gamemetrics')!.object as any;
    assert.equal(quota.spec.hard['requests.cpu'], '64');
    assert.equal(quota.spec.hard['services.nodeports'], '0');
    assert.ok(files.some((f) => f.object.kind === 'LimitRange' && f.object.metadata.namespace === 'geo-climate'));
  });
});

describe('NetworkPolicies follow calls, topics and datastores', () => {
  const policy = (name: string) => find(networkPolicies, dev, 'NetworkPolicy', name);
  test('a callee admits its callers, and only them, besides the gateway and Prometheus', () => {
    const sources = policy('user-service').spec.ingress.map((r: any) => r.from[0].podSelector.matchLabels['app.kubernetes.io/name']);
    assert.deepEqual(sources, ['admin-dashboard', 'notification-service', 'prometheus']);
  });

  test('a caller may reach its callees, Kafka and its datastores', () => {
    const egress = policy('notification-service').spec.egress;
    const targets = egress.map((r: any) => [r.to[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name'], r.ports.map((p: any) => p.port)]);
    assert.deepEqual(targets, [['gamemetrics', [8080]], ['kafka', [9093]], ['data', [6379]]]);
  });

  test('adding a call in the model opens exactly that path', () => {
    const spec = structuredClone(platform) as any;
    spec.tenants['geo-climate'].services['prediction-api'].calls = ['analytics-api'];
    const model = loadModel('dev', { platform: spec, today: TODAY });
    const analytics = find(networkPolicies, model, 'NetworkPolicy', 'analytics-api');
    const from = analytics.spec.ingress.find((r: any) => r.from[0].podSelector.matchLabels['app.kubernetes.io/name'] === 'prediction-api');
    assert.deepEqual(from.from[0].namespaceSelector.matchLabels, { 'kubernetes.io/metadata.name': 'geo-climate' });
    assert.equal(find(networkPolicies, dev, 'NetworkPolicy', 'analytics-api').spec.ingress.some((r: any) => r.from[0].podSelector.matchLabels['app.kubernetes.io/name'] === 'prediction-api'), false);
  });
});

describe('service accounts, services and configuration', () => {
  test('no service-account token unless the service needs the Kubernetes API', () => {
    assert.equal(find(serviceAccounts, dev, 'ServiceAccount', 'analytics-api').automountServiceAccountToken, false);
    const spec = structuredClone(platform) as any;
    spec.tenants.gamemetrics.services['analytics-api'].kubernetesApiAccess = true;
    const model = loadModel('dev', { platform: spec, today: TODAY });
    assert.equal(find(serviceAccounts, model, 'ServiceAccount', 'analytics-api').automountServiceAccountToken, true);
    assert.deepEqual(find(networkPolicies, model, 'NetworkPolicy', 'analytics-api').spec.egress.at(-1), { ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] });
  });

  test('cron jobs get no Service', () => {
    assert.equal(find(services, dev, 'Service', 'data-retention'), undefined);
    assert.deepEqual(find(services, dev, 'Service', 'analytics-api').spec.ports, [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }]);
  });

  test('the ConfigMap carries topics, dead-letter topics, peers and datastores', () => {
    const data = find(configMaps, dev, 'ConfigMap', 'event-processor-config').data;
    assert.equal(data.KAFKA_TOPIC_PLAYER_EVENTS_RAW, 'player.events.raw');
    assert.equal(data.KAFKA_TOPIC_PLAYER_EVENTS_PROCESSED, 'player.events.processed');
    assert.equal(data.KAFKA_DLQ_TOPIC_PLAYER_EVENTS_RAW, 'player.events.raw.dlq');
    assert.equal(data.KAFKA_GROUP_ID, 'event-processor');
    assert.equal(data.PGUSER, 'event_processor');
    assert.equal(find(configMaps, dev, 'ConfigMap', 'admin-dashboard-config').data.ANALYTICS_API_URL, 'http://analytics-api.gamemetrics.svc.cluster.local:8080');
    assert.equal(find(configMaps, dev, 'ConfigMap', 'event-ingestion-config').data.MAX_BATCH_EVENTS, '500');
  });
});

describe('ingress, rate limits and personal data', () => {
  test('services with ingress get a TLS Ingress on <host>.<domain> through the gateway class', () => {
    const ingress = find(ingresses, prod, 'Ingress', 'event-ingestion');
    assert.equal(ingress.spec.ingressClassName, 'istio');
    assert.deepEqual(ingress.spec.tls, [{ hosts: ['ingest.gamemetrics.dev'], secretName: 'event-ingestion-tls' }]);
    assert.equal(ingress.spec.rules[0].host, 'ingest.gamemetrics.dev');
    assert.equal(ingress.spec.rules[0].http.paths[0].path, '/v1/events');
    assert.equal(ingress.metadata.annotations['cert-manager.io/cluster-issuer'], 'letsencrypt');
    assert.equal(find(ingresses, dev, 'Ingress', 'event-ingestion').spec.rules[0].host, 'ingest.dev.gamemetrics.dev');
    assert.equal(find(ingresses, dev, 'Ingress', 'event-processor'), undefined);
  });

  test('rate-limit tiers reach the prediction API', () => {
    assert.equal(find(configMaps, dev, 'ConfigMap', 'prediction-api-config').data.RATE_LIMIT_TIERS, 'free=60,standard=600,enterprise=6000');
    assert.equal(find(configMaps, dev, 'ConfigMap', 'analytics-api-config').data.RATE_LIMIT_TIERS, undefined);
  });

  test('workloads holding personal data are labelled for GDPR scope', () => {
    assert.equal(find(workloads, dev, 'Deployment', 'user-service').spec.template.metadata.labels['gamemetrics.dev/personal-data'], 'true');
    assert.equal(find(workloads, dev, 'Deployment', 'analytics-api').spec.template.metadata.labels['gamemetrics.dev/personal-data'], undefined);
  });
});

describe('Kafka clients trust the cluster CA', () => {
  test('Kafka clients mount the cluster CA and are told where it is; others do not', () => {
    const pod = find(workloads, dev, 'Deployment', 'event-processor').spec.template.spec;
    const volume = pod.volumes.find((v: any) => v.name === 'kafka-cluster-ca');
    assert.deepEqual(volume.secret, { secretName: 'gamemetrics-cluster-ca-cert', items: [{ key: 'ca.crt', path: 'ca.crt' }] });
    assert.deepEqual(pod.containers[0].volumeMounts.find((m: any) => m.name === 'kafka-cluster-ca'), { name: 'kafka-cluster-ca', mountPath: '/etc/kafka-ca', readOnly: true });
    assert.equal(find(configMaps, dev, 'ConfigMap', 'event-processor-config').data.KAFKA_SSL_CA_FILE, '/etc/kafka-ca/ca.crt');
    assert.equal(find(workloads, dev, 'Deployment', 'analytics-api').spec.template.spec.volumes.some((v: any) => v.name === 'kafka-cluster-ca'), false);
  });

  test('a Kyverno rule copies the CA into exactly the namespaces with Kafka clients', () => {
    const policy = kafkaCaTrust({ model: dev })[0].object as any;
    const rule = policy.spec.rules[0];
    assert.deepEqual(rule.match.any[0].resources, { kinds: ['Namespace'], names: ['gamemetrics'] });
    assert.deepEqual(rule.generate.clone, { namespace: 'kafka', name: 'gamemetrics-cluster-ca-cert' });
    assert.equal(rule.generate.synchronize, true);
    const spec = structuredClone(platform) as any;
    for (const s of Object.values(spec.tenants.gamemetrics.services) as any[]) { delete s.produces; delete s.consumes; }
    assert.deepEqual(kafkaCaTrust({ model: loadModel('dev', { platform: spec, today: TODAY }) }), []);
  });
});
