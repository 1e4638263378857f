/**
 * ConsumerGroupMember (apps/lib/consumer-lifecycle.ts) on a real Kafka broker, shared by the file:
 * a consumer kafkajs gives up on is replaced, readiness follows it out of and back into the group;
 * stop() leaves the group and closes the companion; start() retries while no broker answers and
 * returns once stopped; a stop() that lands while a consumer or its companion is connecting (the
 * first start or the replacement after a crash) leaves no client connected and no member in the group.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import type { Admin, Consumer, EachBatchPayload, Kafka, Producer } from 'kafkajs';
import type { Companion } from '../consumer-lifecycle.ts';
import { freePort, waitFor } from '../../../scripts/harness/process.ts';
import { startKafka, type KafkaBroker } from '../../../scripts/harness/kafka.ts';
import { ConsumerGroupMember, REPLACE_AFTER_MS } from '../consumer-lifecycle.ts';
import { createKafka } from '../kafka.ts';

const WAIT = { timeoutMs: 90_000, intervalMs: 100 };
const FAILURE = 'the first batch fails';

/** A logger whose lines are kept, parsed, for assertions. */
function capturedLog(): { log: ReturnType<typeof Fastify>['log']; lines: { level: number; msg: string; attempt?: number }[] } {
  const lines: { level: number; msg: string; attempt?: number }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.startsWith('{')) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: Fastify({ logger: { level: 'info', stream } }).log, lines };
}

function kafkaAt(brokers: string, broker?: KafkaBroker): Kafka {
  const { log } = capturedLog();
  return createKafka({
    KAFKA_CLIENT_ID: 'lifecycle-test',
    KAFKA_BROKERS: brokers,
    KAFKA_SSL: false,
    KAFKA_SASL_MECHANISM: 'scram-sha-512',
    KAFKA_USERNAME: broker?.admin.username ?? 'nobody',
    KAFKA_PASSWORD: broker?.admin.password ?? 'none',
  }, log);
}

/** A client made through `recorded`, and whether it is connected now (from its own connect/disconnect events). */
interface Made {
  name: string;
  connected: boolean;
}

/**
 * `kafka`, whose consumers and producers are kept in `made` ('consumer 1', 'producer 2', ...) and call
 * `onCall('<name> <method>')` as their connect(), subscribe() or run() begins, before the real call.
 */
function recorded(kafka: Kafka, onCall: (call: string) => void): { kafka: Kafka; made: Made[] } {
  const made: Made[] = [];
  const record = <C extends Consumer | Producer>(kind: string, client: C, on: (event: string, listener: () => void) => void): C => {
    const entry: Made = { name: `${kind} ${made.filter((m) => m.name.startsWith(kind)).length + 1}`, connected: false };
    made.push(entry);
    on(client.events.CONNECT, () => (entry.connected = true));
    on(client.events.DISCONNECT, () => (entry.connected = false));
    return new Proxy(client, {
      get(target, key) {
        const value: unknown = Reflect.get(target, key);
        if (typeof value !== 'function' || !['connect', 'subscribe', 'run'].includes(String(key))) return value;
        return (...args: unknown[]) => {
          onCall(`${entry.name} ${String(key)}`);
          return value.apply(target, args);
        };
      },
    });
  };
  const wrapper = Object.create(kafka) as Kafka;
  wrapper.consumer = (config) => {
    const c = kafka.consumer(config);
    return record('consumer', c, (event, listener) => c.on(event as typeof c.events.CONNECT, listener));
  };
  wrapper.producer = (config) => {
    const p = kafka.producer(config);
    return record('producer', p, (event, listener) => p.on(event as typeof p.events.CONNECT, listener));
  };
  return { kafka: wrapper, made };
}

/** A companion as the services have one: a fresh producer connected with each consumer; the latest one closed. */
function producerCompanion(kafka: Kafka): Companion {
  let producer: Producer | undefined;
  return {
    connect: async () => {
      producer = kafka.producer();
      await producer.connect();
    },
    disconnect: async () => producer?.disconnect(),
  };
}

describe('ConsumerGroupMember on a real broker', () => {
  let broker: KafkaBroker;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;

  before(async () => {
    broker = await startKafka();
    kafka = kafkaAt(broker.bootstrap, broker);
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: ['lifecycle.crash', 'lifecycle.stop', 'lifecycle.replace'].map((topic) => ({ topic, numPartitions: 1 })),
      waitForLeaders: true,
    });
    producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'lifecycle.replace', acks: -1, messages: [{ key: 'k', value: 'first' }] });
  });
  after(async () => {
    await producer?.disconnect();
    await admin?.disconnect();
    await broker?.destroy();
  });

  test('a consumer kafkajs gives up on is replaced: not ready from the crash until the new one is in its group', async () => {
    const { log, lines } = capturedLog();
    await producer.send({ topic: 'lifecycle.crash', acks: -1, messages: [{ key: 'k', value: 'first' }] });
    const batches: { consumer: Consumer; readyDuring: boolean; values: string[] }[] = [];
    let readyAtReplacement: boolean | undefined;
    let joins = 0;
    const member: ConsumerGroupMember = new ConsumerGroupMember({
      kafka,
      // The failed batch is not retried, and kafkajs does not restart the consumer after it: a crash it gives up on.
      consumer: {
        groupId: 'lifecycle-crash', sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 100,
        retry: { retries: 0, restartOnFailure: async (e) => e.message !== FAILURE },
      },
      topics: ['lifecycle.crash'],
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({ batch, resolveOffset }: EachBatchPayload, consumer) => {
        batches.push({ consumer, readyDuring: member.isReady(), values: batch.messages.map((m) => String(m.value)) });
        if (batches.length === 1) throw new Error(FAILURE);
        const last = batch.messages.at(-1);
        if (!last) return;
        resolveOffset(last.offset);
        await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() }]);
      },
      log,
      onJoin: () => joins++,
      onReplace: () => {
        readyAtReplacement = member.isReady();
      },
    });
    try {
      await member.start();
      await waitFor(async () => (batches.length >= 2 && member.isReady() ? true : undefined), { what: 'the replacement consumer in its group, with the record', ...WAIT });

      assert.equal(batches[0].readyDuring, true, 'ready while the first consumer was in its group');
      assert.equal(readyAtReplacement, false, 'not ready between the crash and the replacement');
      assert.notEqual(batches[1].consumer, batches[0].consumer, 'the record came again through a new consumer');
      assert.deepEqual(batches[1].values, ['first'], 'the failed batch is redelivered: its offset was never committed');
      assert.equal(batches[1].readyDuring, true);
      assert.ok(joins >= 2, `joined with each consumer (${joins} joins)`);
      const crashed = lines.filter((l) => l.msg === 'Kafka consumer crashed; starting a new one');
      assert.equal(crashed.length, 1);
      assert.equal(crashed[0].level, 50, 'logged as an error');

      // The batch is recorded when it starts; its commit follows: wait for it rather than race it.
      const committed = async () => (await admin.fetchOffsets({ groupId: 'lifecycle-crash', topics: ['lifecycle.crash'] }))[0].partitions[0].offset;
      await waitFor(async () => ((await committed()) === '1' ? true : undefined), { what: "the replacement's commit of offset 1", ...WAIT });
      assert.equal(await committed(), '1', 'committed by the replacement');
    } finally {
      await member.stop();
    }
    assert.equal(member.isReady(), false);
  });

  test('stop() leaves the group, then closes the companion; start() has returned and no replacement follows', async () => {
    const { log, lines } = capturedLog();
    const steps: string[] = [];
    let companion: Producer | undefined;
    const member = new ConsumerGroupMember({
      kafka,
      consumer: { groupId: 'lifecycle-stop', sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 100 },
      topics: ['lifecycle.stop'],
      partitionsConsumedConcurrently: 1,
      eachBatch: async () => undefined,
      log,
      companion: {
        connect: async () => {
          companion = kafka.producer();
          await companion.connect();
          steps.push('companion connected');
        },
        disconnect: async () => {
          const [group] = (await admin.describeGroups(['lifecycle-stop'])).groups;
          steps.push(`companion closed; members in the group: ${group.members.length}`);
          await companion?.disconnect();
        },
      },
      onJoin: () => steps.push('joined'),
    });
    await member.start();
    await waitFor(async () => (member.isReady() ? true : undefined), { what: 'the consumer in its group', ...WAIT });
    const [before] = (await admin.describeGroups(['lifecycle-stop'])).groups;
    assert.equal(before.members.length, 1);

    await member.stop();
    assert.equal(member.isReady(), false);
    assert.equal(member.isStopping(), true);
    assert.deepEqual(steps, ['companion connected', 'joined', 'companion closed; members in the group: 0']);
    const [afterStop] = (await admin.describeGroups(['lifecycle-stop'])).groups;
    assert.deepEqual(afterStop.members, [], 'left the group at once, not after the session timeout');
    assert.equal(afterStop.state, 'Empty');
    assert.equal(lines.filter((l) => l.msg === 'Kafka consumer crashed; starting a new one').length, 0);
  });

  test('start() retries while no broker answers, and has returned when stop() returns', async () => {
    const { log, lines } = capturedLog();
    const member = new ConsumerGroupMember({
      kafka: kafkaAt(`127.0.0.1:${await freePort()}`),
      consumer: { groupId: 'lifecycle-nobroker' },
      topics: ['lifecycle.stop'],
      partitionsConsumedConcurrently: 1,
      eachBatch: async () => undefined,
      log,
    });
    const started = member.start();
    const retries = () => lines.filter((l) => l.msg === 'Kafka consumer cannot start yet; retrying');
    await waitFor(async () => (retries().length >= 2 ? true : undefined), { what: 'two failed start attempts', ...WAIT });
    assert.equal(member.isReady(), false);
    assert.deepEqual(retries().slice(0, 2).map((l) => [l.level, l.attempt]), [[40, 1], [40, 2]]);
    await member.stop();
    // Only promise callbacks run before setImmediate: a start() still connecting or pausing between attempts (both timers) loses.
    assert.equal(await Promise.race([started.then(() => 'returned'), setImmediate('still running')]), 'returned');
    assert.equal(member.isReady(), false);
  });

  async function members(group: string): Promise<number> {
    return (await admin.describeGroups([group])).groups[0].members.length;
  }

  /**
   * A member of `group` on lifecycle.replace (one record) with a companion, whose every batch fails with a crash
   * kafkajs will not restart, after `beforeFailing`: each consumer is the member's to replace (`replaced()` counts).
   */
  function crashingMember(group: string, through: Kafka, beforeFailing: (consumer: Consumer) => void = () => undefined) {
    const { log, lines } = capturedLog();
    let replaced = 0;
    const member = new ConsumerGroupMember({
      kafka: through,
      consumer: {
        groupId: group, sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 100,
        retry: { retries: 0, restartOnFailure: async (e) => e.message !== FAILURE },
      },
      topics: ['lifecycle.replace'],
      partitionsConsumedConcurrently: 1,
      eachBatch: async (_payload, consumer) => {
        beforeFailing(consumer);
        throw new Error(FAILURE);
      },
      log,
      companion: producerCompanion(through),
      onReplace: () => replaced++,
    });
    return { member, lines, replaced: () => replaced };
  }

  for (const call of ['producer 1 connect', 'consumer 1 connect', 'consumer 1 subscribe', 'consumer 1 run']) {
    test(`stop() as start() reaches "${call}": start() and stop() return, nothing stays connected, no member in the group`, async () => {
      const { log, lines } = capturedLog();
      const group = `lifecycle-stop-at-${call.replaceAll(' ', '-')}`;
      let stopped: Promise<void> | undefined;
      const watched = recorded(kafka, (c) => {
        if (c === call) stopped ??= member.stop();
      });
      const member: ConsumerGroupMember = new ConsumerGroupMember({
        kafka: watched.kafka,
        consumer: { groupId: group, sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 100 },
        topics: ['lifecycle.stop'],
        partitionsConsumedConcurrently: 1,
        eachBatch: async () => undefined,
        log,
        companion: producerCompanion(watched.kafka),
      });
      await member.start();
      assert.ok(stopped, `stop() was called at ${call}`);
      await stopped;
      assert.deepEqual(watched.made.map((m) => m.name), ['consumer 1', 'producer 1'], 'one start attempt');
      assert.deepEqual(watched.made.filter((m) => m.connected).map((m) => m.name), [], 'nothing left connected');
      assert.equal(await members(group), 0, 'no member in the group');
      assert.equal(member.isReady(), false);
      assert.equal(lines.filter((l) => l.level >= 40).length, 0, 'no retry, no crash');
    });
  }

  test('stop() while the replacement of a crashed consumer connects: both consumers and both companions end disconnected', async () => {
    const group = 'lifecycle-stop-during-replacement';
    let stopped: Promise<void> | undefined;
    const watched = recorded(kafka, (c) => {
      if (c === 'consumer 2 connect') stopped ??= failing.member.stop();
    });
    const failing = crashingMember(group, watched.kafka);
    const { member, lines } = failing;
    await member.start();
    const stop = await waitFor(async () => (stopped ? { stopped } : undefined), { what: "the replacement's connect, and stop() there", ...WAIT });
    await stop.stopped;
    assert.equal(failing.replaced(), 1);
    assert.equal(lines.filter((l) => l.msg === 'Kafka consumer crashed; starting a new one').length, 1);
    assert.deepEqual(watched.made.map((m) => m.name).sort(), ['consumer 1', 'consumer 2', 'producer 1', 'producer 2'], 'the first attempt and its replacement');
    assert.deepEqual(watched.made.filter((m) => m.connected).map((m) => m.name), [], 'nothing left connected');
    assert.equal(await members(group), 0, 'no member in the group');
    assert.equal(member.isReady(), false);
  });

  test('stop() between a crash and its replacement: the replacement never starts', async () => {
    const group = 'lifecycle-stop-before-replacement';
    let stopped: Promise<void> | undefined;
    const replacementDue = Promise.withResolvers<void>();
    const watched = recorded(kafka, () => undefined);
    const failing = crashingMember(group, watched.kafka, (consumer) => {
      // Called after the member's own crash listener (added when the consumer was made), which schedules the replacement.
      consumer.on(consumer.events.CRASH, () => {
        stopped ??= failing.member.stop();
        // As long as the replacement's timer and set after it: fires after the replacement would have begun.
        setTimeout(replacementDue.resolve, REPLACE_AFTER_MS);
      });
    });
    const { member, lines } = failing;
    await member.start();
    await replacementDue.promise;
    assert.ok(stopped, 'stopped at the crash');
    await stopped;
    assert.equal(lines.filter((l) => l.msg === 'Kafka consumer crashed; starting a new one').length, 1, 'the replacement was scheduled');
    assert.equal(failing.replaced(), 0, 'onReplace not called after stop()');
    assert.deepEqual(watched.made.map((m) => m.name), ['consumer 1', 'producer 1'], 'no second consumer');
    assert.deepEqual(watched.made.filter((m) => m.connected).map((m) => m.name), [], 'nothing left connected');
    assert.equal(await members(group), 0, 'no member in the group');
  });
});
