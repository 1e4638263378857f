/**
 * GDPR deletion, as every store sees it. user-service writes a request (and its own `profile` audit
 * row) and publishes it to gdpr.deletion.requests; each service that keeps the player's data
 * deletes it and writes its store's audit row in the same transaction, so a redelivered request
 * deletes nothing more and writes no second row. user-service reports a request completed once every
 * store in its GDPR_STORES has a row.
 *
 * Record on gdpr.deletion.requests: key = playerId, value = `{ requestId, playerId, requestedAt }`.
 */
import type { KafkaMessage, Message } from 'kafkajs';
import type pg from 'pg';
import { validateWith } from './record-schema.ts';
import { idSchema } from './player-event.ts';

export interface DeletionRequest {
  requestId: string;
  playerId: string;
  requestedAt: string;
}

export const deletionRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['requestId', 'playerId', 'requestedAt'],
  properties: {
    requestId: { type: 'string', format: 'uuid' },
    playerId: idSchema,
    requestedAt: { type: 'string', format: 'date-time' },
  },
} as const;

const check = validateWith<DeletionRequest>(deletionRequestSchema);

/** The record user-service publishes. */
export function deletionRequestMessage(request: DeletionRequest): Message {
  return { key: request.playerId, value: JSON.stringify(request), headers: { 'content-type': 'application/json' } };
}

/** A consumed record as a request, or the reason it is not one (the DLQ's `x-dlq-reason`). */
export function parseDeletionRequest(value: Buffer | null): { request: DeletionRequest } | { reason: string } {
  if (value === null) return { reason: 'empty record (no value)' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch (e) {
    return { reason: `not JSON: ${(e as Error).message}` };
  }
  const result = check(parsed);
  return 'value' in result ? { request: { ...result.value, requestId: result.value.requestId.toLowerCase() } } : { reason: `not a deletion request: ${result.problems.join('; ')}` };
}

/**
 * Record that `store` finished `request` (inside the caller's transaction). Returns false when the
 * row was there already (a redelivery). A request user-service never recorded is refused by the
 * foreign key (SQLSTATE 23503): a poison record for the DLQ.
 */
export async function recordDeletion(client: pg.Pool | pg.PoolClient | pg.Client, requestId: string, store: string, service: string, deleted: Record<string, number>): Promise<boolean> {
  const { rowCount } = await client.query(
    'INSERT INTO gdpr_deletion_audit (request_id, store, service, deleted) VALUES ($1, $2, $3, $4) ON CONFLICT (request_id, store) DO NOTHING',
    [requestId, store, service, JSON.stringify(deleted)],
  );
  return rowCount === 1;
}

/** Whether `store` already finished `request`. */
export async function deletionRecorded(client: pg.Pool | pg.PoolClient | pg.Client, requestId: string, store: string): Promise<boolean> {
  const { rowCount } = await client.query('SELECT 1 FROM gdpr_deletion_audit WHERE request_id = $1 AND store = $2', [requestId, store]);
  return rowCount === 1;
}

/** A dead letter for a record a consumer could not apply: the original record plus the reason. */
export function deadLetter(service: string, topic: string, partition: number, message: KafkaMessage, reason: string): Message {
  return {
    key: message.key,
    value: message.value,
    headers: {
      ...(message.headers ?? {}),
      'x-dlq-reason': reason.slice(0, 1000),
      'x-dlq-source': `${topic}/${partition}/${message.offset}`,
      'x-dlq-service': service,
      'x-dlq-failed-at': new Date().toISOString(),
    },
  };
}
