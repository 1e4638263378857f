/**
 * The consume loop: each record of notifications.outbound and recommendations.generated becomes a
 * notification, delivered to its channel's webhook. Per partition, records are handled in order and
 * the offset is committed after each one is finished (delivered, dead-lettered or skipped as done):
 *
 * 1. poison (not JSON, schema violation, a channel without a webhook) → the topic's DLQ with the reason;
 * 2. claim the id in Redis (DeliveryLedger); an id already delivered or dead-lettered is skipped;
 * 3. attempts up to NOTIFY_MAX_ATTEMPTS with exponential backoff and jitter between them; a final
 *    answer (4xx other than 408/425/429) or the last failed attempt → the DLQ with the reason.
 *
 * Scaling out is the consumer group's: partitions are shared among the instances, and the ledger
 * keeps two instances from delivering one id while a rebalance moves its partition.
 * SIGTERM mid-retry gives the claim back and leaves the record uncommitted for the next owner.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { Counter } from 'prom-client';
import { ConsumerGroupMember } from '@gamemetrics/service-kit/consumer-lifecycle.ts';
import { deadLetter } from '@gamemetrics/service-kit/dead-letter.ts';
import type { Metrics } from '@gamemetrics/service-kit/metrics.ts';
import { keyPartitioner } from '@gamemetrics/service-kit/partitioner.ts';
import { inSpan } from '@gamemetrics/service-kit/server.ts';
import { extractKafkaHeaders, type Tracing } from '@gamemetrics/service-kit/tracing.ts';
import { backoffDelay } from './backoff.ts';
import type { NotifyConfig } from './config.ts';
import type { DeliveryLedger } from './idempotency.ts';
import { parseOutbound, parseRecommendation } from './records.ts';
import { deliver } from './webhook.ts';

export interface DelivererDeps {
  kafka: Kafka;
  ledger: DeliveryLedger;
  webhooks: Map<string, URL>;
  metrics: Metrics;
  /** `notification_delivery_attempts_total{channel,outcome}`. */
  attempts: Counter<'channel' | 'outcome'>;
  logger: FastifyBaseLogger;
  tracing?: Tracing;
}

export class NotificationDeliverer {
  private readonly config: NotifyConfig;
  private readonly deps: DelivererDeps;
  private readonly log: FastifyBaseLogger;
  private readonly group: ConsumerGroupMember;
  private producer: Producer | null = null;
  private redisDown = false;

  constructor(config: NotifyConfig, deps: DelivererDeps) {
    this.config = config;
    this.deps = deps;
    this.log = deps.logger.child({ component: 'deliverer' });
    this.group = new ConsumerGroupMember({
      kafka: deps.kafka,
      consumer: {
        groupId: config.KAFKA_GROUP_ID,
        // No heartbeat goes out during one webhook call: the session must outlast it.
        sessionTimeout: Math.max(10_000, 2 * config.NOTIFY_TIMEOUT_MS + 1000),
        heartbeatInterval: 1000,
        maxWaitTimeInMs: 250,
        retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5000 },
      },
      topics: [config.KAFKA_TOPIC_NOTIFICATIONS_OUTBOUND, config.KAFKA_TOPIC_RECOMMENDATIONS_GENERATED],
      partitionsConsumedConcurrently: config.NOTIFY_PARTITIONS_CONCURRENTLY,
      eachBatch: (payload, consumer) => this.consumeBatch(payload, consumer),
      log: this.log,
      // The dead letters' producer, a fresh one with each consumer.
      companion: {
        connect: async () => {
          const producer = deps.kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: keyPartitioner() });
          this.producer = producer;
          await producer.connect();
        },
        disconnect: async () => this.producer?.disconnect(),
      },
    });
  }

  isReady(): boolean {
    return this.group.isReady() && !this.redisDown;
  }

  /** Join the group and consume; retried until stopped while Kafka is unreachable. After stop(): nothing. */
  async start(): Promise<void> {
    await this.group.start();
  }

  /**
   * Leave the group after the record in hand (a retry in progress is given back, not finished), then close the
   * dead letters' producer; a start() still connecting is waited for and what it connected closed (the group member's).
   */
  async stop(): Promise<void> {
    await this.group.stop().catch(() => undefined);
  }

  private async consumeBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload, consumer: Consumer): Promise<void> {
    const { topic, partition } = batch;
    const alive = () => isRunning() && !isStale() && !this.group.isStopping();
    for (const message of batch.messages) {
      if (!alive()) break;
      if (!(await this.handle(topic, partition, message, heartbeat, alive))) break;
      const next = (BigInt(message.offset) + 1n).toString();
      resolveOffset(message.offset);
      await consumer.commitOffsets([{ topic, partition, offset: next }]);
      this.deps.metrics.consumerLag.set({ topic, partition: String(partition) }, Number(BigInt(batch.highWatermark) - BigInt(next)));
      await heartbeat();
    }
  }

  /** Finish one record; false when stopping left it unfinished (not to be committed). */
  private async handle(topic: string, partition: number, message: KafkaMessage, heartbeat: () => Promise<void>, alive: () => boolean): Promise<boolean> {
    const c = this.config;
    const parsed =
      topic === c.KAFKA_TOPIC_NOTIFICATIONS_OUTBOUND ? parseOutbound(message.value, topic) : parseRecommendation(message.value, topic, c.NOTIFY_RECOMMENDATION_CHANNEL);
    if ('reason' in parsed) {
      await this.deadLetter(topic, partition, message, parsed.reason, 0);
      return true;
    }
    if ('skip' in parsed) {
      this.deps.metrics.consumed.inc({ topic, result: 'skipped' });
      return true;
    }
    const n = parsed.notification;
    const url = this.deps.webhooks.get(n.channel);
    if (!url) {
      await this.deadLetter(topic, partition, message, `no webhook for channel ${JSON.stringify(n.channel)} (NOTIFY_WEBHOOKS has ${[...this.deps.webhooks.keys()].join(', ')})`, 0);
      return true;
    }
    const ledger = this.deps.ledger;
    for (;;) {
      const claim = await this.withRedis(() => ledger.claim(n.notificationId), alive);
      if (claim === undefined) return false;
      if (claim === 'delivered' || claim === 'dead-lettered') {
        this.deps.metrics.consumed.inc({ topic, result: 'duplicate' });
        this.log.info({ notificationId: n.notificationId, state: claim }, 'notification already handled; skipped');
        return true;
      }
      if (claim === 'claimed') break;
      // Another instance holds it (a rebalance moved the partition): wait for it to finish or its lease to end.
      if (!(await this.pause(500, heartbeat, alive))) return false;
    }
    const parent = extractKafkaHeaders(message.headers);
    for (let attempt = 1; ; attempt++) {
      const outcome = await inSpan(this.deps.tracing, 'notification deliver', async (span) => {
        span?.setAttributes({ 'notification.id': n.notificationId, 'notification.channel': n.channel, 'notification.attempt': attempt });
        return deliver(url, n, attempt, c.NOTIFY_TIMEOUT_MS);
      }, parent);
      this.deps.attempts.inc({ channel: n.channel, outcome: outcome.delivered ? 'delivered' : outcome.retryable ? 'retryable' : 'refused' });
      if (outcome.delivered) {
        await this.withRedis(() => ledger.finish(n.notificationId, 'delivered'), () => true);
        this.deps.metrics.consumed.inc({ topic, result: 'ok' });
        this.log.info({ notificationId: n.notificationId, channel: n.channel, attempt }, 'notification delivered');
        return true;
      }
      if (!outcome.retryable || attempt >= c.NOTIFY_MAX_ATTEMPTS) {
        const reason = outcome.retryable ? `${outcome.reason}; gave up after ${attempt} attempts` : `${outcome.reason} (final, not retried)`;
        await this.deadLetter(topic, partition, message, reason, attempt);
        await this.withRedis(() => ledger.finish(n.notificationId, 'dead-lettered'), () => true);
        return true;
      }
      const delay = backoffDelay(attempt, c.NOTIFY_BACKOFF_BASE_MS, c.NOTIFY_BACKOFF_MAX_MS);
      this.log.warn({ notificationId: n.notificationId, channel: n.channel, attempt, retryInMs: delay, reason: outcome.reason }, 'delivery failed; retrying');
      if (!(await this.pause(delay, heartbeat, alive, n.notificationId))) {
        await ledger.release(n.notificationId).catch(() => undefined);
        return false;
      }
    }
  }

  /** Sleep `ms` in slices, heartbeating and (when given an id) renewing its lease; false when stopping. */
  private async pause(ms: number, heartbeat: () => Promise<void>, alive: () => boolean, leased?: string): Promise<boolean> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (!alive()) return false;
      await sleep(Math.min(500, until - Date.now()));
      await heartbeat().catch(() => undefined);
      if (leased) await this.deps.ledger.renew(leased).catch(() => undefined);
    }
    return alive();
  }

  /** Run a ledger call, waiting for Redis while it is away (not ready meanwhile); undefined when stopping. */
  private async withRedis<T>(fn: () => Promise<T>, alive: () => boolean): Promise<T | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await fn();
        this.redisDown = false;
        return result;
      } catch (err) {
        this.redisDown = true;
        if (!alive()) return undefined;
        if (attempt === 1) this.log.error({ err }, 'Redis unavailable; deliveries wait for it');
        await sleep(Math.min(2000, 200 * attempt));
      }
    }
  }

  private async deadLetter(topic: string, partition: number, message: KafkaMessage, reason: string, attempts: number): Promise<void> {
    const c = this.config;
    const dlq = topic === c.KAFKA_TOPIC_NOTIFICATIONS_OUTBOUND ? c.KAFKA_DLQ_TOPIC_NOTIFICATIONS_OUTBOUND : c.KAFKA_DLQ_TOPIC_RECOMMENDATIONS_GENERATED;
    await (this.producer as Producer).send({
      topic: dlq,
      acks: -1,
      messages: [deadLetter(c.SERVICE_NAME, topic, partition, message, reason, { 'x-dlq-attempts': String(attempts) })],
    });
    this.deps.metrics.produced.inc({ topic: dlq, result: 'ok' });
    this.deps.metrics.consumed.inc({ topic, result: 'dead_letter' });
    this.log.warn({ topic, partition, offset: message.offset, reason, attempts }, 'notification sent to the dead-letter topic');
  }
}
