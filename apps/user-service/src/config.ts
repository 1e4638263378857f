/** user-service's configuration: the contract's variables, the GDPR stores and the outbox interval. */
import { contractProblems, contractsSchema } from '@gamemetrics/service-kit/contracts.ts';
import {
  baseSchema,
  checkKafkaConfig,
  envSchema,
  kafkaNamesSchema,
  kafkaSchema,
  postgresSchema,
  type BaseConfig,
  type EnvSchema,
  type KafkaConfig,
  type PostgresConfig,
} from '@gamemetrics/service-kit/config.ts';

/** The topics user-service writes; each record is checked against the topic's schema (KAFKA_SCHEMA_<TOPIC>) first. */
export const PRODUCED = ['KAFKA_TOPIC_GDPR_DELETION_REQUESTS', 'KAFKA_TOPIC_NOTIFICATIONS_OUTBOUND'];

export interface UserServiceConfig extends BaseConfig, KafkaConfig, PostgresConfig {
  KAFKA_TOPIC_GDPR_DELETION_REQUESTS: string;
  KAFKA_TOPIC_NOTIFICATIONS_OUTBOUND: string;
  /** The notification-service channel of the player's account messages (the model's `config`). */
  ACCOUNT_NOTIFICATION_CHANNEL: string;
  /** Comma-separated stores a deletion must reach (the model's `config`); `profile` is user-service's own. */
  GDPR_STORES: string;
  /** Milliseconds between passes of the outbox (requests not yet acknowledged by Kafka). */
  OUTBOX_INTERVAL_MS: number;
}

export const userServiceSchema: EnvSchema = envSchema(baseSchema, kafkaSchema, postgresSchema, kafkaNamesSchema(...PRODUCED), contractsSchema(...PRODUCED), {
  type: 'object',
  properties: {
    ACCOUNT_NOTIFICATION_CHANNEL: { type: 'string', pattern: '^[a-z][a-z0-9-]*$', maxLength: 64, hint: 'must be a notification-service channel name (lower case: email, push, ...)' },
    GDPR_STORES: { type: 'string', pattern: '^profile(,[a-z][a-z0-9-]*)*$', hint: 'must be "profile" then comma-separated store names (profile,player-events,...)' },
    OUTBOX_INTERVAL_MS: { type: 'integer', minimum: 50, maximum: 60000, default: 1000 },
  },
  required: ['GDPR_STORES', 'ACCOUNT_NOTIFICATION_CHANNEL'],
});

/** Cross-field checks: the CA file, and every produced topic's schema compiles. */
export function checkUserServiceConfig(config: UserServiceConfig): string[] {
  return [...checkKafkaConfig(config), ...contractProblems(config, PRODUCED)];
}

export function gdprStores(config: UserServiceConfig): string[] {
  return config.GDPR_STORES.split(',');
}
