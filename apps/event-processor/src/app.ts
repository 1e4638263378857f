/**
 * event-processor's HTTP side: it serves no API, only `/healthz`, `/readyz` (consumer in its
 * group, producer connected, PostgreSQL and Redis answering) and `/metrics`.
 */
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { Metrics } from '@gamemetrics/service-kit/metrics.ts';
import { pingPostgres } from '@gamemetrics/service-kit/postgres.ts';
import type { EventSink } from '@gamemetrics/service-kit/producer.ts';
import { redisReady } from '@gamemetrics/service-kit/redis.ts';
import { createServer } from '@gamemetrics/service-kit/server.ts';
import type { Tracing } from '@gamemetrics/service-kit/tracing.ts';
import type { ProcessorConfig } from './config.ts';

export interface ProcessorAppDeps {
  metrics: Metrics;
  pool: pg.Pool;
  redis: Redis;
  producer: EventSink;
  /** Whether the consumer is in its group. */
  consumerReady: () => boolean;
  tracing?: Tracing;
}

export function buildApp(config: ProcessorConfig, deps: ProcessorAppDeps): FastifyInstance {
  return createServer({
    service: config.SERVICE_NAME,
    logLevel: config.LOG_LEVEL,
    metrics: deps.metrics,
    tracing: deps.tracing,
    readiness: {
      kafkaConsumer: deps.consumerReady,
      kafkaProducer: () => deps.producer.isReady(),
      postgres: () => pingPostgres(deps.pool),
      redis: () => redisReady(deps.redis),
    },
  });
}
