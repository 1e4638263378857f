/** analytics-api entry point: config, database pool, LISTEN connection, HTTP server, graceful SIGTERM. */
import { loadConfigOrExit } from '../../lib/config.ts';
import { createMetrics } from '../../lib/metrics.ts';
import { createPool, postgresOptions } from '../../lib/postgres.ts';
import { installShutdown } from '../../lib/shutdown.ts';
import { startTracing } from '../../lib/tracing.ts';
import { buildApp } from './app.ts';
import { analyticsSchema, type AnalyticsConfig } from './config.ts';
import { LiveCounters } from './live-counters.ts';

const config = loadConfigOrExit<AnalyticsConfig>('analytics-api', analyticsSchema);
const tracing = startTracing(config.SERVICE_NAME, config.OTEL_EXPORTER_OTLP_ENDPOINT, { 'deployment.environment': config.ENVIRONMENT });
const metrics = createMetrics(config.SERVICE_NAME);
const pool = createPool(config);
let live: LiveCounters | undefined;
const app = buildApp(config, {
  pool,
  metrics,
  tracing,
  live: { isReady: () => live?.isReady() ?? false, subscribe: (g, l) => (live as LiveCounters).subscribe(g, l) },
});
live = new LiveCounters(postgresOptions(config), app.log);

installShutdown(
  app.log,
  [
    { name: 'stop accepting, end live streams, finish in-flight requests', run: async () => { app.markShuttingDown(); await app.close(); } },
    { name: 'close LISTEN connection', run: () => (live as LiveCounters).close() },
    { name: 'close database pool', run: () => pool.end() },
    { name: 'flush traces', run: () => tracing.shutdown() },
  ],
  config.SHUTDOWN_TIMEOUT_MS,
);

live.start();
await app.listen({ port: config.PORT, host: config.HOST });
