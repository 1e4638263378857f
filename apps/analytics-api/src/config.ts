/** analytics-api's configuration: the contract's variables plus its own tunables (all optional). */
import { baseSchema, envSchema, postgresSchema, redisSchema, type BaseConfig, type EnvSchema, type PostgresConfig, type RedisConfig } from '@gamemetrics/service-kit/config.ts';

export interface AnalyticsConfig extends BaseConfig, PostgresConfig, RedisConfig {
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
  },
  required: [],
});
