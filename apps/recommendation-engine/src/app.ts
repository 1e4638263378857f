/**
 * recommendation-engine's HTTP side: `GET /v1/players/:id/recommendations[?limit=N]`, served from
 * the player's cached recommendations in Redis (`rec:cache:<player>`, RECOMMENDATION_CACHE_TTL_SECONDS,
 * dropped when the player's events change); on a miss they are computed, cached and published to
 * recommendations.generated (best effort: a Kafka outage never fails a read).
 */
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { AppError } from '@gamemetrics/service-kit/errors.ts';
import type { Metrics } from '@gamemetrics/service-kit/metrics.ts';
import { idSchema } from '@gamemetrics/service-kit/player-event.ts';
import { pingPostgres } from '@gamemetrics/service-kit/postgres.ts';
import type { EventSink } from '@gamemetrics/service-kit/producer.ts';
import { redisReady } from '@gamemetrics/service-kit/redis.ts';
import { createServer } from '@gamemetrics/service-kit/server.ts';
import type { Tracing } from '@gamemetrics/service-kit/tracing.ts';
import type { RecommendationConfig } from './config.ts';
import { keys, type FeatureStore } from './features.ts';
import { recommend, type Recommendations } from './recommend.ts';
import type { SimilarityIndex } from './similarity.ts';

export interface RecommendationAppDeps {
  redis: Redis;
  pool: pg.Pool;
  features: FeatureStore;
  index: SimilarityIndex;
  producer: EventSink;
  consumerReady: () => boolean;
  metrics: Metrics;
  tracing?: Tracing;
}

export function buildApp(config: RecommendationConfig, deps: RecommendationAppDeps): FastifyInstance {
  const { redis, features, index, producer } = deps;
  const app = createServer({
    service: config.SERVICE_NAME,
    logLevel: config.LOG_LEVEL,
    metrics: deps.metrics,
    tracing: deps.tracing,
    readiness: {
      kafkaConsumer: deps.consumerReady,
      redis: () => redisReady(redis),
      postgres: () => pingPostgres(deps.pool),
      [index.name === 'redis' ? 'similarity' : 'qdrant']: () => index.ready(),
    },
  });
  const query = { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: config.RECOMMENDATION_LIMIT } } };

  const publish = (recs: Recommendations) =>
    producer
      .send([{ topic: config.KAFKA_TOPIC_RECOMMENDATIONS_GENERATED, messages: [{ key: recs.playerId, value: JSON.stringify(recs), headers: { 'content-type': 'application/json' } }] }])
      .catch((err: unknown) => app.log.warn({ err }, 'recommendations not published'));

  app.get<{ Params: { id: string }; Querystring: { limit?: number } }>(
    '/v1/players/:id/recommendations',
    { schema: { params: { type: 'object', required: ['id'], properties: { id: idSchema } }, querystring: query } },
    async (request, reply) => {
      const { id } = request.params;
      const limit = request.query.limit;
      let cached: string | null;
      try {
        cached = await redis.get(keys.cache(id));
      } catch (e) {
        throw new AppError(503, 'CACHE_UNAVAILABLE', 'the recommendation store (Redis) is unavailable; retry later', { headers: { 'retry-after': '1' }, cause: e });
      }
      reply.header('content-type', 'application/json; charset=utf-8');
      if (cached !== null) {
        reply.header('x-cache', 'hit');
        if (limit === undefined) return reply.send(cached);
        const recs = JSON.parse(cached) as Recommendations;
        return reply.send({ ...recs, recommendations: recs.recommendations.slice(0, limit) });
      }
      let recs: Recommendations;
      try {
        recs = await recommend(id, features, index, config.RECOMMENDATION_LIMIT, config.RECOMMENDATION_NEIGHBOURS);
      } catch (e) {
        throw new AppError(503, 'SIMILARITY_UNAVAILABLE', `the similarity index (${index.name}) or feature store is unavailable; retry later`, { headers: { 'retry-after': '1' }, cause: e });
      }
      const text = JSON.stringify(recs);
      await redis.set(keys.cache(id), text, 'EX', config.RECOMMENDATION_CACHE_TTL_SECONDS).catch(() => undefined);
      void publish(recs);
      reply.header('x-cache', 'miss');
      return reply.send(limit === undefined ? text : { ...recs, recommendations: recs.recommendations.slice(0, limit) });
    },
  );
  return app;
}
