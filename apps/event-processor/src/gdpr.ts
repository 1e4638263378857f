/**
 * GDPR erasure in the event store: for each request on gdpr.deletion.requests, delete the player's
 * rows from `player_events` and write the `player-events` audit row, in one transaction (a
 * redelivered request deletes nothing more and writes no second row). analytics-api has no tables
 * of its own: its stats and leaderboards are computed from these rows, so they forget the player
 * with them. The de-duplication ledger keeps its event ids (no player id in it): a replay of
 * player.events.raw must not store the erased events again.
 * Poison records (not a request, or a request user-service never recorded) go to the DLQ with the
 * reason; while PostgreSQL is unreachable the request waits and is retried.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import type { KafkaMessage } from 'kafkajs';
import type pg from 'pg';
import { deadLetter } from '@gamemetrics/service-kit/dead-letter.ts';
import { parseDeletionRequest, recordDeletion, type DeletionRequest } from '@gamemetrics/service-kit/gdpr.ts';
import type { Metrics } from '@gamemetrics/service-kit/metrics.ts';
import { withTransaction } from '@gamemetrics/service-kit/postgres.ts';
import type { EventSink } from '@gamemetrics/service-kit/producer.ts';
import { isDataError } from './store.ts';

/** The store name in the audit (and in user-service's GDPR_STORES). */
export const PLAYER_EVENTS_STORE = 'player-events';

export interface EraserConfig {
  SERVICE_NAME: string;
  KAFKA_DLQ_TOPIC_GDPR_DELETION_REQUESTS: string;
}

export async function erasePlayerEvents(pool: pg.Pool, request: DeletionRequest, service: string): Promise<{ rows: number; recorded: boolean }> {
  return withTransaction(pool, async (client) => {
    const { rowCount } = await client.query('DELETE FROM player_events WHERE player_id = $1', [request.playerId]);
    const recorded = await recordDeletion(client, request.requestId, PLAYER_EVENTS_STORE, service, { rows: rowCount ?? 0 });
    return { rows: rowCount ?? 0, recorded };
  });
}

export class EventStoreEraser {
  private readonly config: EraserConfig;
  private readonly pool: pg.Pool;
  private readonly dlq: EventSink;
  private readonly metrics: Metrics;
  private readonly log: FastifyBaseLogger;

  constructor(config: EraserConfig, deps: { pool: pg.Pool; dlq: EventSink; metrics: Metrics; logger: FastifyBaseLogger }) {
    this.config = config;
    this.pool = deps.pool;
    this.dlq = deps.dlq;
    this.metrics = deps.metrics;
    this.log = deps.logger.child({ component: 'gdpr' });
  }

  /** Apply a batch of requests in order; resolves once each is erased or dead-lettered. */
  async handle(topic: string, partition: number, messages: KafkaMessage[], heartbeat: () => Promise<void>, stopping: () => boolean): Promise<void> {
    for (const message of messages) {
      const parsed = parseDeletionRequest(message.value);
      let reason = 'reason' in parsed ? parsed.reason : undefined;
      if ('request' in parsed) {
        for (let attempt = 1; ; attempt++) {
          try {
            const { rows, recorded } = await erasePlayerEvents(this.pool, parsed.request, this.config.SERVICE_NAME);
            this.log.info({ requestId: parsed.request.requestId, rows, redelivered: !recorded }, 'player erased from the event store');
            break;
          } catch (err) {
            if (isDataError(err)) {
              reason = `database refused the request: ${(err as Error).message}`;
              break;
            }
            if (stopping()) throw err;
            this.log.warn({ err, attempt }, 'database unreachable; the deletion request waits');
            await sleep(Math.min(2000, 100 * attempt));
            await heartbeat();
          }
        }
      }
      if (reason !== undefined) {
        await this.dlq.send([{ topic: this.config.KAFKA_DLQ_TOPIC_GDPR_DELETION_REQUESTS, messages: [deadLetter(this.config.SERVICE_NAME, topic, partition, message, reason)] }]);
        this.log.warn({ reason, offset: message.offset }, 'deletion request sent to the dead-letter topic');
      }
      this.metrics.consumed.inc({ topic, result: reason === undefined ? 'ok' : 'dead_letter' });
    }
  }
}
