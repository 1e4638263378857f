/**
 * Live per-game counters from Redis pub/sub. event-processor publishes each committed chunk's new
 * events as per-game deltas on one channel; every analytics-api pod subscribes once and fans the
 * deltas out to its SSE streams. Streams start from the database's totals, so the numbers add up
 * to what the stats endpoints show; after a Redis reconnect, streams are told to resync.
 */
import type { Redis } from 'ioredis';
import { COUNTERS_CHANNEL, redisReady } from '@gamemetrics/service-kit/redis.ts';

export interface CounterListener {
  counts(delta: Record<string, number>): void;
  /** The subscription was re-established: deltas may have been missed. */
  resync(): void;
}

export class LiveCounters {
  private readonly subscriber: Redis;
  private readonly listeners = new Map<string, Set<CounterListener>>();
  private subscribedOnce = false;

  /** `subscriber` must be a dedicated connection: a subscribed Redis connection runs no other command. */
  constructor(subscriber: Redis) {
    this.subscriber = subscriber;
    subscriber.on('message', (channel: string, payload: string) => {
      if (channel === COUNTERS_CHANNEL) this.dispatch(payload);
    });
    // ioredis re-subscribes by itself after a reconnect; the streams then re-read their totals.
    subscriber.on('ready', () => {
      if (this.subscribedOnce) for (const set of this.listeners.values()) for (const l of set) l.resync();
    });
  }

  async start(): Promise<void> {
    await this.subscriber.subscribe(COUNTERS_CHANNEL);
    this.subscribedOnce = true;
  }

  isReady(): boolean {
    return this.subscribedOnce && redisReady(this.subscriber);
  }

  subscribe(gameId: string, listener: CounterListener): () => void {
    const set = this.listeners.get(gameId) ?? new Set();
    set.add(listener);
    this.listeners.set(gameId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(gameId);
    };
  }

  async close(): Promise<void> {
    this.subscriber.disconnect();
  }

  private dispatch(payload: string): void {
    let note: { gameId?: unknown; counts?: unknown };
    try {
      note = JSON.parse(payload);
    } catch {
      return;
    }
    if (typeof note.gameId !== 'string' || typeof note.counts !== 'object' || note.counts === null) return;
    const set = this.listeners.get(note.gameId);
    if (set) for (const l of set) l.counts(note.counts as Record<string, number>);
  }
}
