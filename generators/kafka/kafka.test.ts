// The rendered Kafka objects per environment: cluster shape from environment values, topics,
// users with model-derived ACLs, MirrorMaker 2, network policies, and schema validity against the
// Strimzi v1 CRD schemas.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Kafka } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/Kafka';
import { KafkaMirrorMaker2 } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/KafkaMirrorMaker2';
import { KafkaNodePool } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/KafkaNodePool';
import { KafkaTopic } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/KafkaTopic';
import { KafkaUser } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/KafkaUser';
import { parse } from 'yaml';
import { environments } from '../../environments/index.ts';
import { topicResourceName } from '../../model/kafka.ts';
import { kafkaCluster } from './cluster.ts';
import { kafkaMirror } from './mirror.ts';
import { kafkaTopics } from './topics.ts';
import { serviceAcls } from './users.ts';
import { loadModel } from '../../render/sources.ts';
import type { EnvironmentSpec } from '../../model/spec.ts';
import { renderAll } from '../../render/render.ts';

const TODAY = '2026-11-22';
const rendered = renderAll(undefined, { today: TODAY });
const env = (name: string) => rendered.environments.find((e) => e.env === name)!;
// Parsed YAML: tests assert on fields directly.
type Obj = any;
const objects = (name: string): Array<{ path: string; object: Obj }> =>
  [...env(name).files].map(([path, content]) => ({ path, object: parse(content) }));
const find = (name: string, kind: string, objectName?: string): Obj[] =>
  objects(name).filter((f) => f.object.kind === kind && (objectName === undefined || f.object.metadata.name === objectName)).map((f) => f.object);
const one = (name: string, kind: string, objectName?: string): Obj => {
  const found = find(name, kind, objectName);
  assert.equal(found.length, 1, `${name}: one ${kind} ${objectName ?? ''}`);
  return found[0];
};

describe('the Kafka cluster', () => {
  test('dev: one combined broker+controller, no rack awareness', () => {
    const pools = find('dev', 'KafkaNodePool');
    assert.deepEqual(pools.map((p) => [p.metadata.name, p.spec.replicas, p.spec.roles]), [['combined', 1, ['controller', 'broker']]]);
    assert.equal(pools[0].metadata.labels['strimzi.io/cluster'], 'gamemetrics');
    assert.equal(pools[0].spec.storage.volumes[0].size, '20Gi');
    assert.equal(pools[0].spec.storage.volumes[0].kraftMetadata, 'shared');
    assert.equal(pools[0].spec.template, undefined);
    assert.equal(one('dev', 'Kafka').spec.kafka.rack, undefined);
  });

  test('staging: three combined nodes spread over zones, rack-aware', () => {
    const pools = find('staging', 'KafkaNodePool');
    assert.deepEqual(pools.map((p) => [p.metadata.name, p.spec.replicas, p.spec.roles]), [['combined', 3, ['controller', 'broker']]]);
    assert.equal(pools[0].spec.template.pod.topologySpreadConstraints[0].topologyKey, 'topology.kubernetes.io/zone');
    assert.deepEqual(one('staging', 'Kafka').spec.kafka.rack, { topologyKey: 'topology.kubernetes.io/zone' });
  });

  test('prod: three brokers and three dedicated controllers, rack-aware', () => {
    const pools = find('prod', 'KafkaNodePool');
    assert.deepEqual(pools.map((p) => [p.metadata.name, p.spec.replicas, p.spec.roles]).sort(), [['brokers', 3, ['broker']], ['controllers', 3, ['controller']]]);
    const kafka = one('prod', 'Kafka');
    assert.deepEqual(kafka.spec.kafka.rack, { topologyKey: 'topology.kubernetes.io/zone' });
    assert.equal(kafka.spec.kafka.config['replica.selector.class'], 'org.apache.kafka.common.replica.RackAwareReplicaSelector');
  });

  test('listener: internal TLS on 9093 with SCRAM-SHA-512, simple authorization, broker defaults from the environment', () => {
    for (const name of ['dev', 'staging', 'prod']) {
      const kafka = one(name, 'Kafka');
      const spec = environments.find((e) => e.name === name)!.kafka;
      assert.equal(kafka.apiVersion, 'kafka.strimzi.io/v1');
      assert.equal(kafka.metadata.namespace, 'kafka');
      assert.deepEqual(kafka.spec.kafka.listeners.map((l: Obj) => [l.name, l.port, l.type, l.tls, l.authentication.type]), [['tls', 9093, 'internal', true, 'scram-sha-512']]);
      assert.deepEqual(kafka.spec.kafka.authorization, { type: 'simple' });
      assert.equal(kafka.spec.kafka.config['auto.create.topics.enable'], false);
      assert.equal(kafka.spec.kafka.config['default.replication.factor'], spec.replication);
      assert.equal(kafka.spec.kafka.config['min.insync.replicas'], spec.minInsyncReplicas);
      // the model's bootstrap address is this listener's service
      assert.equal(env(name).model.environment.kafka.bootstrapServers, `${kafka.metadata.name}-kafka-bootstrap.kafka.svc:9093`);
    }
  });

  test('Prometheus metrics from a ConfigMap, Kafka Exporter for consumer lag, topic and user operators', () => {
    const kafka = one('dev', 'Kafka');
    const ref = kafka.spec.kafka.metricsConfig.valueFrom.configMapKeyRef;
    assert.equal(kafka.spec.kafka.metricsConfig.type, 'jmxPrometheusExporter');
    const configMap = one('dev', 'ConfigMap', ref.name);
    assert.equal(configMap.metadata.namespace, 'kafka');
    const rules = parse(configMap.data[ref.key]);
    assert.ok(rules.rules.length > 5 && rules.rules.every((r: Obj) => r.pattern && r.name));
    assert.ok(new RegExp(`^(${kafka.spec.kafkaExporter.groupRegex})$`).test('event-processor'));
    assert.ok(!new RegExp(`^(${kafka.spec.kafkaExporter.groupRegex})$`).test('event-ingestion'), 'a producer-only service has no group');
    assert.deepEqual(kafka.spec.entityOperator, { topicOperator: { watchedNamespace: 'kafka' }, userOperator: { watchedNamespace: 'gamemetrics' } });
  });

  test('the shape follows environment values, not names', () => {
    const dev = environments.find((e) => e.name === 'dev')!;
    const qa: EnvironmentSpec = {
      ...dev,
      name: 'qa',
      cluster: { ...dev.cluster, zones: ['z1', 'z2', 'z3'] },
      kafka: { ...dev.kafka, brokers: 5, controllers: 3, replication: 3, minInsyncReplicas: 2, disasterRecovery: { clusterAlias: 'qa-dr', bootstrapServers: 'dr.example:9094' } },
    };
    const model = loadModel('qa', { environments: [qa], today: TODAY });
    const out = kafkaCluster({ model }).map((f) => f.object as Obj);
    const pools = out.filter((o) => o.kind === 'KafkaNodePool');
    assert.deepEqual(pools.map((p) => [p.metadata.name, p.spec.replicas]), [['controllers', 3], ['brokers', 5]]);
    assert.ok(out.find((o) => o.kind === 'Kafka').spec.kafka.rack);
    assert.equal(kafkaMirror({ model }).length, 2);
    // one zone: no rack awareness however many brokers
    const oneZone = loadModel('qa', { environments: [{ ...qa, cluster: { ...qa.cluster, zones: ['z1'] } }], today: TODAY });
    assert.equal(kafkaCluster({ model: oneZone }).map((f) => f.object as Obj).find((o) => o.kind === 'Kafka').spec.kafka.rack, undefined);
  });

  test('the listener admits only the pods of services that use Kafka (and MirrorMaker 2 where it runs)', () => {
    const peers = (name: string) => one(name, 'Kafka').spec.kafka.listeners[0].networkPolicyPeers.map((p: Obj) => p.podSelector.matchLabels['app.kubernetes.io/name'] ?? p.podSelector.matchLabels['strimzi.io/kind']);
    const users = env('dev').model.services.filter((s) => s.kafka).map((s) => s.name);
    assert.deepEqual(peers('dev'), users);
    assert.deepEqual(peers('prod'), [...users, 'KafkaMirrorMaker2']);
  });
});

describe('topics', () => {
  test('prod: 12 partitions for player.events.raw, 6 for the others, replication 3, min.insync.replicas 2', () => {
    for (const topic of find('prod', 'KafkaTopic')) {
      assert.equal(topic.spec.partitions, topic.metadata.name === 'player.events.raw' ? 12 : 6, topic.metadata.name);
      assert.equal(topic.spec.replicas, 3);
      assert.equal(topic.spec.config['min.insync.replicas'], 2);
      assert.equal(topic.metadata.namespace, 'kafka');
      assert.equal(topic.metadata.labels['strimzi.io/cluster'], 'gamemetrics');
    }
  });

  test('retention, cleanup policy and dead-letter purpose per topic', () => {
    const dlq = one('dev', 'KafkaTopic', 'player.events.raw.dlq');
    assert.equal(dlq.spec.config['retention.ms'], 14 * 24 * 3600 * 1000);
    assert.equal(dlq.spec.config['cleanup.policy'], 'delete');
    assert.equal(dlq.metadata.labels['gamemetrics.dev/topic-purpose'], 'dead-letter');
    assert.equal(one('dev', 'KafkaTopic', 'notifications.outbound').spec.config['retention.ms'], 24 * 3600 * 1000);
    assert.equal(find('dev', 'KafkaTopic').length, env('dev').model.topics.length);
  });

  test('a topic name that is not a Kubernetes name gets a valid object name and spec.topicName', () => {
    assert.equal(topicResourceName('player.events.raw'), 'player.events.raw');
    assert.equal(topicResourceName('Billing_Events'), 'billing-events');
    const model = env('dev').model;
    const odd = { ...model, topics: [{ ...model.topics[0], name: 'Billing_Events' }] };
    const [file] = kafkaTopics({ model: odd });
    assert.equal(file.object.metadata.name, 'billing-events');
    assert.equal((file.object as Obj).spec.topicName, 'Billing_Events');
    assert.equal((one('dev', 'KafkaTopic', 'player.events.raw').spec as Obj).topicName, undefined);
  });
});

describe('users', () => {
  test("one KafkaUser per service that touches Kafka, in the service's namespace, synced by the tenant", () => {
    const users = objects('dev').filter((f) => f.object.kind === 'KafkaUser');
    const expected = env('dev').model.services.filter((s) => s.kafka);
    assert.deepEqual(users.map((u) => u.object.metadata.name).sort(), expected.map((s) => s.name));
    for (const service of expected) {
      const file = users.find((u) => u.object.metadata.name === service.name)!;
      assert.equal(file.path, `tenants/${service.tenant}/${service.namespace}/kafkauser-${service.name}.yaml`);
      assert.equal(file.object.metadata.namespace, service.namespace);
      assert.deepEqual(file.object.spec.authentication, { type: 'scram-sha-512' });
    }
    const project = one('dev', 'AppProject', 'dev-gamemetrics');
    assert.ok(project.spec.namespaceResourceWhitelist.some((k: Obj) => k.group === 'kafka.strimzi.io' && k.kind === 'KafkaUser'));
  });

  test('the Deployment reads KAFKA_PASSWORD from the KafkaUser Secret; no password is rendered', () => {
    const deployment = one('dev', 'Deployment', 'event-processor');
    const password = deployment.spec.template.spec.containers[0].env.find((e: Obj) => e.name === 'KAFKA_PASSWORD');
    assert.deepEqual(password.valueFrom.secretKeyRef, { name: 'event-processor', key: 'password' });
    // A string under a `password` key may only name a key of a referenced Secret (`passwordSecret`).
    const literalPasswords = (node: Obj, at: string): string[] => {
      if (node === null || typeof node !== 'object') return [];
      return Object.entries(node).flatMap(([key, value]) =>
        /password/i.test(key) && typeof value === 'string' && !('secretName' in node) ? [`${at}.${key}`] : literalPasswords(value, `${at}.${key}`));
    };
    for (const e of rendered.environments) {
      for (const { path, object } of objects(e.env)) {
        assert.notEqual(object.kind, 'Secret', path);
        assert.deepEqual(literalPasswords(object, path), []);
        assert.doesNotMatch(e.files.get(path)!, /sasl\.jaas\.config/, path);
      }
    }
    assert.deepEqual(literalPasswords({ spec: { password: 'hunter2' } }, 'x'), ['x.spec.password']);
  });

  test('ACLs: exactly produce → Write+Describe, consume → Read+Describe + Read on its group, dead letters → Write+Describe', () => {
    const processor = one('dev', 'KafkaUser', 'event-processor');
    const simplify = (acls: Obj[]) => acls.map((a) => `${a.type} ${a.resource.type}:${a.resource.name}:${a.resource.patternType} ${a.operations.join('+')} @${a.host}`);
    assert.deepEqual(simplify(processor.spec.authorization.acls), [
      'allow topic:player.events.processed:literal Write+Describe @*',
      'allow topic:player.events.raw:literal Read+Describe @*',
      'allow topic:player.events.raw.dlq:literal Write+Describe @*',
      'allow group:event-processor:literal Read @*',
    ]);
    // a producer-only service: no group, no read
    assert.deepEqual(simplify(one('dev', 'KafkaUser', 'event-ingestion').spec.authorization.acls), ['allow topic:player.events.raw:literal Write+Describe @*']);
  });

  test('transactional ids only where declared', () => {
    const base = { user: 'x', groupId: null, write: ['t'], read: [], transactionalIds: [] as string[] };
    assert.ok(!serviceAcls(base).some((a) => a.resource.type === 'transactionalId'));
    const withTx = serviceAcls({ ...base, transactionalIds: ['x.tx'] });
    assert.deepEqual(withTx.filter((a) => a.resource.type === 'transactionalId').map((a) => [a.resource.name, a.operations]), [['x.tx', ['Write', 'Describe']]]);
    // reading and writing one topic merges into one rule
    assert.deepEqual(serviceAcls({ ...base, read: ['t'], groupId: 'x' })[0].operations, ['Read', 'Write', 'Describe']);
  });
});

describe('MirrorMaker 2 and network policies', () => {
  test('prod mirrors every platform topic to the DR cluster named in the environment; dev and staging do not', () => {
    assert.equal(find('dev', 'KafkaMirrorMaker2').length, 0);
    assert.equal(find('staging', 'KafkaMirrorMaker2').length, 0);
    const mm2 = one('prod', 'KafkaMirrorMaker2');
    const dr = environments.find((e) => e.name === 'prod')!.kafka.disasterRecovery!;
    assert.equal(mm2.spec.target.alias, dr.clusterAlias);
    assert.equal(mm2.spec.target.bootstrapServers, dr.bootstrapServers);
    const pattern = new RegExp(`^(${mm2.spec.mirrors[0].topicsPattern})$`);
    for (const topic of env('prod').model.topics) assert.ok(pattern.test(topic.name), topic.name);
    assert.ok(!pattern.test('player.events.rawX') && !pattern.test('__consumer_offsets'));
    assert.equal(mm2.spec.mirrors[0].source.bootstrapServers, env('prod').model.environment.kafka.bootstrapServers);
    // its KafkaUser on this cluster is read-only and lives where the user operator watches
    const user = one('prod', 'KafkaUser', 'gamemetrics-mirror-maker-2');
    assert.equal(user.metadata.namespace, 'gamemetrics');
    assert.ok(user.spec.authorization.acls.every((a: Obj) => !a.operations.includes('Write')));
  });

  test('the kafka namespace allows its own traffic, scrapes from monitoring, and the operator reaches the brokers', () => {
    const policies = objects('prod').filter((f) => f.object.kind === 'NetworkPolicy' && f.path.startsWith('platform/kafka/'));
    assert.deepEqual(policies.map((p) => p.path).sort(), [
      'platform/kafka/kafka/networkpolicy-allow-metrics-scrape.yaml',
      'platform/kafka/kafka/networkpolicy-allow-mirror-maker-2-to-gm-dr.yaml',
      'platform/kafka/kafka/networkpolicy-gamemetrics-internal.yaml',
      'platform/kafka/strimzi/networkpolicy-allow-gamemetrics-kafka-egress.yaml',
    ]);
    const egress = policies.find((p) => p.path.includes('mirror-maker'))!.object;
    assert.deepEqual(egress.spec.egress[0].ports, [{ protocol: 'TCP', port: 9093 }]);
    assert.ok(!objects('dev').some((f) => f.path.includes('mirror-maker')));
  });

  test('every Strimzi object validates against the Strimzi v1 schema', () => {
    const classes: Record<string, new (data: Obj) => { validate(): void }> = { Kafka, KafkaNodePool, KafkaTopic, KafkaUser, KafkaMirrorMaker2 };
    let count = 0;
    for (const e of rendered.environments) {
      for (const { path, object } of objects(e.env)) {
        if (object.apiVersion !== 'kafka.strimzi.io/v1') continue;
        assert.doesNotThrow(() => new classes[object.kind](object).validate(), path);
        count++;
      }
    }
    assert.ok(count > 40);
    assert.throws(() => new KafkaTopic({ apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaTopic', metadata: { name: 'x' }, spec: { partitions: 0 } } as Obj).validate());
  });
});
