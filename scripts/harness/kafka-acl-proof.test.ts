// Proof on a real Kafka broker that the dev environment's RENDERED KafkaTopics and KafkaUsers give
// every service exactly the access the model declares: declared produces and consumes work, every
// undeclared produce, consume, topic creation and transactional id is refused with an
// authorization error; a changed `consumes` in a copy of the model moves the matrix with it; the
// broker's topics match the rendered partitions and configs. One broker for the whole file.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import kafkajs from 'kafkajs';
import type { Admin } from 'kafkajs';
import { platform } from '../../model/platform.ts';
import type { PlatformSpec } from '../../model/spec.ts';
import { type KafkaBroker, startKafka } from './kafka.ts';
import { aclBindings, brokerBindings, kafkaUserPrincipal, reconcileAcls } from './kafka-acls.ts';
import { type AppliedUser, applyTopics, applyUsers } from './kafka-apply.ts';
import { accessMatrix, consumerGroupOf, expectedAccess, formatMatrix, matrixMismatches, type MatrixRow } from './kafka-matrix.ts';
import { type RenderedKafka, renderedKafka, topicNameOf, topicToCreate } from './kafka-rendered.ts';
import { renderAll } from '../../render/render.ts';

const { Kafka, ConfigResourceTypes } = kafkajs;

let broker: KafkaBroker;
let admin: Admin;
let users: AppliedUser[];
const dev = renderAll(['dev']).environments[0];
const rendered: RenderedKafka = renderedKafka(dev.files);
const topics = rendered.topics.map(topicNameOf);

/** Undeclared transactional ids per user (one each), plus the declared ones of `model`. */
function transactionsOf(model: typeof dev.model) {
  return (user: string) => {
    const service = model.services.find((s) => s.kafka?.user === user)!;
    const topic = service.kafka!.write[0];
    if (topic === undefined) return [];
    return [...service.kafka!.transactionalIds, `${user}.undeclared-tx`].map((id) => ({ id, topic }));
  };
}

async function matrixFor(model: typeof dev.model): Promise<MatrixRow[]> {
  return await accessMatrix({ clientConfig: (u, id) => broker.clientConfig(u, id), users, topics, transactions: transactionsOf(model), groupOf: consumerGroupOf(model) });
}

describe('dev Kafka access as rendered, on a real broker', () => {
  before(async () => {
    broker = await startKafka();
    admin = new Kafka(broker.clientConfig()).admin();
    await admin.connect();
    await applyTopics(admin, rendered.topics);
    users = await applyUsers(broker, admin, rendered.users);
    // A message in every topic, so a permitted consumer always has something to read.
    const producer = new Kafka(broker.clientConfig()).producer();
    await producer.connect();
    await producer.sendBatch({ topicMessages: topics.map((topic) => ({ topic, messages: [{ value: 'seed' }] })) });
    await producer.disconnect();
  });

  after(async () => {
    await admin?.disconnect();
    await broker?.destroy();
  });

  it('renders the topics and users the dev model declares', () => {
    assert.deepEqual([...topics].sort(), dev.model.topics.map((t) => t.name));
    assert.deepEqual(users.map((u) => u.username).sort(), dev.model.services.filter((s) => s.kafka).map((s) => s.name));
  });

  it("the broker's view of each topic matches its rendered KafkaTopic (partitions, configs)", async () => {
    const metadata = await admin.fetchTopicMetadata({ topics });
    const configs = await admin.describeConfigs({ includeSynonyms: false, resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })) });
    for (const topic of rendered.topics) {
      const want = topicToCreate(topic);
      const seen = metadata.topics.find((t) => t.name === want.topic);
      assert.ok(seen, `${want.topic} is missing on the broker`);
      assert.equal(seen.partitions.length, want.numPartitions, `${want.topic}: partitions`);
      assert.ok(seen.partitions.every((p) => p.replicas.length === want.replicationFactor), `${want.topic}: replication`);
      const entries = configs.resources.find((r) => r.resourceName === want.topic)!.configEntries;
      for (const { name, value } of want.configEntries) {
        assert.equal(entries.find((e) => e.configName === name)?.configValue, value, `${want.topic}: ${name}`);
      }
    }
  });

  it('holds exactly the ACLs of the Strimzi translation for every rendered KafkaUser', async () => {
    for (const user of rendered.users) {
      assert.deepEqual(await brokerBindings(admin, kafkaUserPrincipal(user)), aclBindings(user), `ACLs of ${user.metadata?.name}`);
    }
  });

  it('allows every declared produce and consume and refuses everything else with an authorization error', async () => {
    const rows = await matrixFor(dev.model);
    console.log(`\ndev access matrix (rendered KafkaUsers on Kafka ${broker.bootstrap}):\n${formatMatrix(rows, topics)}\n`);
    assert.deepEqual(matrixMismatches(rows, expectedAccess(dev.model)), []);
    // Both directions really occur: something is allowed and something refused for every user.
    for (const row of rows) {
      assert.ok([...row.produce.values()].some((o) => o.allowed), `${row.user} may produce somewhere`);
      assert.ok([...row.produce.values(), ...row.consume.values()].some((o) => !o.allowed), `${row.user} is refused somewhere`);
    }
  });

  it('follows a changed consumes (and a declared transactional id) in a copy of the model', async () => {
    // notification-service stops reading recommendations.generated and reads player.events.processed;
    // user-service declares a transactional id.
    const copy = structuredClone(platform) as PlatformSpec;
    const services = copy.tenants.gamemetrics.services as Record<string, PlatformSpec['tenants']['gamemetrics']['services'][keyof PlatformSpec['tenants']['gamemetrics']['services']]>;
    const notification = services['notification-service'];
    const moveTo = 'player.events.processed' as const;
    notification.consumes = notification.consumes!.map((c) =>
      typeof c === 'string' ? (c === 'recommendations.generated' ? moveTo : c) : c.topic === 'recommendations.generated' ? { ...c, topic: moveTo } : c);
    services['user-service'].transactionalIds = ['user-service.outbox'];
    const changed = renderAll(['dev'], { platform: copy }).environments[0];
    const changedUsers = renderedKafka(changed.files).users;

    // Reconcile like the user operator: only the two changed users' ACLs move.
    const moved: string[] = [];
    for (const user of changedUsers) {
      const { created, deleted } = await reconcileAcls(admin, user);
      if (created.length + deleted.length > 0) moved.push(user.metadata!.name!);
    }
    assert.deepEqual(moved.sort(), ['notification-service', 'user-service']);

    const rows = await matrixFor(changed.model);
    console.log(`\ndev access matrix after the change (notification-service: recommendations.generated → player.events.processed; user-service: transactional id user-service.outbox):\n${formatMatrix(rows, topics)}\n`);
    assert.deepEqual(matrixMismatches(rows, expectedAccess(changed.model)), []);
    const notificationRow = rows.find((r) => r.user === 'notification-service')!;
    assert.equal(notificationRow.consume.get('player.events.processed')?.allowed, true);
    assert.equal(notificationRow.consume.get('recommendations.generated')?.allowed, false);
    assert.equal(rows.find((r) => r.user === 'user-service')!.transactions.get('user-service.outbox')?.allowed, true);

    // And back: the original model's ACLs are restored exactly.
    for (const user of rendered.users) await reconcileAcls(admin, user);
    for (const user of rendered.users) assert.deepEqual(await brokerBindings(admin, kafkaUserPrincipal(user)), aclBindings(user));
  });
});
