/**
 * One consumer in group KAFKA_GROUP_ID over player.events.processed and gdpr.deletion.requests
 * (one member for both: kafkajs assigns partitions without regard to a member's own subscription).
 * - processed events → features (FeatureStore.add drops the touched players' cached
 *   recommendations); with Qdrant, the touched players' vectors are upserted. At least once: a
 *   redelivered batch counts its events again (recommendations are a heuristic; counts age out with
 *   FEATURE_TTL_DAYS).
 * - deletion requests → the player's features, index entries, cache and Qdrant point erased, then
 *   the `recommendations` audit row written.
 * Poison records go to the topic's dead-letter topic with `x-dlq-reason`; offsets are committed
 * after each batch is applied.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Message } from 'kafkajs';
import type pg from 'pg';
import { ConsumerGroupMember } from '@gamemetrics/service-kit/consumer-lifecycle.ts';
import { deadLetter } from '@gamemetrics/service-kit/dead-letter.ts';
import { parseDeletionRequest, recordDeletion } from '@gamemetrics/service-kit/gdpr.ts';
import type { Metrics } from '@gamemetrics/service-kit/metrics.ts';
import { rawEventSchema } from '@gamemetrics/service-kit/player-event.ts';
import type { EventSink } from '@gamemetrics/service-kit/producer.ts';
import { parseRecord, validateWith } from '@gamemetrics/service-kit/record-schema.ts';
import type { RecommendationConfig } from './config.ts';
import type { EventCount, FeatureStore, Features } from './features.ts';
import type { SimilarityIndex } from './similarity.ts';

/** The store name in the audit (and in user-service's GDPR_STORES). */
export const RECOMMENDATIONS_STORE = 'recommendations';

/** What event-processor writes to player.events.processed: the raw event plus `score` and `processedAt`. */
export const processedEventSchema = {
  ...rawEventSchema,
  required: [...rawEventSchema.required, 'processedAt'],
  properties: { ...rawEventSchema.properties, score: { type: ['number', 'null'] }, processedAt: { type: 'string', format: 'date-time' } },
};
const checkProcessed = validateWith<{ playerId: string; gameId: string }>(processedEventSchema);

export function parseProcessed(value: Buffer | null): { event: EventCount } | { reason: string } {
  const parsed = parseRecord(value, checkProcessed, 'a processed event');
  return 'value' in parsed ? { event: { playerId: parsed.value.playerId, gameId: parsed.value.gameId } } : parsed;
}

export interface ConsumerDeps {
  kafka: Kafka;
  features: FeatureStore;
  index: SimilarityIndex;
  pool: pg.Pool;
  dlq: EventSink;
  metrics: Metrics;
  logger: FastifyBaseLogger;
}

export class RecommendationConsumer {
  private readonly config: RecommendationConfig;
  private readonly deps: ConsumerDeps;
  private readonly log: FastifyBaseLogger;
  private readonly group: ConsumerGroupMember;

  constructor(config: RecommendationConfig, deps: ConsumerDeps) {
    this.config = config;
    this.deps = deps;
    this.log = deps.logger.child({ component: 'consumer' });
    this.group = new ConsumerGroupMember({
      kafka: deps.kafka,
      consumer: { groupId: config.KAFKA_GROUP_ID, sessionTimeout: 10000, heartbeatInterval: 1000, maxWaitTimeInMs: 250, readUncommitted: false },
      topics: [config.KAFKA_TOPIC_PLAYER_EVENTS_PROCESSED, config.KAFKA_TOPIC_GDPR_DELETION_REQUESTS],
      partitionsConsumedConcurrently: 2,
      eachBatch: (payload, consumer) => this.consumeBatch(payload, consumer),
      log: this.log,
    });
  }

  isReady(): boolean {
    return this.group.isReady();
  }

  async start(): Promise<void> {
    await this.group.start();
  }

  async stop(): Promise<void> {
    await this.group.stop();
  }

  private async consumeBatch({ batch, resolveOffset, heartbeat }: EachBatchPayload, consumer: Consumer): Promise<void> {
    const { topic, partition, messages } = batch;
    if (messages.length === 0) return;
    if (topic === this.config.KAFKA_TOPIC_GDPR_DELETION_REQUESTS) await this.erase(topic, partition, messages, heartbeat);
    else await this.count(topic, partition, messages);
    const last = messages[messages.length - 1].offset;
    resolveOffset(last);
    await consumer.commitOffsets([{ topic, partition, offset: (BigInt(last) + 1n).toString() }]);
    this.deps.metrics.consumerLag.set({ topic, partition: String(partition) }, Number(BigInt(batch.highWatermark) - BigInt(last) - 1n));
  }

  private async count(topic: string, partition: number, messages: KafkaMessage[]): Promise<void> {
    const events: EventCount[] = [];
    const dead: Message[] = [];
    for (const m of messages) {
      const parsed = parseProcessed(m.value);
      if ('event' in parsed) events.push(parsed.event);
      else dead.push(deadLetter(this.config.SERVICE_NAME, topic, partition, m, parsed.reason));
    }
    const touched = await this.deps.features.add(events);
    if (this.deps.index.name !== 'redis' && touched.size > 0) {
      const ids = [...touched];
      const vectors = await this.deps.features.getMany(ids);
      await this.deps.index.upsert(new Map<string, Features>(ids.map((id, i) => [id, vectors[i]])));
    }
    await this.sendDead(this.config.KAFKA_DLQ_TOPIC_PLAYER_EVENTS_PROCESSED, dead);
    this.deps.metrics.consumed.inc({ topic, result: 'ok' }, events.length);
    this.deps.metrics.consumed.inc({ topic, result: 'dead_letter' }, dead.length);
  }

  private async erase(topic: string, partition: number, messages: KafkaMessage[], heartbeat: () => Promise<void>): Promise<void> {
    for (const m of messages) {
      const parsed = parseDeletionRequest(m.value);
      let reason = 'reason' in parsed ? parsed.reason : undefined;
      if ('request' in parsed) {
        const { requestId, playerId } = parsed.request;
        for (let attempt = 1; ; attempt++) {
          try {
            const removed = await this.deps.features.erase(playerId);
            const points = await this.deps.index.erase(playerId);
            const recorded = await recordDeletion(this.deps.pool, requestId, RECOMMENDATIONS_STORE, this.config.SERVICE_NAME, { games: removed.games, keys: removed.keys, points });
            this.log.info({ requestId, ...removed, redelivered: !recorded }, 'player erased from features, cache and index');
            break;
          } catch (err) {
            const code = (err as { code?: unknown }).code;
            if (typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'))) {
              reason = `database refused the request: ${(err as Error).message}`;
              break;
            }
            if (this.group.isStopping()) throw err;
            this.log.warn({ err, attempt }, 'erasure failed; retrying');
            await sleep(Math.min(2000, 100 * attempt));
            await heartbeat();
          }
        }
      }
      if (reason !== undefined) await this.sendDead(this.config.KAFKA_DLQ_TOPIC_GDPR_DELETION_REQUESTS, [deadLetter(this.config.SERVICE_NAME, topic, partition, m, reason)]);
      this.deps.metrics.consumed.inc({ topic, result: reason === undefined ? 'ok' : 'dead_letter' });
    }
  }

  private async sendDead(topic: string, messages: Message[]): Promise<void> {
    if (messages.length === 0) return;
    await this.deps.dlq.send([{ topic, messages }]);
    this.log.warn({ topic, count: messages.length, reason: messages[0].headers?.['x-dlq-reason'] }, 'records sent to the dead-letter topic');
  }
}
