/**
 * notification-service's HTTP side: no API, only `/healthz`, `/readyz` (consumer in its group,
 * Redis answering) and `/metrics`, with `notification_delivery_attempts_total{channel,outcome}`.
 */
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { Counter } from 'prom-client';
import type { Metrics } from '@gamemetrics/service-kit/metrics.ts';
import { redisReady } from '@gamemetrics/service-kit/redis.ts';
import { createServer } from '@gamemetrics/service-kit/server.ts';
import type { Tracing } from '@gamemetrics/service-kit/tracing.ts';
import type { NotifyConfig } from './config.ts';

export interface NotifyAppDeps {
  metrics: Metrics;
  redis: Redis;
  consumerReady: () => boolean;
  tracing?: Tracing;
}

export function attemptsCounter(metrics: Metrics): Counter<'channel' | 'outcome'> {
  return new Counter({
    name: 'notification_delivery_attempts_total',
    help: 'Webhook delivery attempts (outcome=delivered|retryable|refused)',
    labelNames: ['channel', 'outcome'],
    registers: [metrics.registry],
  });
}

export function buildApp(config: NotifyConfig, deps: NotifyAppDeps): FastifyInstance {
  return createServer({
    service: config.SERVICE_NAME,
    logLevel: config.LOG_LEVEL,
    metrics: deps.metrics,
    tracing: deps.tracing,
    readiness: { kafkaConsumer: deps.consumerReady, redis: () => redisReady(deps.redis) },
  });
}
