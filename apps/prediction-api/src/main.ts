/** prediction-api entry point: config, PostgreSQL pool, Redis, the model store, HTTP server, graceful SIGTERM. */
import { loadConfigOrExit } from '@gamemetrics/service-kit/config.ts';
import { createMetrics } from '@gamemetrics/service-kit/metrics.ts';
import { createObjectStore, objectStoreOptions } from '@gamemetrics/service-kit/object-store.ts';
import { closePool, createPool } from '@gamemetrics/service-kit/postgres.ts';
import { createRedis } from '@gamemetrics/service-kit/redis.ts';
import { closeGracefully } from '@gamemetrics/service-kit/server.ts';
import { installShutdown } from '@gamemetrics/service-kit/shutdown.ts';
import { startTracing } from '@gamemetrics/service-kit/tracing.ts';
import { buildApp, REDIS_OPTIONS } from './app.ts';
import { checkPredictionConfig, predictionSchema, type PredictionConfig } from './config.ts';

const config = loadConfigOrExit<PredictionConfig>('prediction-api', predictionSchema, checkPredictionConfig);
const tracing = startTracing(config.SERVICE_NAME, config.OTEL_EXPORTER_OTLP_ENDPOINT, { 'deployment.environment': config.ENVIRONMENT });
const metrics = createMetrics(config.SERVICE_NAME);
const pool = createPool(config);
metrics.watchDatabasePool(pool);
const redis = createRedis(config, `${config.SERVICE_NAME}-limits`, REDIS_OPTIONS);
const store = createObjectStore(objectStoreOptions(config));
const app = buildApp(config, { pool, redis, store, metrics, tracing });

installShutdown(
  app.log,
  [
    { name: 'stop accepting, finish in-flight requests', run: () => closeGracefully(app) },
    { name: 'stop the model refresh', run: async () => app.served.stop() },
    { name: 'close Redis', run: async () => redis.disconnect() },
    { name: 'close the model store', run: async () => store.close() },
    { name: 'close database pool', run: () => closePool(pool) },
    { name: 'flush traces', run: () => tracing.shutdown() },
  ],
  config.SHUTDOWN_TIMEOUT_MS,
);

await app.listen({ port: config.PORT, host: config.HOST });
app.served.start(config.MODEL_REFRESH_MS);
