/**
 * Live per-game counters from PostgreSQL LISTEN/NOTIFY. event-processor calls `pg_notify` inside
 * the transaction that stores a chunk, so a notification is delivered only when the events are
 * committed, and only for events that were new (de-duplicated): the live counters count exactly
 * what the stats endpoints will show, with no extra broker. One connection per analytics-api pod
 * LISTENs and fans out to that pod's SSE streams; after a reconnect, streams are told to resync.
 */
import pg from 'pg';
import type { FastifyBaseLogger } from 'fastify';
import { COUNTERS_CHANNEL } from '../../lib/player-event.ts';

export interface CounterListener {
  counts(delta: Record<string, number>): void;
  /** The notification connection was re-established: some deltas may have been missed. */
  resync(): void;
}

export class LiveCounters {
  private readonly options: pg.ClientConfig;
  private readonly log: FastifyBaseLogger;
  private readonly listeners = new Map<string, Set<CounterListener>>();
  private client: pg.Client | null = null;
  private listening = false;
  private closed = false;
  private everConnected = false;

  constructor(options: pg.ClientConfig, log: FastifyBaseLogger) {
    this.options = options;
    this.log = log.child({ component: 'live-counters' });
  }

  isReady(): boolean {
    return this.listening;
  }

  /** Connect and LISTEN; retries in the background until closed. */
  start(): void {
    void this.connectLoop();
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
    this.closed = true;
    this.listening = false;
    await this.client?.end().catch(() => undefined);
  }

  private async connectLoop(): Promise<void> {
    for (let attempt = 1; !this.closed && !this.listening; attempt++) {
      const client = new pg.Client(this.options);
      client.on('error', () => undefined);
      try {
        await client.connect();
        client.on('notification', (msg) => this.dispatch(msg.payload));
        client.on('end', () => {
          this.listening = false;
          if (!this.closed) {
            this.log.warn('notification connection lost; reconnecting');
            void this.connectLoop();
          }
        });
        await client.query(`LISTEN ${COUNTERS_CHANNEL}`);
        this.client = client;
        this.listening = true;
        if (this.everConnected) for (const set of this.listeners.values()) for (const l of set) l.resync();
        this.everConnected = true;
      } catch (err) {
        await client.end().catch(() => undefined);
        this.log.warn({ err, attempt }, 'cannot LISTEN for live counters yet; retrying');
        await new Promise((r) => setTimeout(r, Math.min(5000, 250 * attempt)));
      }
    }
  }

  private dispatch(payload: string | undefined): void {
    if (!payload) return;
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
