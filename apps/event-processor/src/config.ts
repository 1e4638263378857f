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
  /** Records written per database transaction (and per offset commit). */
  PROCESSOR_CHUNK_SIZE: number;
  /** Partitions processed in parallel (each holds one database connection while it writes). */
  PROCESSOR_PARTITIONS_CONCURRENTLY: number;
}

export const processorSchema: EnvSchema = envSchema(
  baseSchema,
  kafkaSchema,
  postgresSchema,
  redisSchema,
  kafkaNamesSchema('KAFKA_GROUP_ID', 'KAFKA_TOPIC_PLAYER_EVENTS_RAW', 'KAFKA_TOPIC_PLAYER_EVENTS_PROCESSED', 'KAFKA_DLQ_TOPIC_PLAYER_EVENTS_RAW'),
  {
    type: 'object',
    properties: {
      PROCESSOR_CHUNK_SIZE: { type: 'integer', minimum: 1, maximum: 5000, default: 2000 },
      PROCESSOR_PARTITIONS_CONCURRENTLY: { type: 'integer', minimum: 1, maximum: 64, default: 3 },
    },
    required: [],
  },
);
