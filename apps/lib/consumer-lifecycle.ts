/**
 * The life of a kafkajs consumer in a long-running service, as one member of its group: start it
 * until the broker answers (pods start in any order), know whether it is in its group (readiness),
 * replace it when kafkajs gives up on it (kafkajs restarts a consumer itself after retriable
 * failures only; after any other, e.g. no group coordinator found while the broker restarts, it
 * stays down), and leave the group on stop, whenever the stop lands: a start attempt in flight
 * (the first one or a replacement) is waited for, then what it connected is closed.
 * What a service does with a batch, and how it commits offsets, stays the service's.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import type { Consumer, ConsumerConfig, EachBatchPayload, Kafka } from 'kafkajs';

/** Something opened with each consumer and closed after it, e.g. the producer of dead letters. */
export interface Companion {
  /** Called on every start attempt, before the consumer connects. */
  connect(): Promise<void>;
  /** Called after the consumer disconnects: after a failed attempt, before a replacement, and on stop. Its errors are ignored. */
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
export const REPLACE_AFTER_MS = 1000;

export class ConsumerGroupMember {
  private readonly options: ConsumerGroupOptions;
  private consumer: Consumer | null = null;
  private joined = false;
  private stopping = false;
  /** The start attempts in flight (start() or a replacement), until they return: stop() waits for them. */
  private attempts: Promise<void> | null = null;
  /** The replacement of a crashed consumer, waiting to start. */
  private replacement: ReturnType<typeof setTimeout> | undefined;
  /** Aborted by stop(): ends the pause between start attempts. */
  private readonly stopped = new AbortController();

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

  /** Create, connect, subscribe and run a consumer; retried until stopped while Kafka is unreachable. After stop(): nothing. */
  async start(): Promise<void> {
    await this.begin(false);
  }

  /**
   * Not ready at once; the consumer leaves the group (kafkajs first finishes the batches in hand), then the
   * companion is closed. A start attempt in flight is cut short where kafkajs allows, waited for (it takes
   * no further step), and what it connected is closed.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.stopped.abort();
    clearTimeout(this.replacement);
    const inFlight = this.attempts;
    if (inFlight) {
      await this.consumer?.disconnect().catch(() => undefined);
      await inFlight;
    }
    try {
      await this.consumer?.disconnect();
    } finally {
      await this.options.companion?.disconnect().catch(() => undefined);
    }
  }

  /**
   * Runs the start attempts, known to stop() until they return (registered before the first step: a stop() may
   * land within it); a replacement first closes what the crashed consumer left.
   */
  private async begin(replacing: boolean): Promise<void> {
    if (this.stopping) return;
    const { promise, resolve } = Promise.withResolvers<void>();
    this.attempts = promise;
    try {
      await this.attempt(replacing);
    } finally {
      if (this.attempts === promise) this.attempts = null;
      resolve();
    }
  }

  private async attempt(replacing: boolean): Promise<void> {
    if (replacing) await this.close();
    for (let n = 1; !this.stopping; n++) {
      try {
        await this.run();
        return;
      } catch (err) {
        if (this.stopping) return;
        this.options.log.warn({ err, attempt: n }, 'Kafka consumer cannot start yet; retrying');
        await this.close();
        await sleep(Math.min(5000, 250 * n), undefined, { signal: this.stopped.signal }).catch(() => undefined);
      }
    }
  }

  /** One attempt; after each step a stop() that landed meanwhile ends it (stop() closes what it connected). */
  private async run(): Promise<void> {
    const o = this.options;
    const consumer = o.kafka.consumer(o.consumer);
    this.consumer = consumer;
    this.watch(consumer);
    await o.companion?.connect();
    if (this.stopping) return;
    await consumer.connect();
    if (this.stopping) return;
    await consumer.subscribe({ topics: o.topics, fromBeginning: true });
    if (this.stopping) return;
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: o.partitionsConsumedConcurrently,
      eachBatch: (payload) => o.eachBatch(payload, consumer),
    });
  }

  /** The consumer, then the companion; errors ignored. */
  private async close(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    await this.options.companion?.disconnect().catch(() => undefined);
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
      this.replacement = setTimeout(() => {
        this.options.onReplace?.();
        void this.begin(true);
      }, REPLACE_AFTER_MS);
    });
  }
}
