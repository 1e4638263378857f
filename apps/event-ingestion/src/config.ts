/** event-ingestion's configuration: the contract's variables plus its own tunables (all optional). */
import { baseSchema, checkKafkaConfig, envSchema, kafkaNamesSchema, kafkaSchema, type BaseConfig, type EnvSchema, type KafkaConfig } from '@gamemetrics/service-kit/config.ts';
import { contractProblems, contractsSchema } from '@gamemetrics/service-kit/contracts.ts';
import { parseApiKeys } from '@gamemetrics/service-kit/api-keys.ts';

export interface IngestionConfig extends BaseConfig, KafkaConfig {
  KAFKA_TOPIC_PLAYER_EVENTS_RAW: string;
  /** `<tenant>:<sha256>` entries, see api-keys.ts. */
  API_KEYS: string;
  /** Most events in one batch request (model config). */
  MAX_BATCH_EVENTS: number;
  /** Largest batch request body in bytes (model config). */
  MAX_BODY_BYTES: number;
  /** Requests waiting for Kafka at once; more are answered 503. */
  INGEST_MAX_IN_FLIGHT: number;
  /** Milliseconds to wait for Kafka's acknowledgement before answering 503. */
  INGEST_PRODUCE_TIMEOUT_MS: number;
  /** Milliseconds to receive a whole request (headers and body); a stalled client is cut after it. */
  INGEST_REQUEST_TIMEOUT_MS: number;
  /** Milliseconds an idle keep-alive connection stays open. */
  INGEST_KEEPALIVE_TIMEOUT_MS: number;
  /** Open connections per client address. */
  INGEST_MAX_CONNECTIONS_PER_CLIENT: number;
}

/** The topics it produces: each record is checked against the topic's schema (KAFKA_SCHEMA_<TOPIC>) before it is sent. */
export const PRODUCED = ['KAFKA_TOPIC_PLAYER_EVENTS_RAW'];

export const ingestionSchema: EnvSchema = envSchema(baseSchema, kafkaSchema, kafkaNamesSchema('KAFKA_TOPIC_PLAYER_EVENTS_RAW'), contractsSchema(...PRODUCED), {
  type: 'object',
  properties: {
    API_KEYS: { type: 'string', minLength: 1 },
    MAX_BATCH_EVENTS: { type: 'integer', minimum: 1, maximum: 10000, default: 500 },
    MAX_BODY_BYTES: { type: 'integer', minimum: 1024, maximum: 16777216, default: 1048576 },
    INGEST_MAX_IN_FLIGHT: { type: 'integer', minimum: 1, default: 4000 },
    INGEST_PRODUCE_TIMEOUT_MS: { type: 'integer', minimum: 100, default: 5000 },
    INGEST_REQUEST_TIMEOUT_MS: { type: 'integer', minimum: 100, maximum: 300000, default: 10000 },
    INGEST_KEEPALIVE_TIMEOUT_MS: { type: 'integer', minimum: 100, maximum: 600000, default: 65000 },
    INGEST_MAX_CONNECTIONS_PER_CLIENT: { type: 'integer', minimum: 1, default: 1000 },
  },
  required: ['API_KEYS'],
});

/** Checks ajv cannot express: the API_KEYS entries, the Kafka CA file, the topic schemas. */
export function checkIngestionConfig(config: IngestionConfig): string[] {
  return [...parseApiKeys(config.API_KEYS).problems, ...checkKafkaConfig(config), ...contractProblems(config, PRODUCED)];
}
