/**
 * prediction-api's configuration: the contract's variables (docs/service-contract.md), its rate limits as
 * rendered from the model (`RATE_LIMIT_*`, parsed in rate-limit-config.ts), and its own tunables.
 */
import { baseSchema, envSchema, objectStoreSchema, postgresSchema, redisSchema, type BaseConfig, type EnvSchema, type ObjectStoreConfig, type PostgresConfig, type RedisConfig } from '@gamemetrics/service-kit/config.ts';
import { parseRateLimits, type RateLimits } from './rate-limit-config.ts';
import { parseSigningKey } from './jwt.ts';

export interface PredictionConfig extends BaseConfig, PostgresConfig, RedisConfig, ObjectStoreConfig {
  /** Ed25519 private key, PKCS#8 PEM (Secret `prediction-api-jwt`). */
  JWT_SIGNING_KEY: string;
  JWT_ISSUER: string;
  ACCESS_TOKEN_TTL_S: number;
  REFRESH_TOKEN_TTL_S: number;
  RATE_LIMIT_TIERS: string;
  RATE_LIMIT_DEFAULT_TIER: string;
  RATE_LIMIT_ENDPOINTS?: string;
  RATE_LIMIT_WHEN_REDIS_DOWN: 'open' | 'closed';
  /** How often each replica re-reads which model version is promoted. */
  MODEL_REFRESH_MS: number;
  /** Consecutive failures that open a circuit, and how long it stays open before one trial call. */
  BREAKER_FAILURES: number;
  BREAKER_OPEN_MS: number;
  MAX_BATCH_ITEMS: number;
  /** How long a replica trusts an API key it has checked; a revocation reaches other replicas within this. */
  API_KEY_CACHE_TTL_MS: number;
  /** The mail relay's endpoint for password-reset mail, and its bearer secret (Secret `prediction-api-mail-relay`). */
  MAIL_RELAY_URL: string;
  MAIL_RELAY_SECRET: string;
  MAIL_RELAY_TIMEOUT_MS: number;
  /** How long a password-reset token works. */
  PASSWORD_RESET_TTL_S: number;
}

export const predictionSchema: EnvSchema = envSchema(baseSchema, postgresSchema, redisSchema, objectStoreSchema, {
  type: 'object',
  properties: {
    JWT_SIGNING_KEY: { type: 'string', minLength: 1 },
    JWT_ISSUER: { type: 'string', minLength: 1, default: 'prediction-api.geo-climate' },
    ACCESS_TOKEN_TTL_S: { type: 'integer', minimum: 30, maximum: 3600, default: 900 },
    REFRESH_TOKEN_TTL_S: { type: 'integer', minimum: 300, default: 2592000 },
    RATE_LIMIT_TIERS: { type: 'string', minLength: 1 },
    RATE_LIMIT_DEFAULT_TIER: { type: 'string', minLength: 1 },
    RATE_LIMIT_ENDPOINTS: { type: 'string', minLength: 1 },
    RATE_LIMIT_WHEN_REDIS_DOWN: { enum: ['open', 'closed'] },
    MODEL_REFRESH_MS: { type: 'integer', minimum: 50, default: 10000 },
    BREAKER_FAILURES: { type: 'integer', minimum: 1, default: 5 },
    BREAKER_OPEN_MS: { type: 'integer', minimum: 100, default: 5000 },
    MAX_BATCH_ITEMS: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
    API_KEY_CACHE_TTL_MS: { type: 'integer', minimum: 0, maximum: 60000, default: 5000 },
    MAIL_RELAY_URL: { type: 'string', format: 'uri', pattern: '^https?://' },
    MAIL_RELAY_SECRET: { type: 'string', minLength: 16 },
    MAIL_RELAY_TIMEOUT_MS: { type: 'integer', minimum: 100, maximum: 60000, default: 5000 },
    PASSWORD_RESET_TTL_S: { type: 'integer', minimum: 300, maximum: 86400, default: 1800 },
  },
  required: ['MAIL_RELAY_URL', 'MAIL_RELAY_SECRET', 'JWT_SIGNING_KEY', 'RATE_LIMIT_TIERS', 'RATE_LIMIT_DEFAULT_TIER', 'RATE_LIMIT_WHEN_REDIS_DOWN'],
});

/** Cross-field checks: the rate-limit strings parse, the signing key is an Ed25519 private key. */
export function checkPredictionConfig(config: PredictionConfig): string[] {
  const problems = parseRateLimits(config).problems;
  try {
    parseSigningKey(config.JWT_SIGNING_KEY);
  } catch (e) {
    problems.push(`JWT_SIGNING_KEY=(hidden) ${(e as Error).message}`);
  }
  return problems;
}

export function rateLimitsOf(config: PredictionConfig): RateLimits {
  return parseRateLimits(config).limits;
}
