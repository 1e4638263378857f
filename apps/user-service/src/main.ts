/** user-service entry point: config, database pool, producer and outbox, HTTP server, graceful SIGTERM. */
import { loadConfigOrExit } from '@gamemetrics/service-kit/config.ts';
import { TopicContracts, validatingSink } from '@gamemetrics/service-kit/contracts.ts';
import { createKafka } from '@gamemetrics/service-kit/kafka.ts';
import { createMetrics } from '@gamemetrics/service-kit/metrics.ts';
import { closePool, createPool } from '@gamemetrics/service-kit/postgres.ts';
import { ResilientProducer } from '@gamemetrics/service-kit/producer.ts';
import { closeGracefully } from '@gamemetrics/service-kit/server.ts';
import { installShutdown } from '@gamemetrics/service-kit/shutdown.ts';
import { startTracing } from '@gamemetrics/service-kit/tracing.ts';
import { buildApp } from './app.ts';
import { checkUserServiceConfig, PRODUCED, userServiceSchema, type UserServiceConfig } from './config.ts';
import { Outbox } from './outbox.ts';

const config = loadConfigOrExit<UserServiceConfig>('user-service', userServiceSchema, checkUserServiceConfig);
const tracing = startTracing(config.SERVICE_NAME, config.OTEL_EXPORTER_OTLP_ENDPOINT, { 'deployment.environment': config.ENVIRONMENT });
const metrics = createMetrics(config.SERVICE_NAME);
const pool = createPool(config);
metrics.watchDatabasePool(pool);
let producer: ResilientProducer | undefined;
// Every record is checked against its topic's schema before it is sent (typed event contracts).
const sink = validatingSink({ send: (tm) => (producer as ResilientProducer).send(tm), isReady: () => producer?.isReady() ?? false }, new TopicContracts(config, PRODUCED));
let outbox: Outbox | undefined;
const app = buildApp(config, { pool, metrics, tracing, kafkaReady: sink.isReady, outbox: { flush: () => (outbox as Outbox).flush() } });
producer = new ResilientProducer(createKafka(config, app.log), app.log, metrics);
outbox = new Outbox(
  pool,
  sink,
  { deletions: config.KAFKA_TOPIC_GDPR_DELETION_REQUESTS, notifications: config.KAFKA_TOPIC_NOTIFICATIONS_OUTBOUND, channel: config.ACCOUNT_NOTIFICATION_CHANNEL },
  app.log,
);

installShutdown(
  app.log,
  [
    { name: 'stop accepting, finish in-flight requests', run: () => closeGracefully(app) },
    { name: 'stop the outbox', run: () => (outbox as Outbox).stop() },
    { name: 'flush producer', run: () => (producer as ResilientProducer).close() },
    { name: 'close database pool', run: () => closePool(pool) },
    { name: 'flush traces', run: () => tracing.shutdown() },
  ],
  config.SHUTDOWN_TIMEOUT_MS,
);

await producer.start();
outbox.start(config.OUTBOX_INTERVAL_MS);
await app.listen({ port: config.PORT, host: config.HOST });
