/**
 * The outbox of gdpr.deletion.requests: a request is committed to PostgreSQL first (with the
 * profile's deletion), then published, with the player's confirmation on notifications.outbound
 * (notifications.ts) in the same send; `published_at` marks what Kafka acknowledged for both. `flush()` runs
 * right after each DELETE and on an interval, so a request accepted while Kafka is down goes out
 * when it is back. Rows are claimed with SKIP LOCKED, so replicas do not publish the same row at the
 * same time; a crash between Kafka's acknowledgement and the mark publishes a request twice, which
 * every consumer absorbs (its audit row exists), and notification-service delivers the confirmation
 * once (same notification id).
 */
import type { FastifyBaseLogger } from 'fastify';
import type pg from 'pg';
import { deletionRequestMessage } from '@gamemetrics/service-kit/gdpr.ts';
import { withTransaction } from '@gamemetrics/service-kit/postgres.ts';
import type { EventSink } from '@gamemetrics/service-kit/producer.ts';
import { deletionReceivedMessage } from './notifications.ts';

export interface OutboxTopics {
  /** gdpr.deletion.requests */
  deletions: string;
  /** notifications.outbound */
  notifications: string;
  /** The channel the confirmation goes to. */
  channel: string;
}

export class Outbox {
  private readonly pool: pg.Pool;
  private readonly sink: EventSink;
  private readonly topics: OutboxTopics;
  private readonly log: FastifyBaseLogger;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(pool: pg.Pool, sink: EventSink, topics: OutboxTopics, log: FastifyBaseLogger) {
    this.pool = pool;
    this.sink = sink;
    this.topics = topics;
    this.log = log.child({ component: 'outbox' });
  }

  /** Publish every unpublished request; resolves with how many went out. One pass at a time. */
  flush(): Promise<number> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(): Promise<number> {
    if (!this.sink.isReady()) return 0;
    return withTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ request_id: string; player_id: string; requested_at: Date }>(
        'SELECT request_id::text, player_id, requested_at FROM gdpr_deletion_requests WHERE published_at IS NULL ORDER BY requested_at LIMIT 500 FOR UPDATE SKIP LOCKED',
      );
      if (rows.length > 0) {
        const requests = rows.map((r) => ({ requestId: r.request_id, playerId: r.player_id, requestedAt: r.requested_at.toISOString() }));
        await this.sink.send([
          { topic: this.topics.deletions, messages: requests.map(deletionRequestMessage) },
          { topic: this.topics.notifications, messages: requests.map((r) => deletionReceivedMessage(r, this.topics.channel)) },
        ]);
        await client.query('UPDATE gdpr_deletion_requests SET published_at = now() WHERE request_id = ANY($1::uuid[])', [rows.map((r) => r.request_id)]);
      }
      return rows.length;
    });
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      this.flush().catch((err: unknown) => this.log.warn({ err }, 'deletion requests not published yet; retrying'));
    }, intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }
}
