/** event-ingestion entry point: validate config, connect Kafka, listen, shut down on SIGTERM. */
import { loadConfigOrExit } from '@gamemetrics/service-kit/config.ts';
import { createKafka } from '@gamemetrics/service-kit/kafka.ts';
import { createMetrics } from '@gamemetrics/service-kit/metrics.ts';
import { TopicContracts, validatingSink } from '@gamemetrics/service-kit/contracts.ts';
import { ResilientProducer } from '@gamemetrics/service-kit/producer.ts';
import { closeGracefully } from '@gamemetrics/service-kit/server.ts';
import { installShutdown } from '@gamemetrics/service-kit/shutdown.ts';
import { startTracing } from '@gamemetrics/service-kit/tracing.ts';
import { buildApp } from './app.ts';
import { checkIngestionConfig, ingestionSchema, PRODUCED, type IngestionConfig } from './config.ts';

const config = loadConfigOrExit<IngestionConfig>('event-ingestion', ingestionSchema, checkIngestionConfig);
const tracing = startTracing(config.SERVICE_NAME, config.OTEL_EXPORTER_OTLP_ENDPOINT, { 'deployment.environment': config.ENVIRONMENT });
const metrics = createMetrics(config.SERVICE_NAME);
// The app's logger is created by Fastify; Kafka logs go to a child of it.
let producer: ResilientProducer | undefined;
const app = buildApp(config, {
  metrics,
  tracing,
  // Every record is checked against its topic's schema before it is sent (typed event contracts).
  producer: validatingSink({ send: (tm) => (producer as ResilientProducer).send(tm), isReady: () => producer?.isReady() ?? false }, new TopicContracts(config, PRODUCED)),
});
producer = new ResilientProducer(createKafka(config, app.log), app.log, metrics, { sendTimeoutMs: config.INGEST_PRODUCE_TIMEOUT_MS });

installShutdown(
  app.log,
  [
    { name: 'stop accepting, finish in-flight requests', run: () => closeGracefully(app) },
    { name: 'flush producer', run: () => (producer as ResilientProducer).close() },
    { name: 'flush traces', run: () => tracing.shutdown() },
  ],
  config.SHUTDOWN_TIMEOUT_MS,
);

await producer.start();
await app.listen({ port: config.PORT, host: config.HOST });
