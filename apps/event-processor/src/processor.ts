/**
 * The consume loop: player.events.raw → validate and enrich → PostgreSQL (exactly once, by event
 * id) and player.events.processed; poison records → the dead-letter topic with the reason in the
 * `x-dlq-reason` header. Per chunk: the database transaction commits first, then one Kafka
 * transaction publishes the chunk's owned events and dead letters and commits the consumed offsets
 * (apps/README.md, "Exactly once", has the protocol and every crash point). Each input partition
 * has its own transactional producer (`KAFKA_TRANSACTIONAL_IDS[partition]`): a new owner of the
 * partition fences the previous one and then reads the committed offset before processing.
 * While PostgreSQL is unreachable the loop waits (not ready) and resumes by itself.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { Admin, Consumer, EachBatchPayload, Kafka, KafkaMessage, Message, Producer } from 'kafkajs';
import type pg from 'pg';
import { TopicContracts } from '@gamemetrics/service-kit/contracts.ts';
import { ConsumerGroupMember } from '@gamemetrics/service-kit/consumer-lifecycle.ts';
import { deadLetter } from '@gamemetrics/service-kit/dead-letter.ts';
import type { Metrics } from '@gamemetrics/service-kit/metrics.ts';
import { parseRawEvent, type RawEvent } from '@gamemetrics/service-kit/player-event.ts';
import { keyPartitioner } from '@gamemetrics/service-kit/partitioner.ts';
import { COUNTERS_CHANNEL } from '@gamemetrics/service-kit/redis.ts';
import { extractKafkaHeaders, type Tracing } from '@gamemetrics/service-kit/tracing.ts';
import { inSpan } from '@gamemetrics/service-kit/server.ts';
import { PRODUCED, type ProcessorConfig } from './config.ts';
import type { EventStoreEraser } from './gdpr.ts';
import { processedRecords } from './processed-record.ts';
import { countsByGame, isDataError, writeEvents, type WriteResult } from './store.ts';

export interface ProcessorDeps {
  kafka: Kafka;
  pool: pg.Pool;
  /** Where live per-game counters are published (best effort). */
  redis: Redis;
  metrics: Metrics;
  logger: FastifyBaseLogger;
  tracing?: Tracing;
  /** Applies gdpr.deletion.requests, consumed in the same group (one consumer: kafkajs assigns partitions without regard to a member's own subscription). */
  eraser: EventStoreEraser;
}

interface Valid {
  event: RawEvent;
  message: KafkaMessage;
}

/** A partition's transactional producer, and the group generation it was set up in. */
interface PartitionProducer {
  producer: Producer;
  generation: number;
  /** The group's committed offset when this producer took the partition over. */
  committed: bigint;
}

export class EventProcessor {
  private readonly config: ProcessorConfig;
  private readonly deps: ProcessorDeps;
  private readonly log: FastifyBaseLogger;
  private readonly group: ConsumerGroupMember;
  private generation = 0;
  private databaseDown = false;
  private admin: Promise<Admin> | null = null;
  private readonly producers = new Map<number, PartitionProducer>();
  private readonly transactionalIds: string[];
  /** The output's topic schema: a record that breaks it fails the chunk (a bug), never reaches consumers. */
  private readonly contracts: TopicContracts;

  constructor(config: ProcessorConfig, deps: ProcessorDeps) {
    this.config = config;
    this.deps = deps;
    this.log = deps.logger.child({ component: 'processor' });
    this.contracts = new TopicContracts(config, PRODUCED);
    this.transactionalIds = config.KAFKA_TRANSACTIONAL_IDS.split(',').map((id) => id.trim()).filter(Boolean);
    this.group = new ConsumerGroupMember({
      kafka: deps.kafka,
      consumer: {
        groupId: config.KAFKA_GROUP_ID,
        // A member that died without leaving holds its partitions until this expires.
        sessionTimeout: config.PROCESSOR_SESSION_TIMEOUT_MS,
        heartbeatInterval: Math.min(1000, Math.floor(config.PROCESSOR_SESSION_TIMEOUT_MS / 3)),
        // Under a trickle, wait a little for fuller fetches: fewer, larger transactions.
        minBytes: 64 * 1024,
        maxWaitTimeInMs: 250,
        maxBytesPerPartition: 2 * 1024 * 1024,
        retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5000 },
        // Only what producers committed: never the output of an aborted transaction.
        readUncommitted: false,
      },
      topics: [config.KAFKA_TOPIC_PLAYER_EVENTS_RAW, config.KAFKA_TOPIC_GDPR_DELETION_REQUESTS],
      partitionsConsumedConcurrently: config.PROCESSOR_PARTITIONS_CONCURRENTLY,
      eachBatch: (payload, consumer) => this.consumeBatch(payload, consumer),
      log: this.log,
      // Partitions may have moved: each is taken over afresh (fence, then read the committed offset).
      onJoin: () => this.generation++,
      onReplace: () => this.generation++,
    });
  }

  isReady(): boolean {
    return this.group.isReady() && !this.databaseDown;
  }

  /** Whether the last database write failed for want of the database (cleared by the next success). */
  isDatabaseDown(): boolean {
    return this.databaseDown;
  }

  /** Join the group and consume; retried until stopped while Kafka is unreachable (pods start in any order). */
  async start(): Promise<void> {
    await this.group.start();
  }

  private async consumeBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload, consumer: Consumer): Promise<void> {
    const { topic, partition } = batch;
    if (topic === this.config.KAFKA_TOPIC_GDPR_DELETION_REQUESTS) {
      // Not transactional: each request's deletion and audit row commit together, so a redelivery is harmless.
      await this.deps.eraser.handle(topic, partition, batch.messages, heartbeat, () => this.group.isStopping() || !isRunning());
      const last = batch.messages.at(-1);
      if (last) {
        resolveOffset(last.offset);
        await consumer.commitOffsets([{ topic, partition, offset: (BigInt(last.offset) + 1n).toString() }]);
      }
      return;
    }
    const owner = await this.partitionProducer(topic, partition);
    // What a previous owner already committed (its transaction finished before ours was set up) is skipped.
    const messages = batch.messages.filter((m) => BigInt(m.offset) >= owner.committed);
    if (messages.length < batch.messages.length && messages.length === 0) resolveOffset(batch.messages[batch.messages.length - 1].offset);
    const size = this.config.PROCESSOR_CHUNK_SIZE;
    for (let i = 0; i < messages.length; i += size) {
      if (!isRunning() || isStale()) break;
      const chunk = messages.slice(i, i + size);
      const last = chunk[chunk.length - 1].offset;
      const next = (BigInt(last) + 1n).toString();
      await this.processChunk(topic, partition, chunk, next, owner, heartbeat);
      resolveOffset(last);
      this.deps.metrics.consumerLag.set({ topic, partition: String(partition) }, Number(BigInt(batch.highWatermark) - BigInt(next)));
      await heartbeat();
    }
  }

  /**
   * The partition's transactional producer, set up once per group generation: connecting it
   * (InitProducerId) completes or aborts whatever transaction a previous owner left open and fences
   * that owner; only then is the committed offset read, so it is final.
   */
  private async partitionProducer(topic: string, partition: number): Promise<PartitionProducer> {
    const current = this.producers.get(partition);
    if (current && current.generation === this.generation) return current;
    if (current) await this.dropProducer(partition);
    const transactionalId = this.transactionalIds[partition];
    if (transactionalId === undefined)
      throw new Error(`partition ${partition} of ${topic} has no transactional id: KAFKA_TRANSACTIONAL_IDS lists ${this.transactionalIds.length}; declare one per partition in the model (transactionalIds)`);
    const generation = this.generation;
    const producer = this.deps.kafka.producer({
      transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: 30000,
      // The Java client's partition for each key, as ingestion's producers (see partitioner.ts).
      createPartitioner: keyPartitioner(),
    });
    // One admin client, shared by the partitions being set up concurrently.
    this.admin ??= (async () => {
      const admin = this.deps.kafka.admin();
      await admin.connect();
      return admin;
    })().catch((err: unknown) => {
      this.admin = null;
      throw err;
    });
    let found: string;
    try {
      await producer.connect();
      const [offsets] = await (await this.admin).fetchOffsets({ groupId: this.config.KAFKA_GROUP_ID, topics: [topic] });
      found = offsets?.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
    } catch (err) {
      await producer.disconnect().catch(() => undefined);
      throw err;
    }
    const entry = { producer, generation, committed: BigInt(found) < 0n ? 0n : BigInt(found) };
    this.producers.set(partition, entry);
    return entry;
  }

  private async dropProducer(partition: number): Promise<void> {
    const entry = this.producers.get(partition);
    this.producers.delete(partition);
    await entry?.producer.disconnect().catch(() => undefined);
  }

  /** Leave the group after the chunk in progress is written and committed. */
  async stop(): Promise<void> {
    await this.group.stop();
    await Promise.all([...this.producers.keys()].map((p) => this.dropProducer(p)));
    await (await this.admin?.catch(() => null))?.disconnect().catch(() => undefined);
  }

  private async processChunk(
    topic: string,
    partition: number,
    messages: KafkaMessage[],
    next: string,
    owner: PartitionProducer,
    heartbeat: () => Promise<void>,
  ): Promise<void> {
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
      // 1. The database: each event stored once; which ones this chunk owns.
      let result: WriteResult;
      let rejected = 0;
      try {
        result = await this.store(partition, valid, heartbeat);
      } catch (err) {
        if (!isDataError(err)) throw err;
        // Something in the chunk passed validation but the database refuses it: find it alone.
        this.log.warn({ err, topic, partition }, 'database refused a chunk; isolating the poison records');
        result = { fresh: [], owned: [] };
        for (const v of valid) {
          try {
            const one = await this.store(partition, [v], heartbeat);
            result.fresh.push(...one.fresh);
            result.owned.push(...one.owned);
          } catch (e) {
            if (!isDataError(e)) throw e;
            rejected++;
            dead.push(this.deadLetter(topic, partition, v.message, `database rejected the event: ${(e as Error).message}`));
          }
        }
      }
      // 2. Kafka, in one transaction: the owned events, the dead letters and the consumed offsets.
      await this.publish(topic, partition, next, owner, valid, result.owned, dead);
      const rawTopic = this.config.KAFKA_TOPIC_PLAYER_EVENTS_RAW;
      this.deps.metrics.consumed.inc({ topic: rawTopic, result: 'ok' }, result.fresh.length);
      this.deps.metrics.consumed.inc({ topic: rawTopic, result: 'duplicate' }, valid.length - result.fresh.length - rejected);
      this.deps.metrics.consumed.inc({ topic: rawTopic, result: 'dead_letter' }, dead.length);
      if (dead.length > 0) this.log.warn({ count: dead.length }, 'records sent to the dead-letter topic');
      this.publishCounters(result.fresh);
    }, parent);
  }

  /** The database write, retried while the database is unreachable (consumption waits meanwhile). */
  private async store(partition: number, valid: Valid[], heartbeat: () => Promise<void>): Promise<WriteResult> {
    for (let attempt = 1; ; attempt++) {
      let client: pg.PoolClient | undefined;
      // A checked-out client whose connection drops emits 'error'; without a listener that kills the process.
      const onError = (err: Error) => this.log.debug({ err }, 'database connection lost while in use');
      try {
        client = await this.deps.pool.connect();
        client.on('error', onError);
        const result = await writeEvents(client, valid.map((v) => ({ event: v.event, source: `${partition}/${v.message.offset}` })));
        client.removeListener('error', onError);
        client.release();
        if (this.databaseDown) this.log.info({ attempt }, 'database reachable again; processing resumes');
        this.databaseDown = false;
        return result;
      } catch (err) {
        if (client) {
          client.removeListener('error', onError);
          // A client that failed is not handed out again.
          client.release(err as Error);
        }
        if (isDataError(err)) throw err;
        if (!this.databaseDown) this.log.warn({ err }, 'database unreachable; pausing consumption until it answers');
        this.databaseDown = true;
        if (this.group.isStopping()) throw err;
        await sleep(Math.min(2000, 100 * attempt));
        // Stay in the group meanwhile (this throws if the group is rebalancing: the batch is redelivered).
        await heartbeat();
      }
    }
  }

  private async publish(topic: string, partition: number, next: string, owner: PartitionProducer, valid: Valid[], owned: RawEvent[], dead: Message[]): Promise<void> {
    const processed = processedRecords(new Date().toISOString());
    const sourceHeaders = new Map(valid.map((v) => [v.event, v.message.headers ?? {}]));
    const transaction = await owner.producer.transaction();
    try {
      if (owned.length > 0) {
        const output = [{ topic: this.config.KAFKA_TOPIC_PLAYER_EVENTS_PROCESSED, messages: owned.map((e) => processed(e, sourceHeaders.get(e) ?? {})) }];
        this.contracts.check(output);
        await transaction.send({ ...output[0], acks: -1 });
      }
      if (dead.length > 0) await transaction.send({ topic: this.config.KAFKA_DLQ_TOPIC_PLAYER_EVENTS_RAW, acks: -1, messages: dead });
      await transaction.sendOffsets({ consumerGroupId: this.config.KAFKA_GROUP_ID, topics: [{ topic, partitions: [{ partition, offset: next }] }] });
      await transaction.commit();
      this.deps.metrics.produced.inc({ topic: this.config.KAFKA_TOPIC_PLAYER_EVENTS_PROCESSED, result: 'ok' }, owned.length);
      this.deps.metrics.produced.inc({ topic: this.config.KAFKA_DLQ_TOPIC_PLAYER_EVENTS_RAW, result: 'ok' }, dead.length);
    } catch (err) {
      await transaction.abort().catch(() => undefined);
      this.deps.metrics.produced.inc({ topic: this.config.KAFKA_TOPIC_PLAYER_EVENTS_PROCESSED, result: 'error' }, owned.length);
      // Fenced or failed: set the partition up afresh before its redelivery.
      await this.dropProducer(partition);
      throw err;
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
    return deadLetter(this.config.SERVICE_NAME, topic, partition, message, reason);
  }
}
