/** analytics-api entry point: config, database pool, LISTEN connection, HTTP server, graceful SIGTERM. */
import { loadConfigOrExit } from '@gamemetrics/service-kit/config.ts';
import { createMetrics } from '@gamemetrics/service-kit/metrics.ts';
import { closePool, createPool } from '@gamemetrics/service-kit/postgres.ts';
import { createRedis } from '@gamemetrics/service-kit/redis.ts';
import { closeGracefully } from '@gamemetrics/service-kit/server.ts';
import { installShutdown } from '@gamemetrics/service-kit/shutdown.ts';
import { startTracing } from '@gamemetrics/service-kit/tracing.ts';
import { buildApp } from './app.ts';
import { analyticsSchema, checkAnalyticsConfig, type AnalyticsConfig } from './config.ts';
import { LiveCounters } from './live-counters.ts';

const config = loadConfigOrExit<AnalyticsConfig>('analytics-api', analyticsSchema, checkAnalyticsConfig);
const tracing = startTracing(config.SERVICE_NAME, config.OTEL_EXPORTER_OTLP_ENDPOINT, { 'deployment.environment': config.ENVIRONMENT });
const metrics = createMetrics(config.SERVICE_NAME);
const pool = createPool(config);
metrics.watchDatabasePool(pool);
const live = new LiveCounters(createRedis(config, `${config.SERVICE_NAME}-live`));
const app = buildApp(config, { pool, metrics, tracing, live });

installShutdown(
  app.log,
  [
    { name: 'stop accepting, end live streams, finish in-flight requests', run: () => closeGracefully(app) },
    { name: 'close Redis subscription', run: () => live.close() },
    { name: 'close database pool', run: () => closePool(pool) },
    { name: 'flush traces', run: () => tracing.shutdown() },
  ],
  config.SHUTDOWN_TIMEOUT_MS,
);

await app.listen({ port: config.PORT, host: config.HOST });
// Readiness stays 503 until the subscription is up; keep trying while Redis is away.
for (let attempt = 1; !live.isReady(); attempt++) {
  try {
    await live.start();
  } catch (err) {
    app.log.warn({ err, attempt }, 'cannot subscribe to live counters yet; retrying');
    await new Promise((r) => setTimeout(r, Math.min(5000, 250 * attempt)));
  }
}
