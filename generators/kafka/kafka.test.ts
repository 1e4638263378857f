// The Kafka concern on the tiny model (generators/testdata/): golden files per environment; cluster
// shape from environment values, topics, users with model-derived ACLs, MirrorMaker 2, network
// policies, the CA copy for clients, and schema validity against the Strimzi v1 CRD schemas.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Kafka } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/Kafka';
import { KafkaMirrorMaker2 } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/KafkaMirrorMaker2';
import { KafkaNodePool } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/KafkaNodePool';
import { KafkaTopic } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/KafkaTopic';
import { KafkaUser } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/KafkaUser';
import { parse } from 'yaml';
import { topicResourceName } from '../../model/kafka.ts';
import type { LoadedModel } from '../../model/loaded.ts';
import { concerns, generate } from '../index.ts';
import { goldenTests } from '../testdata/golden.ts';
import { dev as devSpec, prod as prodSpec, type TinyEnvironmentSpec } from '../testdata/tiny-environments.ts';
import { loadTiny, TINY_ENVS, tinyPlatformCopy } from '../testdata/tiny-model.ts';
import { kafkaCaTrust } from './ca-trust.ts';
import { kafkaCluster } from './cluster.ts';
import { kafkaMirror } from './mirror.ts';
import { kafkaTopics } from './topics.ts';
import { serviceAcls } from './users.ts';

// Objects as generated: tests assert on fields directly.
type Obj = any;
const staging: TinyEnvironmentSpec = {
  ...devSpec,
  name: 'staging',
  cluster: { ...devSpec.cluster, zones: ['z1', 'z2', 'z3'] },
  kafka: { ...devSpec.kafka, brokers: 3, replication: 3, minInsyncReplicas: 2 },
};
const models: Record<string, LoadedModel> = { dev: loadTiny('dev'), staging: loadTiny('dev', { environment: staging }), prod: loadTiny('prod') };
const specs: Record<string, TinyEnvironmentSpec> = { dev: devSpec, staging, prod: prodSpec };
const kafkaOf = (model: LoadedModel) => Object.values(concerns.kafka).flatMap((g) => g({ model }));
const kafkaObjects = (env: string) => kafkaOf(models[env]);
const find = (env: string, kind: string, name?: string): Obj[] =>
  kafkaObjects(env).filter((f) => f.object.kind === kind && (name === undefined || f.object.metadata.name === name)).map((f) => f.object);
const one = (env: string, kind: string, name?: string): Obj => {
  const found = find(env, kind, name);
  assert.equal(found.length, 1, `${env}: one ${kind} ${name ?? ''}`);
  return found[0];
};

goldenTests(join(import.meta.dirname, 'testdata'), 'the Kafka generators', kafkaOf);

describe('the Kafka cluster', () => {
  test('dev: one combined broker+controller, no rack awareness', () => {
    const pools = find('dev', 'KafkaNodePool');
    assert.deepEqual(pools.map((p) => [p.metadata.name, p.spec.replicas, p.spec.roles]), [['combined', 1, ['controller', 'broker']]]);
    assert.equal(pools[0].metadata.labels['strimzi.io/cluster'], 'tiny');
    assert.equal(pools[0].spec.storage.volumes[0].size, '20Gi');
    assert.equal(pools[0].spec.storage.volumes[0].kraftMetadata, 'shared');
    assert.equal(pools[0].spec.template, undefined);
    assert.equal(one('dev', 'Kafka').spec.kafka.rack, undefined);
  });

  test('three combined nodes over three zones: spread and rack-aware', () => {
    const pools = find('staging', 'KafkaNodePool');
    assert.deepEqual(pools.map((p) => [p.metadata.name, p.spec.replicas, p.spec.roles]), [['combined', 3, ['controller', 'broker']]]);
    const spread = pools[0].spec.template.pod.topologySpreadConstraints[0];
    assert.equal(spread.topologyKey, 'topology.kubernetes.io/zone');
    assert.deepEqual(spread.labelSelector.matchLabels, { 'strimzi.io/cluster': 'tiny', 'strimzi.io/pool-name': 'combined' });
    assert.deepEqual(one('staging', 'Kafka').spec.kafka.rack, { topologyKey: 'topology.kubernetes.io/zone' });
  });

  test('prod: three brokers and three dedicated controllers, rack-aware', () => {
    const pools = find('prod', 'KafkaNodePool');
    assert.deepEqual(pools.map((p) => [p.metadata.name, p.spec.replicas, p.spec.roles]).sort(), [['brokers', 3, ['broker']], ['controllers', 3, ['controller']]]);
    assert.deepEqual(pools.find((p) => p.metadata.name === 'controllers').spec.storage, { type: 'persistent-claim', size: '20Gi', class: 'fast-ssd', deleteClaim: false });
    assert.equal(pools.find((p) => p.metadata.name === 'brokers').spec.storage.volumes[0].size, '500Gi');
    const kafka = one('prod', 'Kafka');
    assert.deepEqual(kafka.spec.kafka.rack, { topologyKey: 'topology.kubernetes.io/zone' });
    assert.equal(kafka.spec.kafka.config['replica.selector.class'], 'org.apache.kafka.common.replica.RackAwareReplicaSelector');
  });

  test('listener: internal TLS on 9093 with SCRAM-SHA-512, simple authorization, broker defaults from the environment', () => {
    for (const env of ['dev', 'staging', 'prod']) {
      const kafka = one(env, 'Kafka');
      const spec = specs[env].kafka;
      assert.equal(kafka.apiVersion, 'kafka.strimzi.io/v1');
      assert.equal(kafka.metadata.name, 'tiny');
      assert.equal(kafka.metadata.namespace, 'kafka');
      assert.deepEqual(kafka.spec.kafka.listeners.map((l: Obj) => [l.name, l.port, l.type, l.tls, l.authentication.type]), [['tls', 9093, 'internal', true, 'scram-sha-512']]);
      assert.deepEqual(kafka.spec.kafka.authorization, { type: 'simple' });
      assert.equal(kafka.spec.kafka.config['auto.create.topics.enable'], false);
      assert.equal(kafka.spec.kafka.config['default.replication.factor'], spec.replication);
      assert.equal(kafka.spec.kafka.config['min.insync.replicas'], spec.minInsyncReplicas);
      assert.equal(kafka.spec.kafka.config['num.partitions'], spec.defaultPartitions);
      // the model's bootstrap address is this listener's service
      assert.equal(models[env].environment.kafka.bootstrapServers, `${kafka.metadata.name}-kafka-bootstrap.kafka.svc:9093`);
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
    const groups = new RegExp(`^(${kafka.spec.kafkaExporter.groupRegex})$`);
    assert.ok(groups.test('rank-worker'));
    assert.ok(!groups.test('score-api'), 'a producer-only service has no group');
    assert.equal(kafka.spec.kafkaExporter.topicRegex, 'scores\\.ranked|scores\\.raw|scores\\.raw\\.dlq');
    assert.deepEqual(kafka.spec.entityOperator, { topicOperator: { watchedNamespace: 'kafka' }, userOperator: { watchedNamespace: 'arcade' } });
  });

  test('the shape follows environment values, not names', () => {
    const qa: TinyEnvironmentSpec = {
      ...devSpec,
      name: 'qa',
      cluster: { ...devSpec.cluster, zones: ['z1', 'z2', 'z3'] },
      kafka: { ...devSpec.kafka, brokers: 5, controllers: 3, replication: 3, minInsyncReplicas: 2, disasterRecovery: { clusterAlias: 'qa-dr', bootstrapServers: 'dr.example:9094' } },
    };
    const model = loadTiny('dev', { environment: qa });
    const out = kafkaCluster({ model }).map((f) => f.object as Obj);
    assert.deepEqual(out.filter((o) => o.kind === 'KafkaNodePool').map((p) => [p.metadata.name, p.spec.replicas]), [['controllers', 3], ['brokers', 5]]);
    assert.ok(out.find((o) => o.kind === 'Kafka').spec.kafka.rack);
    assert.equal(kafkaMirror({ model }).length, 2);
    // one zone: no rack awareness however many brokers
    const oneZone = loadTiny('dev', { environment: { ...qa, cluster: { ...qa.cluster, zones: ['z1'] } } });
    assert.equal(kafkaCluster({ model: oneZone }).map((f) => f.object as Obj).find((o) => o.kind === 'Kafka').spec.kafka.rack, undefined);
  });

  test('the listener admits only the pods of services that use Kafka (and MirrorMaker 2 where it runs)', () => {
    const peers = (env: string) => one(env, 'Kafka').spec.kafka.listeners[0].networkPolicyPeers.map((p: Obj) => [
      p.namespaceSelector.matchLabels['kubernetes.io/metadata.name'],
      p.podSelector.matchLabels['app.kubernetes.io/name'] ?? p.podSelector.matchLabels['strimzi.io/kind'],
    ]);
    assert.deepEqual(peers('dev'), [['arcade', 'rank-worker'], ['arcade', 'score-api']]);
    assert.deepEqual(peers('prod'), [['arcade', 'rank-worker'], ['arcade', 'score-api'], ['kafka', 'KafkaMirrorMaker2']]);
  });
});

describe('topics', () => {
  test('prod: partitions from the topic override or the environment default, replication 3, min.insync.replicas 2', () => {
    const topics = find('prod', 'KafkaTopic');
    assert.deepEqual(topics.map((t) => [t.metadata.name, t.spec.partitions]), [['scores.ranked', 6], ['scores.raw', 12], ['scores.raw.dlq', 6]]);
    for (const topic of topics) {
      assert.equal(topic.spec.replicas, 3);
      assert.equal(topic.spec.config['min.insync.replicas'], 2);
      assert.equal(topic.metadata.namespace, 'kafka');
      assert.equal(topic.metadata.labels['strimzi.io/cluster'], 'tiny');
      assert.equal(topic.metadata.labels['gamemetrics.dev/tenant'], 'arcade');
    }
    assert.deepEqual(find('dev', 'KafkaTopic').map((t) => [t.spec.partitions, t.spec.replicas]), [[2, 1], [2, 1], [2, 1]]);
  });

  test('retention, cleanup policy and dead-letter purpose per topic', () => {
    const dlq = one('dev', 'KafkaTopic', 'scores.raw.dlq');
    assert.equal(dlq.spec.config['retention.ms'], 14 * 24 * 3600 * 1000);
    assert.equal(dlq.spec.config['cleanup.policy'], 'delete');
    assert.equal(dlq.metadata.labels['gamemetrics.dev/topic-purpose'], 'dead-letter');
    const ranked = one('dev', 'KafkaTopic', 'scores.ranked');
    assert.equal(ranked.spec.config['retention.ms'], 24 * 3600 * 1000);
    assert.equal(ranked.spec.config['cleanup.policy'], 'compact');
    assert.equal(ranked.metadata.labels['gamemetrics.dev/topic-purpose'], 'events');
  });

  test('a topic name that is not a Kubernetes name gets a valid object name and spec.topicName', () => {
    assert.equal(topicResourceName('scores.raw'), 'scores.raw');
    assert.equal(topicResourceName('Billing_Events'), 'billing-events');
    const model = models.dev;
    const odd = { ...model, topics: [{ ...model.topics[0], name: 'Billing_Events' }] };
    const [file] = kafkaTopics({ model: odd });
    assert.equal(file.object.metadata.name, 'billing-events');
    assert.equal((file.object as Obj).spec.topicName, 'Billing_Events');
    assert.equal(one('dev', 'KafkaTopic', 'scores.raw').spec.topicName, undefined);
  });
});

describe('users', () => {
  test("one KafkaUser per service that touches Kafka, in the service's namespace, synced by the tenant", () => {
    const files = generate(models.dev);
    const users = files.filter((f) => f.object.kind === 'KafkaUser');
    assert.deepEqual(users.map((u) => u.path), ['tenants/arcade/arcade/kafkauser-rank-worker.yaml', 'tenants/arcade/arcade/kafkauser-score-api.yaml']);
    for (const user of users.map((u) => u.object as Obj)) {
      assert.equal(user.metadata.namespace, 'arcade');
      assert.equal(user.metadata.labels['strimzi.io/cluster'], 'tiny');
      assert.deepEqual(user.spec.authentication, { type: 'scram-sha-512' });
      assert.equal(user.spec.template.secret.metadata.labels['app.kubernetes.io/name'], user.metadata.name);
    }
    const project = files.find((f) => f.object.kind === 'AppProject' && f.object.metadata.name === 'dev-arcade')!.object as Obj;
    assert.ok(project.spec.namespaceResourceWhitelist.some((k: Obj) => k.group === 'kafka.strimzi.io' && k.kind === 'KafkaUser'));
  });

  test('the Deployment reads KAFKA_PASSWORD from the KafkaUser Secret; no password is rendered', () => {
    const files = generate(models.dev);
    const deployment = files.find((f) => f.object.kind === 'Deployment' && f.object.metadata.name === 'rank-worker')!.object as Obj;
    const password = deployment.spec.template.spec.containers[0].env.find((e: Obj) => e.name === 'KAFKA_PASSWORD');
    assert.deepEqual(password.valueFrom.secretKeyRef, { name: 'rank-worker', key: 'password' });
    // A string under a `password` key may only name a key of a referenced Secret (`passwordSecret`, a chart's `existingSecret`).
    const literalPasswords = (node: Obj, at: string): string[] => {
      if (node === null || typeof node !== 'object') return [];
      return Object.entries(node).flatMap(([key, value]) =>
        /password/i.test(key) && typeof value === 'string' && !('secretName' in node) && !('existingSecret' in node) ? [`${at}.${key}`] : literalPasswords(value, `${at}.${key}`));
    };
    for (const env of TINY_ENVS) {
      for (const { path, object } of generate(models[env])) {
        assert.notEqual(object.kind, 'Secret', path);
        assert.deepEqual(literalPasswords(object, path), []);
        assert.doesNotMatch(JSON.stringify(object), /sasl\.jaas\.config/, path);
      }
    }
    assert.deepEqual(literalPasswords({ spec: { password: 'hunter2' } }, 'x'), ['x.spec.password']);
  });

  test('ACLs: exactly produce → Write+Describe, consume → Read+Describe + Read on its group, dead letters and transactional ids → Write+Describe', () => {
    const simplify = (acls: Obj[]) => acls.map((a) => `${a.type} ${a.resource.type}:${a.resource.name}:${a.resource.patternType} ${a.operations.join('+')} @${a.host}`);
    assert.deepEqual(simplify(one('dev', 'KafkaUser', 'rank-worker').spec.authorization.acls), [
      'allow topic:scores.ranked:literal Write+Describe @*',
      'allow topic:scores.raw:literal Read+Describe @*',
      'allow topic:scores.raw.dlq:literal Write+Describe @*',
      'allow group:rank-worker:literal Read @*',
    ]);
    // a producer-only service: no group, no read
    assert.deepEqual(simplify(one('dev', 'KafkaUser', 'score-api').spec.authorization.acls), [
      'allow topic:scores.raw:literal Write+Describe @*',
      'allow transactionalId:score-api.tx:literal Write+Describe @*',
    ]);
  });

  test('transactional ids only where declared', () => {
    const base = { user: 'x', groupId: null, groupPrefix: null, write: ['t'], read: [], transactionalIds: [] as string[] };
    assert.ok(!serviceAcls(base).some((a) => a.resource.type === 'transactionalId'));
    const withTx = serviceAcls({ ...base, transactionalIds: ['x.tx'] });
    assert.deepEqual(withTx.filter((a) => a.resource.type === 'transactionalId').map((a) => [a.resource.name, a.operations]), [['x.tx', ['Write', 'Describe']]]);
    // reading and writing one topic merges into one rule
    assert.deepEqual(serviceAcls({ ...base, read: ['t'], groupId: 'x' })[0].operations, ['Read', 'Write', 'Describe']);
  });

  test('prefixed consumer groups: Read on every group starting with <service>-, no literal group', () => {
    const acls = serviceAcls({ user: 'reg', groupId: null, groupPrefix: 'reg-', write: ['j'], read: ['j'], transactionalIds: [] });
    assert.deepEqual(acls.filter((a) => a.resource.type === 'group').map((a) => [a.resource.name, a.resource.patternType, a.operations]), [['reg-', 'prefix', ['Read']]]);
  });
});

describe('MirrorMaker 2 and network policies', () => {
  test('prod mirrors every platform topic to the DR cluster named in the environment; dev does not', () => {
    assert.equal(find('dev', 'KafkaMirrorMaker2').length, 0);
    assert.equal(find('staging', 'KafkaMirrorMaker2').length, 0);
    const mm2 = one('prod', 'KafkaMirrorMaker2');
    const dr = prodSpec.kafka.disasterRecovery!;
    assert.equal(mm2.metadata.name, 'tiny-to-tiny-dr');
    assert.equal(mm2.spec.target.alias, dr.clusterAlias);
    assert.equal(mm2.spec.target.bootstrapServers, dr.bootstrapServers);
    const pattern = new RegExp(`^(${mm2.spec.mirrors[0].topicsPattern})$`);
    for (const topic of models.prod.topics) assert.ok(pattern.test(topic.name), topic.name);
    assert.ok(!pattern.test('scores.rawX') && !pattern.test('__consumer_offsets'));
    assert.equal(mm2.spec.mirrors[0].groupsPattern, 'rank-worker');
    assert.equal(mm2.spec.mirrors[0].source.bootstrapServers, models.prod.environment.kafka.bootstrapServers);
    // its KafkaUser on this cluster is read-only and lives where the user operator watches
    const user = one('prod', 'KafkaUser', 'tiny-mirror-maker-2');
    assert.equal(user.metadata.namespace, 'arcade');
    assert.ok(user.spec.authorization.acls.every((a: Obj) => !a.operations.includes('Write')));
  });

  test('the kafka namespace allows its own traffic, scrapes from monitoring, and the operator reaches the brokers', () => {
    const policies = kafkaObjects('prod').filter((f) => f.object.kind === 'NetworkPolicy');
    assert.deepEqual(policies.map((p) => p.path).sort(), [
      'platform/kafka/kafka/networkpolicy-allow-metrics-scrape.yaml',
      'platform/kafka/kafka/networkpolicy-allow-mirror-maker-2-to-tiny-dr.yaml',
      'platform/kafka/kafka/networkpolicy-tiny-internal.yaml',
      'platform/kafka/strimzi/networkpolicy-allow-tiny-kafka-egress.yaml',
    ]);
    const spec = (name: string) => (policies.find((p) => p.path.includes(name))!.object as Obj).spec;
    // the DR cluster's port comes from its bootstrap address
    assert.deepEqual(spec('mirror-maker').egress[0].ports, [{ protocol: 'TCP', port: 9094 }]);
    assert.deepEqual(spec('metrics-scrape').ingress[0].from, [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }]);
    assert.deepEqual(spec('kafka-egress').egress[0].to, [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kafka' } }, podSelector: { matchLabels: {} } }]);
    assert.ok(!kafkaObjects('dev').some((f) => f.path.includes('mirror-maker')));
  });

  test('every Strimzi object validates against the Strimzi v1 schema', () => {
    const classes: Record<string, new (data: Obj) => { validate(): void }> = { Kafka, KafkaNodePool, KafkaTopic, KafkaUser, KafkaMirrorMaker2 };
    const kinds: string[] = [];
    for (const env of Object.keys(models)) {
      for (const { path, object } of kafkaObjects(env)) {
        if (object.apiVersion !== 'kafka.strimzi.io/v1') continue;
        assert.doesNotThrow(() => new classes[object.kind](object).validate(), path);
        kinds.push(object.kind);
      }
    }
    assert.deepEqual(new Set(kinds), new Set(Object.keys(classes)));
    assert.throws(() => new KafkaTopic({ apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaTopic', metadata: { name: 'x' }, spec: { partitions: 0 } } as Obj).validate());
  });
});

describe('Kafka clients trust the cluster CA', () => {
  test('a Kyverno rule copies the CA into exactly the namespaces with Kafka clients', () => {
    const policy = kafkaCaTrust({ model: models.dev })[0].object as Obj;
    const rule = policy.spec.rules[0];
    assert.deepEqual(rule.match.any[0].resources, { kinds: ['Namespace'], names: ['arcade'] });
    assert.deepEqual(rule.generate.clone, { namespace: 'kafka', name: 'tiny-cluster-ca-cert' });
    assert.equal(rule.generate.name, 'tiny-cluster-ca-cert');
    assert.equal(rule.generate.synchronize, true);
    const spec = tinyPlatformCopy();
    for (const s of Object.values(spec.tenants.arcade.services)) { delete s.produces; delete s.consumes; delete s.transactionalIds; }
    assert.deepEqual(kafkaCaTrust({ model: loadTiny('dev', { platform: spec }) }), []);
  });
});
