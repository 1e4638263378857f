/**
 * admin-dashboard's configuration: the URLs of the services it calls (the model's `calls`), the upstream timeout,
 * and the operators who may use it (`OPERATOR_TOKENS`, from a Secret: `<operator>:<sha256 of the token>` entries).
 */
import { parseApiKeys, type ApiKeys } from '@gamemetrics/service-kit/api-keys.ts';
import { baseSchema, envSchema, type BaseConfig, type EnvSchema } from '@gamemetrics/service-kit/config.ts';

export interface DashboardConfig extends BaseConfig {
  ANALYTICS_API_URL: string;
  USER_SERVICE_URL: string;
  EVENT_INGESTION_URL?: string;
  EVENT_PROCESSOR_URL?: string;
  NOTIFICATION_SERVICE_URL?: string;
  /** Milliseconds an upstream call (readiness, metrics, user-service) may take. */
  DASHBOARD_UPSTREAM_TIMEOUT_MS: number;
  /** The key admin-dashboard reads analytics-api's live stream with (one of analytics-api's API_KEYS). */
  ANALYTICS_API_KEY: string;
  /** `<operator>:<sha256 hex of the token>` entries (@gamemetrics/service-kit/api-keys.ts); nothing but the probes and /metrics is served without one. */
  OPERATOR_TOKENS: string;
  /** Not a variable: OPERATOR_TOKENS parsed once, by checkDashboardConfig (token digest → operator); buildApp signs operators in with it. */
  operators: ApiKeys;
}

const url = { type: 'string', pattern: '^https?://[^\\s/]+$', hint: 'must be http(s)://<host>:<port> without a path' };

/** Service name → the variable holding its URL: what the health panel watches (when set). */
export const WATCHED = {
  'event-ingestion': 'EVENT_INGESTION_URL',
  'event-processor': 'EVENT_PROCESSOR_URL',
  'analytics-api': 'ANALYTICS_API_URL',
  'notification-service': 'NOTIFICATION_SERVICE_URL',
  'user-service': 'USER_SERVICE_URL',
} as const satisfies Record<string, keyof DashboardConfig>;

export const dashboardSchema: EnvSchema = envSchema(baseSchema, {
  type: 'object',
  properties: {
    ...Object.fromEntries(Object.values(WATCHED).map((v) => [v, url])),
    DASHBOARD_UPSTREAM_TIMEOUT_MS: { type: 'integer', minimum: 100, maximum: 30000, default: 2000 },
    OPERATOR_TOKENS: { type: 'string', minLength: 1 },
    ANALYTICS_API_KEY: { type: 'string', minLength: 1 },
  },
  required: ['ANALYTICS_API_URL', 'USER_SERVICE_URL', 'OPERATOR_TOKENS', 'ANALYTICS_API_KEY'],
});

/**
 * The OPERATOR_TOKENS entries, which the schema cannot check (each problem names the variable and the entry's
 * number). The one parse: the keys are kept as `config.operators` for buildApp.
 */
export function checkDashboardConfig(config: DashboardConfig): string[] {
  const { keys, problems } = parseApiKeys(config.OPERATOR_TOKENS, 'OPERATOR_TOKENS', 'operator');
  config.operators = keys;
  return problems;
}
