/** notification-service entry point: config, Redis ledger, consume loop, health server, graceful SIGTERM. */
import { randomUUID } from 'node:crypto';
import { loadConfigOrExit } from '@gamemetrics/service-kit/config.ts';
import { createKafka } from '@gamemetrics/service-kit/kafka.ts';
import { createMetrics } from '@gamemetrics/service-kit/metrics.ts';
import { createRedis } from '@gamemetrics/service-kit/redis.ts';
import { closeGracefully } from '@gamemetrics/service-kit/server.ts';
import { installShutdown } from '@gamemetrics/service-kit/shutdown.ts';
import { startTracing } from '@gamemetrics/service-kit/tracing.ts';
import { attemptsCounter, buildApp } from './app.ts';
import { checkNotifyConfig, notifySchema, parseWebhooks, type NotifyConfig } from './config.ts';
import { NotificationDeliverer } from './deliverer.ts';
import { DeliveryLedger } from './idempotency.ts';

const config = loadConfigOrExit<NotifyConfig>('notification-service', notifySchema, checkNotifyConfig);
const tracing = startTracing(config.SERVICE_NAME, config.OTEL_EXPORTER_OTLP_ENDPOINT, { 'deployment.environment': config.ENVIRONMENT });
const metrics = createMetrics(config.SERVICE_NAME);
const redis = createRedis(config, config.SERVICE_NAME);
let deliverer: NotificationDeliverer | undefined;
const app = buildApp(config, { metrics, redis, tracing, consumerReady: () => deliverer?.isReady() ?? false });
const kafka = createKafka(config, app.log);
deliverer = new NotificationDeliverer(config, {
  kafka,
  ledger: new DeliveryLedger(redis, randomUUID(), config.NOTIFY_LEASE_MS, config.NOTIFY_DEDUP_DAYS),
  webhooks: parseWebhooks(config.NOTIFY_WEBHOOKS).webhooks,
  metrics,
  attempts: attemptsCounter(metrics),
  logger: app.log,
  tracing,
});

installShutdown(
  app.log,
  [
    { name: 'stop consuming (a retry in progress is given back)', run: async () => { app.markShuttingDown(); await (deliverer as NotificationDeliverer).stop(); } },
    { name: 'close Redis', run: async () => void (await redis.quit().catch(() => redis.disconnect())) },
    { name: 'close health server', run: () => closeGracefully(app) },
    { name: 'flush traces', run: () => tracing.shutdown() },
  ],
  config.SHUTDOWN_TIMEOUT_MS,
);

await app.listen({ port: config.PORT, host: config.HOST });
await deliverer.start();
