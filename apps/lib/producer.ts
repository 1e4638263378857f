/**
 * An idempotent (acks=all) kafkajs producer with group commit and a circuit breaker.
 *
 * - Group commit: kafkajs serialises an idempotent producer's requests per broker, so callers'
 *   messages are queued and sent together by a small pool of producers (`concurrency`, each with
 *   its own producer id): while every producer has a request in flight the next messages gather,
 *   then go out as one `sendBatch` (bounded by `maxRequestBytes`). Each caller's promise resolves
 *   only when all of its messages were acknowledged by every in-sync replica. Messages of one
 *   call go through one producer, in order.
 * - Circuit breaker: a failed or timed-out send rejects its callers and everything queued with
 *   KafkaUnavailableError, and the producer is replaced by a fresh one (a new producer id) once the
 *   broker answers again. Replacing it matters: kafkajs rewinds sequence numbers after a failure,
 *   so reusing it after an ambiguous failure could make the broker drop new messages as duplicates.
 *   While the circuit is open, `send` fails at once, so callers answer 503 without waiting.
 *   Any failure recycles the whole pool.
 */
import type { Kafka, Message, Producer, TopicMessages } from 'kafkajs';
import type { FastifyBaseLogger as Logger } from 'fastify';
import type { Metrics } from './metrics.ts';
import { keyPartitioner } from './partitioner.ts';

export class KafkaUnavailableError extends Error {
  readonly code = 'KAFKA_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KafkaUnavailableError';
  }
}

/** What the services need from a producer; tests of the validation layer may pass a recorder. */
export interface EventSink {
  send(topicMessages: TopicMessages[]): Promise<void>;
  isReady(): boolean;
}

export interface ProducerOptions {
  /** Milliseconds a send may take before its callers get KafkaUnavailableError. @default 5000 */
  sendTimeoutMs?: number;
  /**
   * Upper bound of one produce request's payload (estimated from string lengths). kafkajs groups a
   * request's messages by partition in time quadratic in their count, while smaller requests cost
   * the client and the broker more per request: measured, 64 and 128 KiB use more CPU per event
   * than 256, and 512 no less (docs/BENCHMARKS.md). @default 256 KiB
   */
  maxRequestBytes?: number;
  /** Milliseconds between reconnection attempts while the circuit is open. @default 500 */
  reconnectIntervalMs?: number;
  /** Producers in the pool, i.e. produce requests in flight at once. @default 2 */
  concurrency?: number;
  /**
   * Milliseconds a small batch waits for company before it is sent (Kafka's linger.ms): fewer,
   * larger produce requests under load, for a little latency (Kafka's own default is 5). @default 5
   */
  lingerMs?: number;
}

interface Pending {
  topicMessages: TopicMessages[];
  bytes: number;
  resolve: () => void;
  reject: (e: Error) => void;
}

/** Approximate bytes of a message on the wire (string lengths stand for byte lengths: a size cap, not an exact count). */
function messageBytes(m: Message): number {
  let bytes = 64 + lengthOf(m.value) + lengthOf(m.key);
  const headers = m.headers;
  if (headers) for (const k in headers) bytes += k.length + lengthOf(headers[k]);
  return bytes;
}

function lengthOf(v: unknown): number {
  if (v == null) return 0;
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + lengthOf(x), 0);
  return (v as string | Buffer).length;
}

/** Split messages into chunks of at most `maxBytes` (a message larger than that is its own chunk). */
export function chunkByBytes(messages: Message[], maxBytes: number): Array<{ messages: Message[]; bytes: number }> {
  const chunks: Array<{ messages: Message[]; bytes: number }> = [];
  let current: Message[] = [];
  let bytes = 0;
  for (const m of messages) {
    const b = messageBytes(m);
    if (current.length > 0 && bytes + b > maxBytes) {
      chunks.push({ messages: current, bytes });
      current = [];
      bytes = 0;
    }
    current.push(m);
    bytes += b;
  }
  if (current.length > 0) chunks.push({ messages: current, bytes });
  return chunks;
}

function mergeTopicMessages(items: Pending[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const item of items)
    for (const tm of item.topicMessages) {
      const list = byTopic.get(tm.topic);
      if (list) for (const m of tm.messages) list.push(m);
      else byTopic.set(tm.topic, [...tm.messages]);
    }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

export class ResilientProducer implements EventSink {
  private readonly kafka: Kafka;
  private readonly logger: Logger;
  private readonly metrics: Metrics;
  private readonly sendTimeoutMs: number;
  private readonly maxRequestBytes: number;
  private readonly reconnectIntervalMs: number;
  private readonly concurrency: number;
  private producers: Producer[] = [];
  private idle: Producer[] = [];
  private queue: Pending[] = [];
  private queuedBytes = 0;
  private oldestQueuedAt = 0;
  private lingerTimer: NodeJS.Timeout | null = null;
  private readonly lingerMs: number;
  private readonly inFlight = new Set<Promise<void>>();
  private up = false;
  private closed = false;
  private reconnecting: Promise<void> | null = null;

  constructor(kafka: Kafka, logger: Logger, metrics: Metrics, options: ProducerOptions = {}) {
    this.kafka = kafka;
    this.logger = logger.child({ component: 'producer' });
    this.metrics = metrics;
    this.sendTimeoutMs = options.sendTimeoutMs ?? 5000;
    this.maxRequestBytes = options.maxRequestBytes ?? 256 * 1024;
    this.reconnectIntervalMs = options.reconnectIntervalMs ?? 500;
    this.concurrency = options.concurrency ?? 2;
    this.lingerMs = options.lingerMs ?? 5;
  }

  /** Connect; if the broker is not reachable yet, keep trying in the background (not ready meanwhile). */
  async start(): Promise<void> {
    try {
      await this.connectFresh();
    } catch (e) {
      this.logger.warn({ err: e }, 'Kafka not reachable at start; retrying in the background');
      this.scheduleReconnect();
    }
  }

  isReady(): boolean {
    return this.up && !this.closed;
  }

  /** Resolves once every message is acknowledged (acks=all); rejects with KafkaUnavailableError otherwise. */
  send(topicMessages: TopicMessages[]): Promise<void> {
    if (this.closed) return Promise.reject(new KafkaUnavailableError('producer is shutting down'));
    if (!this.up) return Promise.reject(new KafkaUnavailableError('Kafka is unavailable'));
    // Large requests are split so no produce request exceeds maxRequestBytes.
    const parts: Pending[] = [];
    const promises: Promise<void>[] = [];
    for (const tm of topicMessages)
      for (const { messages, bytes } of chunkByBytes(tm.messages, this.maxRequestBytes))
        promises.push(new Promise<void>((resolve, reject) => parts.push({ topicMessages: [{ topic: tm.topic, messages }], bytes, resolve, reject })));
    if (this.queue.length === 0) this.oldestQueuedAt = performance.now();
    this.queue.push(...parts);
    for (const part of parts) this.queuedBytes += part.bytes;
    this.pumpWhenDue();
    return promises.length === 1 ? promises[0] : Promise.all(promises).then(() => undefined);
  }

  /** Flush everything queued, then disconnect. */
  async close(): Promise<void> {
    while (this.inFlight.size > 0 || (this.queue.length > 0 && this.up)) {
      if (this.inFlight.size > 0) await Promise.race(this.inFlight);
      else this.pump(true);
    }
    this.closed = true;
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.failQueued(new KafkaUnavailableError('producer is shutting down'));
    await this.reconnecting?.catch(() => undefined);
    await Promise.all(this.producers.map((p) => p.disconnect().catch(() => undefined)));
    this.producers = [];
    this.idle = [];
  }

  /** Send now if a full request is queued or the oldest message lingered long enough; else wait. */
  private pumpWhenDue(): void {
    if (this.queue.length === 0 || this.lingerTimer) return;
    const waited = performance.now() - this.oldestQueuedAt;
    if (this.queuedBytes >= this.maxRequestBytes || waited >= this.lingerMs) this.pump();
    else
      this.lingerTimer = setTimeout(() => {
        this.lingerTimer = null;
        this.pump();
      }, this.lingerMs - waited);
  }

  private pump(flush = false): void {
    if (flush && this.lingerTimer) {
      clearTimeout(this.lingerTimer);
      this.lingerTimer = null;
    }
    while (this.queue.length > 0 && this.up && this.idle.length > 0) {
      const producer = this.idle.pop() as Producer;
      const batch: Pending[] = [];
      let bytes = 0;
      while (this.queue.length > 0 && (batch.length === 0 || bytes + this.queue[0].bytes <= this.maxRequestBytes)) {
        const item = this.queue.shift() as Pending;
        bytes += item.bytes;
        batch.push(item);
      }
      this.queuedBytes -= bytes;
      this.oldestQueuedAt = performance.now();
      const sending: Promise<void> = this.sendNow(producer, batch).finally(() => {
        this.inFlight.delete(sending);
        // A producer from a pool that was recycled meanwhile is not reused.
        if (this.producers.includes(producer)) this.idle.push(producer);
        this.pumpWhenDue();
      });
      this.inFlight.add(sending);
    }
  }

  private async sendNow(producer: Producer, batch: Pending[]): Promise<void> {
    const topicMessages = mergeTopicMessages(batch);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        producer.sendBatch({ topicMessages, acks: -1 }),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no acknowledgement within ${this.sendTimeoutMs} ms`)), this.sendTimeoutMs);
        }),
      ]);
      for (const tm of topicMessages) this.metrics.produced.inc({ topic: tm.topic, result: 'ok' }, tm.messages.length);
      for (const item of batch) item.resolve();
    } catch (e) {
      for (const tm of topicMessages) this.metrics.produced.inc({ topic: tm.topic, result: 'error' }, tm.messages.length);
      const err = new KafkaUnavailableError(`Kafka did not acknowledge the write: ${(e as Error).message}`, { cause: e });
      for (const item of batch) item.reject(err);
      this.trip(err);
    } finally {
      clearTimeout(timer);
    }
  }

  private failQueued(err: Error): void {
    const queued = this.queue;
    this.queue = [];
    this.queuedBytes = 0;
    for (const item of queued) item.reject(err);
  }

  /** Open the circuit: fail what is queued, drop the producer, reconnect in the background. */
  private trip(err: Error): void {
    if (!this.up) return;
    this.up = false;
    this.logger.error({ err }, 'Kafka write failed; answering unavailable until a new producer connects');
    this.failQueued(err);
    const old = this.producers;
    this.producers = [];
    this.idle = [];
    for (const p of old) p.disconnect().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.reconnecting || this.closed) return;
    this.reconnecting = (async () => {
      while (!this.closed && !this.up) {
        await new Promise((r) => setTimeout(r, this.reconnectIntervalMs));
        if (this.closed) break;
        try {
          await this.connectFresh();
          this.logger.info('Kafka producer reconnected');
        } catch (e) {
          this.logger.debug({ err: e }, 'Kafka still unavailable');
        }
      }
    })().finally(() => {
      this.reconnecting = null;
    });
  }

  private async connectFresh(): Promise<void> {
    const pool = Array.from({ length: this.concurrency }, () =>
      this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        // The Java client's partition for each key, computed once per key (see partitioner.ts).
        createPartitioner: keyPartitioner(),
        // Bounded retries: the circuit breaker, not kafkajs, decides when to give up.
        retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
      }),
    );
    const connected = await Promise.allSettled(pool.map((p) => p.connect()));
    const failed = connected.find((r) => r.status === 'rejected');
    if (failed || this.closed) {
      await Promise.all(pool.map((p) => p.disconnect().catch(() => undefined)));
      if (failed) throw (failed as PromiseRejectedResult).reason;
      return;
    }
    this.producers = pool;
    this.idle = [...pool];
    this.up = true;
    this.pump();
  }
}
