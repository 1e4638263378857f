/**
 * user-service: player profiles and consent, GDPR deletion.
 * - `POST /v1/players`, `GET /v1/players/:id`, `PATCH /v1/players/:id`
 * - `DELETE /v1/players/:id` → 202 `{ requestId, playerId, status }`: the profile is deleted and the
 *   request recorded in one transaction, then published to gdpr.deletion.requests (outbox.ts).
 * - `GET /v1/gdpr/requests/:requestId`, `GET /v1/gdpr/requests?limit=N` (newest first).
 */
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { AppError } from '@gamemetrics/service-kit/errors.ts';
import type { Metrics } from '@gamemetrics/service-kit/metrics.ts';
import { idSchema } from '@gamemetrics/service-kit/player-event.ts';
import { pingPostgres } from '@gamemetrics/service-kit/postgres.ts';
import { createServer } from '@gamemetrics/service-kit/server.ts';
import type { Tracing } from '@gamemetrics/service-kit/tracing.ts';
import { gdprStores, type UserServiceConfig } from './config.ts';
import { createPlayer, getPlayer, listRequests, requestDeletion, requestStatus, updatePlayer, type NewPlayer, type PlayerChanges } from './store.ts';

export interface UserServiceDeps {
  pool: pg.Pool;
  /** Publishes recorded deletion requests now (the outbox; it also runs on an interval). */
  outbox: { flush(): Promise<number> };
  /** Whether the producer behind the outbox is connected. */
  kafkaReady: () => boolean;
  metrics: Metrics;
  tracing?: Tracing;
}

const idParams = { type: 'object', required: ['id'], properties: { id: idSchema } };
const displayName = { type: 'string', minLength: 1, maxLength: 100 };
const email = { type: 'string', maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$' };
const country = { type: 'string', pattern: '^[A-Z]{2}$' };
const flag = { type: 'boolean' };

const newPlayerBody = {
  type: 'object',
  additionalProperties: false,
  required: ['playerId', 'displayName', 'email', 'consent'],
  properties: {
    playerId: idSchema,
    displayName,
    email,
    country,
    consent: { type: 'object', additionalProperties: false, required: ['analytics', 'marketing'], properties: { analytics: flag, marketing: flag } },
  },
};
const changesBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    displayName,
    email,
    country,
    consent: { type: 'object', additionalProperties: false, minProperties: 1, properties: { analytics: flag, marketing: flag } },
  },
};
const requestParams = { type: 'object', required: ['requestId'], properties: { requestId: { type: 'string', format: 'uuid' } } };
const listQuery = { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 } } };

const notFound = (id: string) => new AppError(404, 'PLAYER_NOT_FOUND', `no player ${JSON.stringify(id)}`);

function databaseError(e: unknown): never {
  if (e instanceof AppError) throw e;
  throw new AppError(503, 'DATABASE_UNAVAILABLE', 'the player store is unavailable; retry later', { headers: { 'retry-after': '1' }, cause: e });
}

export function buildApp(config: UserServiceConfig, deps: UserServiceDeps): FastifyInstance {
  const { pool, outbox } = deps;
  const stores = gdprStores(config);
  const app = createServer({
    service: config.SERVICE_NAME,
    logLevel: config.LOG_LEVEL,
    metrics: deps.metrics,
    tracing: deps.tracing,
    readiness: { postgres: () => pingPostgres(pool), kafkaProducer: deps.kafkaReady },
  });

  app.post<{ Body: NewPlayer }>('/v1/players', { schema: { body: newPlayerBody } }, async (request, reply) => {
    const player = await createPlayer(pool, request.body).catch(databaseError);
    if (!player) throw new AppError(409, 'PLAYER_EXISTS', `player ${JSON.stringify(request.body.playerId)} exists already; PATCH it instead`);
    return reply.code(201).send(player);
  });

  app.get<{ Params: { id: string } }>('/v1/players/:id', { schema: { params: idParams } }, async (request) => {
    const player = await getPlayer(pool, request.params.id).catch(databaseError);
    if (!player) throw notFound(request.params.id);
    return player;
  });

  app.patch<{ Params: { id: string }; Body: PlayerChanges }>('/v1/players/:id', { schema: { params: idParams, body: changesBody } }, async (request) => {
    const player = await updatePlayer(pool, request.params.id, request.body).catch(databaseError);
    if (!player) throw notFound(request.params.id);
    return player;
  });

  app.delete<{ Params: { id: string } }>('/v1/players/:id', { schema: { params: idParams } }, async (request, reply) => {
    const result = await requestDeletion(pool, request.params.id, config.SERVICE_NAME).catch(databaseError);
    if (!result) throw notFound(request.params.id);
    // Recorded is accepted: publishing now only shortens the wait; the outbox retries it otherwise.
    if (result.created) await outbox.flush().catch((err: unknown) => request.log.warn({ err }, 'deletion request recorded, not yet published'));
    const status = await requestStatus(pool, result.request.requestId, stores).catch(databaseError);
    return reply.code(202).send({ requestId: result.request.requestId, playerId: result.request.playerId, status: status?.status ?? 'pending' });
  });

  app.get<{ Params: { requestId: string } }>('/v1/gdpr/requests/:requestId', { schema: { params: requestParams } }, async (request) => {
    const status = await requestStatus(pool, request.params.requestId.toLowerCase(), stores).catch(databaseError);
    if (!status) throw new AppError(404, 'REQUEST_NOT_FOUND', `no deletion request ${request.params.requestId}`);
    return status;
  });

  app.get<{ Querystring: { limit: number } }>('/v1/gdpr/requests', { schema: { querystring: listQuery } }, async (request) => ({
    requests: await listRequests(pool, request.query.limit, stores).catch(databaseError),
  }));

  return app;
}
