/** analytics-api's configuration: the contract's variables, the keys of its callers, and its own tunables. */
import { parseApiKeys } from '@gamemetrics/service-kit/api-keys.ts';
import { baseSchema, envSchema, postgresSchema, redisSchema, type BaseConfig, type EnvSchema, type PostgresConfig, type RedisConfig } from '@gamemetrics/service-kit/config.ts';

export interface AnalyticsConfig extends BaseConfig, PostgresConfig, RedisConfig {
  /** `<caller>:<sha256 of the key>` entries (@gamemetrics/service-kit/api-keys.ts): who may read, from Secret analytics-api-keys. */
  API_KEYS: string;
  /** Milliseconds between SSE keep-alive comments. */
  LIVE_HEARTBEAT_MS: number;
  /** Open live streams at most; more get 503. */
  LIVE_MAX_STREAMS: number;
}

export const analyticsSchema: EnvSchema = envSchema(baseSchema, postgresSchema, redisSchema, {
  type: 'object',
  properties: {
    LIVE_HEARTBEAT_MS: { type: 'integer', minimum: 100, default: 15000 },
    LIVE_MAX_STREAMS: { type: 'integer', minimum: 1, default: 1000 },
    API_KEYS: { type: 'string', minLength: 1 },
  },
  required: ['API_KEYS'],
});

/** The API_KEYS entries, which the schema cannot check. */
export function checkAnalyticsConfig(config: AnalyticsConfig): string[] {
  return parseApiKeys(config.API_KEYS, 'API_KEYS', 'caller').problems;
}
