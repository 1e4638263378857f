/** admin-dashboard entry point: config, HTTP server, graceful SIGTERM. */
import { loadConfigOrExit } from '@gamemetrics/service-kit/config.ts';
import { createMetrics } from '@gamemetrics/service-kit/metrics.ts';
import { closeGracefully } from '@gamemetrics/service-kit/server.ts';
import { installShutdown } from '@gamemetrics/service-kit/shutdown.ts';
import { startTracing } from '@gamemetrics/service-kit/tracing.ts';
import { buildApp } from './app.ts';
import { checkDashboardConfig, dashboardSchema, type DashboardConfig } from './config.ts';

const config = loadConfigOrExit<DashboardConfig>('admin-dashboard', dashboardSchema, checkDashboardConfig);
const tracing = startTracing(config.SERVICE_NAME, config.OTEL_EXPORTER_OTLP_ENDPOINT, { 'deployment.environment': config.ENVIRONMENT });
const app = buildApp(config, { metrics: createMetrics(config.SERVICE_NAME), tracing });

installShutdown(
  app.log,
  [
    { name: 'stop accepting, end live streams, finish in-flight requests', run: () => closeGracefully(app) },
    { name: 'flush traces', run: () => tracing.shutdown() },
  ],
  config.SHUTDOWN_TIMEOUT_MS,
);

await app.listen({ port: config.PORT, host: config.HOST });
