/** recommendation-engine entry point: config, Redis, PostgreSQL (audit), similarity index, consumer, HTTP, graceful SIGTERM. */
import { checkKafkaConfig, loadConfigOrExit } from '@gamemetrics/service-kit/config.ts';
import { createKafka } from '@gamemetrics/service-kit/kafka.ts';
import { createMetrics } from '@gamemetrics/service-kit/metrics.ts';
import { closePool, createPool } from '@gamemetrics/service-kit/postgres.ts';
import { ResilientProducer } from '@gamemetrics/service-kit/producer.ts';
import { createRedis } from '@gamemetrics/service-kit/redis.ts';
import { closeGracefully } from '@gamemetrics/service-kit/server.ts';
import { installShutdown } from '@gamemetrics/service-kit/shutdown.ts';
import { startTracing } from '@gamemetrics/service-kit/tracing.ts';
import { buildApp } from './app.ts';
import { checkRecommendationConfig, recommendationSchema, type RecommendationConfig } from './config.ts';
import { RecommendationConsumer } from './consumer.ts';
import { FeatureStore } from './features.ts';
import { QdrantSimilarity } from './qdrant.ts';
import { RedisSimilarity, type SimilarityIndex } from './similarity.ts';

const config = loadConfigOrExit<RecommendationConfig>('recommendation-engine', recommendationSchema, (c) => [...checkKafkaConfig(c), ...checkRecommendationConfig(c)]);
const tracing = startTracing(config.SERVICE_NAME, config.OTEL_EXPORTER_OTLP_ENDPOINT, { 'deployment.environment': config.ENVIRONMENT });
const metrics = createMetrics(config.SERVICE_NAME);
const pool = createPool(config);
metrics.watchDatabasePool(pool);
const redis = createRedis(config, config.SERVICE_NAME);
const features = new FeatureStore(redis, config.FEATURE_TTL_DAYS);
const index: SimilarityIndex =
  config.SIMILARITY_BACKEND === 'qdrant' ? new QdrantSimilarity(config.QDRANT_URL as string, config.QDRANT_API_KEY, config.QDRANT_COLLECTION) : new RedisSimilarity(features);
let producer: ResilientProducer | undefined;
let consumer: RecommendationConsumer | undefined;
const sink = { send: (tm: Parameters<ResilientProducer['send']>[0]) => (producer as ResilientProducer).send(tm), isReady: () => producer?.isReady() ?? false };
const app = buildApp(config, { redis, pool, features, index, producer: sink, consumerReady: () => consumer?.isReady() ?? false, metrics, tracing });
const kafka = createKafka(config, app.log);
producer = new ResilientProducer(kafka, app.log, metrics);
consumer = new RecommendationConsumer(config, { kafka, features, index, pool, dlq: sink, metrics, logger: app.log });

installShutdown(
  app.log,
  [
    { name: 'stop consuming, commit the batch in progress', run: async () => { app.markShuttingDown(); await (consumer as RecommendationConsumer).stop(); } },
    { name: 'stop accepting, finish in-flight requests', run: () => closeGracefully(app) },
    { name: 'flush producer', run: () => (producer as ResilientProducer).close() },
    { name: 'close Redis', run: async () => void (await redis.quit().catch(() => redis.disconnect())) },
    { name: 'close database pool', run: () => closePool(pool) },
    { name: 'flush traces', run: () => tracing.shutdown() },
  ],
  config.SHUTDOWN_TIMEOUT_MS,
);

await producer.start();
await app.listen({ port: config.PORT, host: config.HOST });
await consumer.start();
