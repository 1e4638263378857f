/**
 * analytics-api: read-only views over the event store (PostgreSQL), live counters from Redis.
 * - `GET /v1/players/:id/stats?window=24h[&gameId=][&to=]`
 * - `GET /v1/games/:id/leaderboard?window=24h&limit=10&offset=0[&to=]`
 * - `GET /v1/games/:id/live`: Server-Sent Events, a `snapshot` then `counters` on every commit.
 * Every /v1 route needs a caller's key (API_KEYS): `X-API-Key: <key>` or `Authorization: Bearer <key>`.
 */
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { parseApiKeys, presentedKey, tenantOf } from '@gamemetrics/service-kit/api-keys.ts';
import { AppError } from '@gamemetrics/service-kit/errors.ts';
import type { Metrics } from '@gamemetrics/service-kit/metrics.ts';
import { idSchema } from '@gamemetrics/service-kit/player-event.ts';
import { pingPostgres } from '@gamemetrics/service-kit/postgres.ts';
import { createServer } from '@gamemetrics/service-kit/server.ts';
import type { Tracing } from '@gamemetrics/service-kit/tracing.ts';
import type { AnalyticsConfig } from './config.ts';
import type { CounterListener } from './live-counters.ts';
import { gameCounts, leaderboard, playerStats, rangeOf, windows, type WindowName } from './queries.ts';

export interface LiveSource {
  isReady(): boolean;
  subscribe(gameId: string, listener: CounterListener): () => void;
}

export interface AnalyticsDeps {
  pool: pg.Pool;
  live: LiveSource;
  metrics: Metrics;
  tracing?: Tracing;
}

const idParams = { type: 'object', required: ['id'], properties: { id: idSchema } };
const windowParam = { type: 'string', enum: Object.keys(windows), default: '24h' };
const toParam = { type: 'string', format: 'date-time' };

const statsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { window: windowParam, gameId: idSchema, to: toParam },
};
const leaderboardQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    window: windowParam,
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
    offset: { type: 'integer', minimum: 0, maximum: 10000, default: 0 },
    to: toParam,
  },
};

/** Database failures become 503s a client can retry; a missing table means the processor has not created it yet. */
function databaseError(e: unknown): AppError {
  const code = (e as { code?: string }).code;
  if (code === '42P01') return new AppError(503, 'NOT_READY', 'the event store is not initialised yet (event-processor creates it)', { cause: e });
  return new AppError(503, 'DATABASE_UNAVAILABLE', 'the event store is unavailable; retry later', { headers: { 'retry-after': '1' }, cause: e });
}

/** The routes served without a key: the probes and Prometheus' scrape. */
const OPEN_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

export function buildApp(config: AnalyticsConfig, deps: AnalyticsDeps): FastifyInstance {
  const { pool, live } = deps;
  const app = createServer({
    service: config.SERVICE_NAME,
    logLevel: config.LOG_LEVEL,
    metrics: deps.metrics,
    tracing: deps.tracing,
    readiness: { postgres: () => pingPostgres(pool), liveCounters: () => live.isReady() },
  });
  const streams = new Set<() => void>();
  const keys = parseApiKeys(config.API_KEYS, 'API_KEYS', 'caller').keys;

  // Player statistics are personal data: only callers holding a key read them (the probes and /metrics stay open).
  // Decided on the matched route, never on the raw URL (the router decodes `%76` to `v`, the URL keeps it),
  // and open only where listed: a route added later needs a key unless it joins OPEN_ROUTES.
  app.addHook('onRequest', async (request) => {
    if (OPEN_ROUTES.has(request.routeOptions.url ?? '')) return;
    const key = presentedKey(request.headers);
    if (!key) throw new AppError(401, 'API_KEY_MISSING', 'send your API key in the X-API-Key header', { headers: { 'www-authenticate': 'Bearer' } });
    if (!tenantOf(keys, key)) throw new AppError(401, 'API_KEY_INVALID', 'the API key is not valid', { headers: { 'www-authenticate': 'Bearer' } });
  });

  app.get<{ Params: { id: string }; Querystring: { window: WindowName; gameId?: string; to?: string } }>(
    '/v1/players/:id/stats',
    { schema: { params: idParams, querystring: statsQuery } },
    async (request) => {
      const { window, gameId, to } = request.query;
      return playerStats(pool, request.params.id, rangeOf(window, to), gameId).catch((e) => {
        throw databaseError(e);
      });
    },
  );

  app.get<{ Params: { id: string }; Querystring: { window: WindowName; limit: number; offset: number; to?: string } }>(
    '/v1/games/:id/leaderboard',
    { schema: { params: idParams, querystring: leaderboardQuery } },
    async (request) => {
      const { window, limit, offset, to } = request.query;
      return leaderboard(pool, request.params.id, rangeOf(window, to), limit, offset).catch((e) => {
        throw databaseError(e);
      });
    },
  );

  app.get<{ Params: { id: string } }>('/v1/games/:id/live', { schema: { params: idParams } }, async (request, reply) => {
    const gameId = request.params.id;
    if (!live.isReady()) throw new AppError(503, 'LIVE_UNAVAILABLE', 'live counters are not connected; retry later', { headers: { 'retry-after': '1' } });
    if (streams.size >= config.LIVE_MAX_STREAMS) throw new AppError(503, 'OVERLOADED', 'too many live streams open; retry later', { headers: { 'retry-after': '5' } });
    let counts = await gameCounts(pool, gameId).catch((e) => {
      throw databaseError(e);
    });
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    const total = () => Object.values(counts).reduce((a, b) => a + b, 0);
    const send = (event: string, data: object) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    send('snapshot', { gameId, counts, total: total() });
    const unsubscribe = live.subscribe(gameId, {
      counts(delta) {
        for (const [type, n] of Object.entries(delta)) counts[type] = (counts[type] ?? 0) + n;
        send('counters', { gameId, delta, counts, total: total() });
      },
      resync() {
        gameCounts(pool, gameId)
          .then((fresh) => {
            counts = fresh;
            send('snapshot', { gameId, counts, total: total() });
          })
          .catch(() => undefined);
      },
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), config.LIVE_HEARTBEAT_MS);
    const end = () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(end);
      if (!res.writableEnded) res.end();
    };
    streams.add(end);
    request.raw.on('close', end);
  });

  // Open streams would keep close() waiting forever: end them first.
  app.addHook('preClose', async () => {
    for (const end of [...streams]) end();
  });

  return app;
}
