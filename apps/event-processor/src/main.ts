/** event-processor entry point: config, schema, consumer loop, health server, graceful SIGTERM. */
import { checkKafkaConfig, loadConfigOrExit } from '@gamemetrics/service-kit/config.ts';
import { contractProblems } from '@gamemetrics/service-kit/contracts.ts';
import { createKafka } from '@gamemetrics/service-kit/kafka.ts';
import { createMetrics } from '@gamemetrics/service-kit/metrics.ts';
import { closePool, createPool } from '@gamemetrics/service-kit/postgres.ts';
import { ResilientProducer } from '@gamemetrics/service-kit/producer.ts';
import { createRedis } from '@gamemetrics/service-kit/redis.ts';
import { closeGracefully } from '@gamemetrics/service-kit/server.ts';
import { installShutdown } from '@gamemetrics/service-kit/shutdown.ts';
import { startTracing } from '@gamemetrics/service-kit/tracing.ts';
import { buildApp } from './app.ts';
import { PRODUCED, processorSchema, type ProcessorConfig } from './config.ts';
import { EventStoreEraser } from './gdpr.ts';
import { EventProcessor } from './processor.ts';
import { SchemaNotReadyError, verifySchema } from './schema.ts';

const config = loadConfigOrExit<ProcessorConfig>('event-processor', processorSchema, (c) => [...checkKafkaConfig(c), ...contractProblems(c, PRODUCED)]);
const tracing = startTracing(config.SERVICE_NAME, config.OTEL_EXPORTER_OTLP_ENDPOINT, { 'deployment.environment': config.ENVIRONMENT });
const metrics = createMetrics(config.SERVICE_NAME);
const pool = createPool(config);
metrics.watchDatabasePool(pool);
const redis = createRedis(config, config.SERVICE_NAME);
let processor: EventProcessor | undefined;
const app = buildApp(config, {
  metrics,
  pool,
  redis,
  tracing,
  consumerReady: () => processor?.isReady() ?? false,
  databaseDown: () => processor?.isDatabaseDown() ?? false,
});
const kafka = createKafka(config, app.log);
// Dead letters of gdpr.deletion.requests (the raw topic's go in the chunk's transaction).
const dlq = new ResilientProducer(kafka, app.log, metrics);
const eraser = new EventStoreEraser(config, { pool, dlq, metrics, logger: app.log });
processor = new EventProcessor(config, { kafka, pool, redis, metrics, tracing, logger: app.log, eraser });

installShutdown(
  app.log,
  [
    // Leaving the group waits for the chunk in progress: written, then published and committed in its transaction.
    { name: 'stop consuming, commit the chunk in progress', run: async () => { app.markShuttingDown(); await (processor as EventProcessor).stop(); } },
    { name: 'flush the GDPR dead-letter producer', run: () => dlq.close() },
    { name: 'close database pool', run: () => closePool(pool) },
    { name: 'close Redis', run: async () => void (await redis.quit().catch(() => redis.disconnect())) },
    { name: 'close health server', run: () => closeGracefully(app) },
    { name: 'flush traces', run: () => tracing.shutdown() },
  ],
  config.SHUTDOWN_TIMEOUT_MS,
);

await app.listen({ port: config.PORT, host: config.HOST });
for (let attempt = 1; ; attempt++) {
  try {
    const version = await verifySchema(pool);
    app.log.info({ version }, 'event store schema verified');
    break;
  } catch (err) {
    if (err instanceof SchemaNotReadyError) {
      app.log.fatal({ err }, 'refusing to start: the event store schema is not migrated');
      process.exit(1);
    }
    app.log.warn({ err, attempt }, 'database not reachable yet; retrying');
    await new Promise((r) => setTimeout(r, Math.min(5000, 250 * attempt)));
  }
}
await dlq.start();
await processor.start();
