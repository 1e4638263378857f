/**
 * The life of a kafkajs consumer in a long-running service, as one member of its group: start it
 * until the broker answers (pods start in any order), know whether it is in its group (readiness),
 * replace it when kafkajs gives up on it (kafkajs restarts a consumer itself after retriable
 * failures only; after any other, e.g. no group coordinator found while the broker restarts, it
 * stays down), and leave the group on stop. What a service does with a batch, and how it commits
 * offsets, stays the service's.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import type { Consumer, ConsumerConfig, EachBatchPayload, Kafka } from 'kafkajs';

/** Something opened with each consumer and closed after it, e.g. the producer of dead letters. */
export interface Companion {
  /** Called on every start attempt, before the consumer connects. */
  connect(): Promise<void>;
  /** Called after the consumer disconnects: after a failed attempt, and on stop. Its errors are ignored. */
  disconnect(): Promise<void>;
}

export interface ConsumerGroupOptions {
  kafka: Kafka;
  /** The consumer's settings, `groupId` included; a fresh consumer is made from them on every start and replacement. */
  consumer: ConsumerConfig;
  /** Subscribed from the beginning: a new group reads what the topics retain. */
  topics: string[];
  /** Partitions handled in parallel (kafkajs `partitionsConsumedConcurrently`). */
  partitionsConsumedConcurrently: number;
  /**
   * One batch. Offsets are neither resolved nor committed automatically: the service does both,
   * through `consumer` (the one this batch came from) or in a transaction.
   */
  eachBatch: (payload: EachBatchPayload, consumer: Consumer) => Promise<void>;
  /** The service's logger; lines: "Kafka consumer cannot start yet; retrying", "Kafka consumer crashed; starting a new one". */
  log: FastifyBaseLogger;
  /** Opened and closed with each consumer; none when omitted. */
  companion?: Companion;
  /** The consumer joined (or rejoined) its group: partitions may have moved. */
  onJoin?: () => void;
  /** A crashed consumer is about to be replaced by a new one. */
  onReplace?: () => void;
}

/** How long after a crash kafkajs will not recover from the replacement starts. */
const REPLACE_AFTER_MS = 1000;

export class ConsumerGroupMember {
  private readonly options: ConsumerGroupOptions;
  private consumer: Consumer | null = null;
  private joined = false;
  private stopping = false;

  constructor(options: ConsumerGroupOptions) {
    this.options = options;
  }

  /** In its group and not stopping. */
  isReady(): boolean {
    return this.joined && !this.stopping;
  }

  /** stop() has been called: work in hand should be given up or finished, not started. */
  isStopping(): boolean {
    return this.stopping;
  }

  /** Create, connect, subscribe and run a consumer; retried until stopped while Kafka is unreachable. */
  async start(): Promise<void> {
    const cleanUp = async () => {
      await this.consumer?.disconnect().catch(() => undefined);
      await this.options.companion?.disconnect().catch(() => undefined);
    };
    for (let n = 1; !this.stopping; n++) {
      try {
        await this.run();
        return;
      } catch (err) {
        this.options.log.warn({ err, attempt: n }, 'Kafka consumer cannot start yet; retrying');
        await cleanUp();
        await sleep(Math.min(5000, 250 * n));
      }
    }
  }

  /** Leave the group (kafkajs first finishes the batches in hand), then close the companion. */
  async stop(): Promise<void> {
    this.stopping = true;
    try {
      await this.consumer?.disconnect();
    } finally {
      await this.options.companion?.disconnect().catch(() => undefined);
    }
  }

  private async run(): Promise<void> {
    const o = this.options;
    const consumer = o.kafka.consumer(o.consumer);
    this.consumer = consumer;
    this.watch(consumer);
    await o.companion?.connect();
    await consumer.connect();
    if (this.stopping) return;
    await consumer.subscribe({ topics: o.topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: o.partitionsConsumedConcurrently,
      eachBatch: (payload) => o.eachBatch(payload, consumer),
    });
  }

  private watch(consumer: Consumer): void {
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.joined = true;
      this.options.onJoin?.();
    });
    for (const ev of [consumer.events.CRASH, consumer.events.DISCONNECT, consumer.events.STOP])
      consumer.on(ev, () => {
        this.joined = false;
      });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart || this.stopping || this.consumer !== consumer) return;
      this.options.log.error({ err: payload.error }, 'Kafka consumer crashed; starting a new one');
      setTimeout(() => {
        this.options.onReplace?.();
        void this.start();
      }, REPLACE_AFTER_MS);
    });
  }
}
