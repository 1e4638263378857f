/**
 * NotificationDeliverer's stop() against its start() on a real Kafka broker and Redis, shared by the file: a
 * stop() that lands while start() is still connecting (the dead letters' producer, or the consumer before it
 * subscribes) leaves no consumer in the group and no client connected, and both promises settle; start() after
 * stop() connects nothing. Each Kafka client the deliverer makes is the real one, watched through its
 * instrumentation events; the moment of the stop is set by running it as the client's call begins.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import type { Admin, Kafka } from 'kafkajs';
import { loadConfig } from '@gamemetrics/service-kit/config.ts';
import { createKafka } from '@gamemetrics/service-kit/kafka.ts';
import { createMetrics } from '@gamemetrics/service-kit/metrics.ts';
import { startKafka, type KafkaBroker } from '../../../scripts/harness/kafka.ts';
import { waitFor } from '../../../scripts/harness/process.ts';
import { startRedis, type RedisServer } from '../../../scripts/harness/redis.ts';
import { attemptsCounter } from '../src/app.ts';
import { checkNotifyConfig, notifySchema, parseWebhooks, type NotifyConfig } from '../src/config.ts';
import { NotificationDeliverer } from '../src/deliverer.ts';
import { DeliveryLedger } from '../src/idempotency.ts';

const WAIT = { timeoutMs: 90_000, intervalMs: 100 };
const TOPICS = { outbound: 'lifecycle.notifications', recommendations: 'lifecycle.recommendations', dlq: 'lifecycle.dlq' };

/** A client the deliverer made, and whether it is connected now (its last connect/disconnect event). */
interface Made {
  kind: 'consumer' | 'producer';
  connected: boolean;
}

/** Where to run a hook: as a producer's connect(), or a consumer's connect() or subscribe(), begins. */
interface Hooks {
  producerConnect?: () => void;
  consumerConnect?: () => void;
  consumerSubscribe?: () => void;
}

/** Runs `hook` (if set) as `client.method()` begins, then the real call. */
function runBefore<T>(client: T, method: keyof T, hook: (() => void) | undefined): void {
  const real = (client[method] as (...args: unknown[]) => Promise<unknown>).bind(client);
  (client as Record<keyof T, unknown>)[method] = async (...args: unknown[]) => {
    hook?.();
    return real(...args);
  };
}

/** Records a new client and follows its connect/disconnect events. */
function follow(made: Made[], kind: Made['kind'], on: (event: string, listener: () => void) => unknown, events: { CONNECT: string; DISCONNECT: string }): void {
  const m: Made = { kind, connected: false };
  made.push(m);
  on(events.CONNECT, () => (m.connected = true));
  on(events.DISCONNECT, () => (m.connected = false));
}

/** `kafka`, but every consumer and producer it makes is recorded (connected or not) and runs `hooks`. */
function watched(kafka: Kafka, hooks: Hooks): { kafka: Kafka; made: Made[] } {
  const made: Made[] = [];
  const wrapper = Object.create(kafka) as Kafka;
  wrapper.consumer = (config) => {
    const consumer = kafka.consumer(config);
    follow(made, 'consumer', consumer.on.bind(consumer) as (event: string, listener: () => void) => unknown, consumer.events);
    runBefore(consumer, 'connect', hooks.consumerConnect);
    runBefore(consumer, 'subscribe', hooks.consumerSubscribe);
    return consumer;
  };
  wrapper.producer = (config) => {
    const producer = kafka.producer(config);
    follow(made, 'producer', producer.on.bind(producer) as (event: string, listener: () => void) => unknown, producer.events);
    runBefore(producer, 'connect', hooks.producerConnect);
    return producer;
  };
  return { kafka: wrapper, made };
}

describe('notification-service: stop() during start(), and start() after stop(), on a real broker', () => {
  let broker: KafkaBroker;
  let redisServer: RedisServer;
  let redis: Redis;
  let admin: Admin;
  const log = Fastify({ logger: { level: 'silent' } }).log;

  before(async () => {
    [broker, redisServer] = await Promise.all([startKafka(), startRedis()]);
    redis = new Redis(redisServer.url);
    admin = kafkaFor('admin').admin();
    await admin.connect();
    await admin.createTopics({ topics: Object.values(TOPICS).map((topic) => ({ topic, numPartitions: 1 })), waitForLeaders: true });
  });
  after(async () => {
    await admin?.disconnect();
    redis?.disconnect();
    await Promise.all([broker?.destroy(), redisServer?.stop()]);
  });

  function configFor(group: string): NotifyConfig {
    return loadConfig<NotifyConfig>('notification-service', notifySchema, {
      SERVICE_NAME: 'notification-service', TENANT: 'gamemetrics', ENVIRONMENT: 'dev', NAMESPACE: 'gamemetrics', PORT: '0', LOG_LEVEL: 'silent',
      KAFKA_BROKERS: broker.bootstrap, KAFKA_CLIENT_ID: group, KAFKA_USERNAME: broker.admin.username, KAFKA_PASSWORD: broker.admin.password, KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SSL: 'false',
      KAFKA_GROUP_ID: group, KAFKA_TOPIC_NOTIFICATIONS_OUTBOUND: TOPICS.outbound, KAFKA_TOPIC_RECOMMENDATIONS_GENERATED: TOPICS.recommendations,
      KAFKA_DLQ_TOPIC_NOTIFICATIONS_OUTBOUND: TOPICS.dlq, KAFKA_DLQ_TOPIC_RECOMMENDATIONS_GENERATED: TOPICS.dlq,
      REDIS_URL: redisServer.url, NOTIFY_WEBHOOKS: 'push=http://127.0.0.1:9/push',
    }, checkNotifyConfig);
  }

  function kafkaFor(group: string): Kafka {
    return createKafka({ KAFKA_CLIENT_ID: group, KAFKA_BROKERS: broker.bootstrap, KAFKA_SSL: false, KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_USERNAME: broker.admin.username, KAFKA_PASSWORD: broker.admin.password }, log);
  }

  function deliverer(group: string, hooks: Hooks = {}): { deliverer: NotificationDeliverer; made: Made[] } {
    const config = configFor(group);
    const metrics = createMetrics(config.SERVICE_NAME, false);
    const { kafka, made } = watched(kafkaFor(group), hooks);
    const d = new NotificationDeliverer(config, {
      kafka,
      ledger: new DeliveryLedger(redis, randomUUID(), config.NOTIFY_LEASE_MS, config.NOTIFY_DEDUP_DAYS),
      webhooks: parseWebhooks(config.NOTIFY_WEBHOOKS).webhooks,
      metrics,
      attempts: attemptsCounter(metrics),
      logger: log,
    });
    return { deliverer: d, made };
  }

  /** Both promises settled (a hang fails here, with what was still pending). */
  async function settled(promises: Record<string, Promise<void>>): Promise<void> {
    const done = new Set<string>();
    for (const [name, p] of Object.entries(promises)) {
      void p.then(() => done.add(name), () => done.add(name));
    }
    await waitFor(async () => (done.size === Object.keys(promises).length ? true : undefined), { what: `${Object.keys(promises).join(' and ')} to settle`, ...WAIT }).catch((e: Error) => {
      throw new Error(`${e.message}; still pending: ${Object.keys(promises).filter((n) => !done.has(n)).join(', ')}`);
    });
    for (const p of Object.values(promises)) await p;
  }

  async function members(group: string): Promise<number> {
    const [g] = (await admin.describeGroups([group])).groups;
    return g.members.length;
  }

  for (const [when, hook] of [
    ["while start() connects the dead letters' producer", 'producerConnect'],
    ['while start() connects the consumer', 'consumerConnect'],
    ["after the consumer connected, before it subscribes (the last step before it joins)", 'consumerSubscribe'],
  ] as const) {
    test(`stop() ${when}: start() and stop() settle, no consumer is left in the group, every client is disconnected`, async () => {
      const group = `lifecycle-${hook}`;
      let stopped: Promise<void> | undefined;
      const hooks: Hooks = {};
      const { deliverer: d, made } = deliverer(group, hooks);
      hooks[hook] = () => {
        stopped ??= d.stop();
      };
      const started = d.start();
      // (Wrapped: a probe resolving to the promise itself would wait for it.)
      const stopCalled = waitFor(async () => (stopped ? { stopped } : undefined), { what: 'the hook to call stop()', ...WAIT }).then((s) => s.stopped);
      await settled({ 'start()': started, 'stop()': stopCalled });
      assert.deepEqual(made.map((m) => m.kind).sort(), ['consumer', 'producer'], 'one start attempt: a consumer and its producer');
      assert.deepEqual(made.filter((m) => m.connected), [], 'nothing left connected');
      assert.equal(await members(group), 0, 'no consumer in the group');
      assert.equal(d.isReady(), false);
    });
  }

  test('start() after stop() connects nothing and returns', async () => {
    const { deliverer: d, made } = deliverer('lifecycle-start-after-stop');
    await d.stop();
    await settled({ 'start()': d.start() });
    assert.deepEqual(made, []);
    assert.equal(d.isReady(), false);
  });

  test('the ordinary path still works: start() joins, stop() leaves the group and closes both clients', async () => {
    const group = 'lifecycle-ordinary';
    const { deliverer: d, made } = deliverer(group);
    await d.start();
    await waitFor(async () => (d.isReady() ? true : undefined), { what: 'the deliverer in its group', ...WAIT });
    assert.equal(await members(group), 1);
    await d.stop();
    assert.deepEqual(made.filter((m) => m.connected), []);
    assert.equal(await members(group), 0);
  });
});
