/** user-service's configuration: the contract's variables, the GDPR stores and the outbox interval. */
import {
  baseSchema,
  envSchema,
  kafkaNamesSchema,
  kafkaSchema,
  postgresSchema,
  type BaseConfig,
  type EnvSchema,
  type KafkaConfig,
  type PostgresConfig,
} from '@gamemetrics/service-kit/config.ts';

export interface UserServiceConfig extends BaseConfig, KafkaConfig, PostgresConfig {
  KAFKA_TOPIC_GDPR_DELETION_REQUESTS: string;
  /** Comma-separated stores a deletion must reach (the model's `config`); `profile` is user-service's own. */
  GDPR_STORES: string;
  /** Milliseconds between passes of the outbox (requests not yet acknowledged by Kafka). */
  OUTBOX_INTERVAL_MS: number;
}

export const userServiceSchema: EnvSchema = envSchema(baseSchema, kafkaSchema, postgresSchema, kafkaNamesSchema('KAFKA_TOPIC_GDPR_DELETION_REQUESTS'), {
  type: 'object',
  properties: {
    GDPR_STORES: { type: 'string', pattern: '^profile(,[a-z][a-z0-9-]*)*$', hint: 'must be "profile" then comma-separated store names (profile,player-events,...)' },
    OUTBOX_INTERVAL_MS: { type: 'integer', minimum: 50, maximum: 60000, default: 1000 },
  },
  required: ['GDPR_STORES'],
});

export function gdprStores(config: UserServiceConfig): string[] {
  return config.GDPR_STORES.split(',');
}
