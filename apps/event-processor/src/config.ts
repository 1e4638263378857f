/** event-processor's configuration: the contract's variables plus its own tunables (all optional). */
import {
  baseSchema,
  envSchema,
  kafkaNamesSchema,
  kafkaSchema,
  postgresSchema,
  redisSchema,
  type BaseConfig,
  type EnvSchema,
  type KafkaConfig,
  type PostgresConfig,
  type RedisConfig,
} from '@gamemetrics/service-kit/config.ts';

export interface ProcessorConfig extends BaseConfig, KafkaConfig, PostgresConfig, RedisConfig {
  KAFKA_GROUP_ID: string;
  KAFKA_TOPIC_PLAYER_EVENTS_RAW: string;
  KAFKA_TOPIC_PLAYER_EVENTS_PROCESSED: string;
  KAFKA_DLQ_TOPIC_PLAYER_EVENTS_RAW: string;
  /** GDPR: erasure requests, and where the ones that cannot be applied go. */
  KAFKA_TOPIC_GDPR_DELETION_REQUESTS: string;
  KAFKA_DLQ_TOPIC_GDPR_DELETION_REQUESTS: string;
  /** The model's transactional ids, comma-separated: the producer of input partition i uses the i-th. */
  KAFKA_TRANSACTIONAL_IDS: string;
  /** Records written per database transaction (and per offset commit). */
  PROCESSOR_CHUNK_SIZE: number;
  /** Milliseconds before the group gives a silent member's partitions to others. */
  PROCESSOR_SESSION_TIMEOUT_MS: number;
  /** Partitions processed in parallel (each holds one database connection while it writes). */
  PROCESSOR_PARTITIONS_CONCURRENTLY: number;
}

export const processorSchema: EnvSchema = envSchema(
  baseSchema,
  kafkaSchema,
  postgresSchema,
  redisSchema,
  kafkaNamesSchema('KAFKA_GROUP_ID', 'KAFKA_TOPIC_PLAYER_EVENTS_RAW', 'KAFKA_TOPIC_PLAYER_EVENTS_PROCESSED', 'KAFKA_DLQ_TOPIC_PLAYER_EVENTS_RAW', 'KAFKA_TOPIC_GDPR_DELETION_REQUESTS', 'KAFKA_DLQ_TOPIC_GDPR_DELETION_REQUESTS'),
  {
    type: 'object',
    properties: {
      KAFKA_TRANSACTIONAL_IDS: { type: 'string', pattern: '^[A-Za-z0-9._-]+(,[A-Za-z0-9._-]+)*$' },
      PROCESSOR_CHUNK_SIZE: { type: 'integer', minimum: 1, maximum: 5000, default: 2000 },
      PROCESSOR_SESSION_TIMEOUT_MS: { type: 'integer', minimum: 1000, maximum: 300000, default: 10000 },
      PROCESSOR_PARTITIONS_CONCURRENTLY: { type: 'integer', minimum: 1, maximum: 64, default: 3 },
    },
    required: ['KAFKA_TRANSACTIONAL_IDS'],
  },
);
