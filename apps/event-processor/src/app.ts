/**
 * event-processor's HTTP side: it serves no API, only `/healthz`, `/readyz` (consumer in its
 * group, PostgreSQL answering and writable, Redis answering) and `/metrics`.
 */
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { Metrics } from '@gamemetrics/service-kit/metrics.ts';
import { pingPostgres } from '@gamemetrics/service-kit/postgres.ts';
import { redisReady } from '@gamemetrics/service-kit/redis.ts';
import { createServer } from '@gamemetrics/service-kit/server.ts';
import type { Tracing } from '@gamemetrics/service-kit/tracing.ts';
import type { ProcessorConfig } from './config.ts';

export interface ProcessorAppDeps {
  metrics: Metrics;
  pool: pg.Pool;
  redis: Redis;
  /** Whether the consumer is in its group. */
  consumerReady: () => boolean;
  /** Whether database writes are failing for want of the database (processing paused). */
  databaseDown: () => boolean;
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
      postgres: async () => !deps.databaseDown() && (await pingPostgres(deps.pool)),
      redis: () => redisReady(deps.redis),
    },
  });
}
