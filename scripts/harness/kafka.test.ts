// Proves kafkajs 2.2.4 against a real Kafka 4.x broker with SCRAM-SHA-512 and ACLs.
// One broker for the whole file.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import kafkajs from 'kafkajs';
import type { Admin, Kafka as KafkaClient } from 'kafkajs';
import { startKafka, type KafkaBroker, type ScramUser } from './kafka.ts';

const { Kafka, logLevel, AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = kafkajs;

const TOPIC = 'harness.events';
const GROUP = 'harness-reader';
const writer: ScramUser = { username: 'writer', password: 'writer-pw' };
const reader: ScramUser = { username: 'reader', password: 'reader-pw' };
const stranger: ScramUser = { username: 'stranger', password: 'stranger-pw' };
// Read on the topic but no ACL on any group.
const groupless: ScramUser = { username: 'groupless', password: 'groupless-pw' };

let broker: KafkaBroker;
let admin: Admin;
// Refusals are expected here: keep kafkajs's error log out of the test output.
const client = (user: ScramUser = broker.admin): KafkaClient =>
  new Kafka({ ...broker.clientConfig(user, `test-${user.username}`), logLevel: logLevel.NOTHING });

/** Consumes `count` messages of `topic` from the beginning and returns their values. */
async function consume(user: ScramUser, groupId: string, topic: string, count: number): Promise<string[]> {
  const consumer = client(user).consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 500 });
  const values: string[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.CRASH, (event) => reject(event.payload.error));
      consumer
        .run({
          eachMessage: async ({ message }) => {
            values.push(message.value?.toString() ?? '');
            if (values.length >= count) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return values;
}

interface BrokerError {
  name?: string;
  type?: string;
  code?: number;
}

/** The broker error in a kafkajs error (itself, its cause, or the first of an aggregate). */
function brokerError(error: unknown): BrokerError {
  let current = error as (BrokerError & { cause?: unknown; errors?: unknown[] }) | undefined;
  while (current && current.type === undefined) {
    current = (current.cause ?? current.errors?.[0]) as typeof current;
  }
  return { name: current?.name, type: current?.type, code: current?.code };
}

/** Resolves to what `promise` rejected with; fails the test when it resolves. */
async function rejection(promise: Promise<unknown>, what: string): Promise<unknown> {
  return await promise.then(
    () => assert.fail(`expected a refusal: ${what}`),
    (error: unknown) => error,
  );
}

describe('Kafka 4.x broker with SCRAM-SHA-512 and ACLs (kafkajs 2.2.4)', () => {
  before(async () => {
    broker = await startKafka();
    await broker.createScramUsers([writer, reader, stranger, groupless]);
    admin = client().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    const allow = { host: '*', permissionType: AclPermissionTypes.ALLOW, resourcePatternType: ResourcePatternTypes.LITERAL };
    await admin.createAcls({
      acl: [
        { ...allow, principal: `User:${writer.username}`, resourceType: AclResourceTypes.TOPIC, resourceName: TOPIC, operation: AclOperationTypes.WRITE },
        { ...allow, principal: `User:${reader.username}`, resourceType: AclResourceTypes.TOPIC, resourceName: TOPIC, operation: AclOperationTypes.READ },
        // any group whose id starts with GROUP
        { ...allow, resourcePatternType: ResourcePatternTypes.PREFIXED, principal: `User:${reader.username}`, resourceType: AclResourceTypes.GROUP, resourceName: GROUP, operation: AclOperationTypes.READ },
        { ...allow, principal: `User:${groupless.username}`, resourceType: AclResourceTypes.TOPIC, resourceName: TOPIC, operation: AclOperationTypes.READ },
        // writer may create topics under the prefix 'writer.' and nothing else
        { ...allow, resourcePatternType: ResourcePatternTypes.PREFIXED, principal: `User:${writer.username}`, resourceType: AclResourceTypes.TOPIC, resourceName: 'writer.', operation: AclOperationTypes.CREATE },
      ],
    });
  });

  after(async () => {
    await admin?.disconnect();
    await broker?.destroy();
  });

  it('starts on 127.0.0.1 with SCRAM credentials for the admin', () => {
    assert.match(broker.bootstrap, /^127\.0\.0\.1:\d+$/);
    const config = broker.clientConfig();
    assert.deepEqual(config.brokers, [broker.bootstrap]);
    assert.equal(config.sasl?.mechanism, 'scram-sha-512');
    assert.equal(broker.admin.username, 'admin');
  });

  it('lets a SCRAM user with topic Write ACL produce and one with topic+group Read ACLs consume', async () => {
    const producer = client(writer).producer();
    await producer.connect();
    try {
      const [result] = await producer.send({ topic: TOPIC, messages: [{ value: 'one' }, { value: 'two' }, { value: 'three' }] });
      assert.equal(result.errorCode, 0);
    } finally {
      await producer.disconnect();
    }
    assert.deepEqual(await consume(reader, GROUP, TOPIC, 3), ['one', 'two', 'three']);
  });

  it('refuses a user without ACLs with TOPIC_AUTHORIZATION_FAILED (code 29)', async () => {
    const producer = client(stranger).producer({ retry: { retries: 0 } });
    await producer.connect();
    try {
      const error = await rejection(producer.send({ topic: TOPIC, messages: [{ value: 'nope' }] }), 'send without ACLs');
      assert.deepEqual(brokerError(error), { name: 'KafkaJSProtocolError', type: 'TOPIC_AUTHORIZATION_FAILED', code: 29 });
    } finally {
      await producer.disconnect();
    }
  });

  it('refuses a consumer without a group ACL (broker: GROUP_AUTHORIZATION_FAILED)', async () => {
    // kafkajs drops the broker's error while looking for the group coordinator and crashes with
    // KafkaJSGroupCoordinatorNotFound; the broker's answer is only in kafkajs's error log.
    const logged: string[] = [];
    const logCreator = () => (entry: { log: { message: string; error?: string } }) => {
      logged.push(`${entry.log.message}: ${entry.log.error ?? ''}`);
    };
    const config = { ...broker.clientConfig(groupless, 'test-groupless'), logLevel: logLevel.ERROR, logCreator };
    const consumer = new Kafka(config).consumer({ groupId: 'no-acl-group', retry: { retries: 0 } });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
      const crashed = new Promise<Error>((resolve) => consumer.on(consumer.events.CRASH, (event) => resolve(event.payload.error)));
      await consumer.run({ eachMessage: async () => assert.fail('a message was delivered without a group ACL') });
      assert.equal((await crashed).name, 'KafkaJSGroupCoordinatorNotFound');
    } finally {
      await consumer.disconnect();
    }
    assert.ok(
      logged.some((line) => line.includes('GroupCoordinator') && line.includes('Group authorization failed')),
      `no group authorization failure in kafkajs's log:\n${logged.join('\n')}`,
    );
  });

  it('refuses topic creation by a non-admin without a Create ACL, allows it under its Create prefix', async () => {
    const writerAdmin = client(writer).admin({ retry: { retries: 0 } });
    await writerAdmin.connect();
    try {
      const error = await rejection(writerAdmin.createTopics({ topics: [{ topic: 'unowned.topic' }] }), 'createTopics by a non-admin');
      assert.deepEqual(brokerError(error), { name: 'KafkaJSCreateTopicError', type: 'TOPIC_AUTHORIZATION_FAILED', code: 29 });
      // Create does not imply Describe, so the writer cannot wait for leaders itself
      assert.equal(await writerAdmin.createTopics({ topics: [{ topic: 'writer.owned' }], waitForLeaders: false }), true);
    } finally {
      await writerAdmin.disconnect();
    }
    assert.ok((await admin.listTopics()).includes('writer.owned'));
    assert.ok(!(await admin.listTopics()).includes('unowned.topic'));
  });

  it('does not auto-create topics on produce, even for the super user', async () => {
    const producer = client().producer({ retry: { retries: 0 } });
    await producer.connect();
    try {
      const error = await rejection(producer.send({ topic: 'writer.never-created', messages: [{ value: 'x' }] }), 'produce to a missing topic');
      assert.equal(brokerError(error).type, 'UNKNOWN_TOPIC_OR_PARTITION');
    } finally {
      await producer.disconnect();
    }
    assert.ok(!(await admin.listTopics()).includes('writer.never-created'));
  });

  it('keeps topics, messages, committed offsets, SCRAM users and ACLs across a restart on the same port', async () => {
    const bootstrap = broker.bootstrap;
    const committedGroup = `${GROUP}-committed`;
    await admin.setOffsets({ groupId: committedGroup, topic: TOPIC, partitions: [{ partition: 0, offset: '2' }] });
    await admin.disconnect();
    await broker.restart();
    assert.equal(broker.bootstrap, bootstrap);
    await admin.connect();
    assert.ok((await admin.listTopics()).includes(TOPIC));
    // the committed offset survived ...
    const [offsets] = await admin.fetchOffsets({ groupId: committedGroup, topics: [TOPIC] });
    assert.deepEqual(offsets.partitions.map((p) => p.offset), ['2']);
    // ... and so did the messages: a fresh group reads them from the beginning
    assert.deepEqual(await consume(reader, `${GROUP}-after-restart`, TOPIC, 3), ['one', 'two', 'three']);
    const acls = await admin.describeAcls({
      resourceType: AclResourceTypes.TOPIC,
      resourceName: TOPIC,
      resourcePatternType: ResourcePatternTypes.LITERAL,
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ANY,
    });
    const principals = acls.resources.flatMap((r) => r.acls.map((a) => a.principal)).sort();
    assert.deepEqual(principals, ['User:groupless', 'User:reader', 'User:writer']);
  });
});
