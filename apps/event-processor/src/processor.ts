/**
 * The consume loop: player.events.raw → validate and enrich → PostgreSQL (exactly once, by event
 * id) and player.events.processed; poison records → the dead-letter topic with the reason in the
 * `x-dlq-reason` header. Offsets are committed per chunk, only after its transaction committed,
 * which happens only after Kafka acknowledged the processed events and dead letters.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { Consumer, Kafka, KafkaMessage, Message } from 'kafkajs';
import type pg from 'pg';
import type { Metrics } from '@gamemetrics/service-kit/metrics.ts';
import { parseRawEvent, type RawEvent } from '@gamemetrics/service-kit/player-event.ts';
import type { EventSink } from '@gamemetrics/service-kit/producer.ts';
import { COUNTERS_CHANNEL } from '@gamemetrics/service-kit/redis.ts';
import { extractKafkaHeaders, type Tracing } from '@gamemetrics/service-kit/tracing.ts';
import { inSpan } from '@gamemetrics/service-kit/server.ts';
import type { ProcessorConfig } from './config.ts';
import { processedRecords } from './processed-record.ts';
import { countsByGame, isDataError, writeEvents } from './store.ts';

export interface ProcessorDeps {
  kafka: Kafka;
  producer: EventSink;
  pool: pg.Pool;
  /** Where live per-game counters are published (best effort). */
  redis: Redis;
  metrics: Metrics;
  logger: FastifyBaseLogger;
  tracing?: Tracing;
}

interface Valid {
  event: RawEvent;
  message: KafkaMessage;
}

export const DLQ_REASON_HEADER = 'x-dlq-reason';

export class EventProcessor {
  private readonly config: ProcessorConfig;
  private readonly deps: ProcessorDeps;
  private readonly log: FastifyBaseLogger;
  private consumer: Consumer | null = null;
  private joined = false;
  private stopping = false;

  constructor(config: ProcessorConfig, deps: ProcessorDeps) {
    this.config = config;
    this.deps = deps;
    this.log = deps.logger.child({ component: 'processor' });
  }

  isReady(): boolean {
    return this.joined && !this.stopping;
  }

  async start(): Promise<void> {
    const consumer = this.deps.kafka.consumer({
      groupId: this.config.KAFKA_GROUP_ID,
      // A member that died without leaving holds its partitions until this expires.
      sessionTimeout: 10000,
      heartbeatInterval: 1000,
      // Under a trickle, wait a little for fuller fetches: fewer, larger transactions.
      minBytes: 64 * 1024,
      maxWaitTimeInMs: 250,
      maxBytesPerPartition: 2 * 1024 * 1024,
      retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5000 },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.joined = true;
    });
    for (const ev of [consumer.events.CRASH, consumer.events.DISCONNECT, consumer.events.STOP])
      consumer.on(ev, () => {
        this.joined = false;
      });
    // The broker may not be up yet (pods start in any order): keep trying until stopped.
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        await consumer.connect();
        break;
      } catch (err) {
        this.log.warn({ err, attempt }, 'Kafka consumer cannot connect yet; retrying');
        await new Promise((r) => setTimeout(r, Math.min(5000, 250 * attempt)));
      }
    }
    if (this.stopping) return;
    await consumer.subscribe({ topics: [this.config.KAFKA_TOPIC_PLAYER_EVENTS_RAW], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.config.PROCESSOR_PARTITIONS_CONCURRENTLY,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        const { topic, partition } = batch;
        const size = this.config.PROCESSOR_CHUNK_SIZE;
        for (let i = 0; i < batch.messages.length; i += size) {
          if (!isRunning() || isStale()) break;
          const chunk = batch.messages.slice(i, i + size);
          await this.processChunk(topic, partition, chunk);
          const last = chunk[chunk.length - 1].offset;
          const next = (BigInt(last) + 1n).toString();
          resolveOffset(last);
          await consumer.commitOffsets([{ topic, partition, offset: next }]);
          this.deps.metrics.consumerLag.set({ topic, partition: String(partition) }, Number(BigInt(batch.highWatermark) - BigInt(next)));
          await heartbeat();
        }
      },
    });
  }

  /** Leave the group after the chunk in progress is written and committed. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer?.disconnect();
  }

  private async processChunk(topic: string, partition: number, messages: KafkaMessage[]): Promise<void> {
    const valid: Valid[] = [];
    const dead: Message[] = [];
    for (const message of messages) {
      const parsed = parseRawEvent(message.value);
      if ('event' in parsed) valid.push({ event: parsed.event, message });
      else dead.push(this.deadLetter(topic, partition, message, parsed.reason));
    }
    const parent = extractKafkaHeaders(messages[0]?.headers);
    await inSpan(this.deps.tracing, `process ${topic}`, async (span) => {
      span?.setAttribute('messaging.batch.message_count', messages.length);
      try {
        await this.write(valid, dead);
      } catch (err) {
        if (!isDataError(err)) throw err;
        // Something in the chunk passed validation but the database refuses it: find it alone.
        this.log.warn({ err, topic, partition }, 'database refused a chunk; isolating the poison records');
        for (const v of valid) {
          try {
            await this.write([v], []);
          } catch (e) {
            if (!isDataError(e)) throw e;
            dead.push(this.deadLetter(topic, partition, v.message, `database rejected the event: ${(e as Error).message}`));
          }
        }
        await this.write([], dead);
      }
    }, parent);
  }

  private async write(valid: Valid[], dead: Message[]): Promise<void> {
    const { metrics, producer, pool } = this.deps;
    const rawTopic = this.config.KAFKA_TOPIC_PLAYER_EVENTS_RAW;
    const client = await pool.connect();
    try {
      const processed = processedRecords(new Date().toISOString());
      const sourceHeaders = new Map(valid.map((v) => [v.event, v.message.headers ?? {}]));
      const fresh = await writeEvents(
        client,
        valid.map((v) => v.event),
        async (events) => {
          const topicMessages = [];
          if (events.length > 0)
            topicMessages.push({
              topic: this.config.KAFKA_TOPIC_PLAYER_EVENTS_PROCESSED,
              messages: events.map((e) => processed(e, sourceHeaders.get(e) ?? {})),
            });
          if (dead.length > 0) topicMessages.push({ topic: this.config.KAFKA_DLQ_TOPIC_PLAYER_EVENTS_RAW, messages: dead });
          if (topicMessages.length > 0) await producer.send(topicMessages);
        },
      );
      metrics.consumed.inc({ topic: rawTopic, result: 'ok' }, fresh.length);
      metrics.consumed.inc({ topic: rawTopic, result: 'duplicate' }, valid.length - fresh.length);
      metrics.consumed.inc({ topic: rawTopic, result: 'dead_letter' }, dead.length);
      if (dead.length > 0) this.log.warn({ count: dead.length }, 'records sent to the dead-letter topic');
      this.publishCounters(fresh);
    } finally {
      client.release();
    }
  }

  /**
   * Live counters are published after the commit, for new events only. They are best effort: a
   * Redis outage or a crash right after the commit loses a delta, never an event; streams
   * re-read the authoritative totals from the database when they (re)connect.
   */
  private publishCounters(fresh: RawEvent[]): void {
    for (const delta of countsByGame(fresh))
      this.deps.redis.publish(COUNTERS_CHANNEL, JSON.stringify(delta)).catch((err: unknown) => {
        this.log.debug({ err }, 'live counter not published');
      });
  }

  private deadLetter(topic: string, partition: number, message: KafkaMessage, reason: string): Message {
    return {
      key: message.key,
      value: message.value,
      headers: {
        ...(message.headers ?? {}),
        [DLQ_REASON_HEADER]: reason.slice(0, 1000),
        'x-dlq-source': `${topic}/${partition}/${message.offset}`,
        'x-dlq-service': this.config.SERVICE_NAME,
        'x-dlq-failed-at': new Date().toISOString(),
      },
    };
  }
}
