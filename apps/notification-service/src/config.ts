/** notification-service's configuration: the contract's variables, the webhooks (a Secret) and the retry policy. */
import {
  baseSchema,
  checkKafkaConfig,
  envSchema,
  kafkaNamesSchema,
  kafkaSchema,
  redisSchema,
  type BaseConfig,
  type EnvSchema,
  type KafkaConfig,
  type RedisConfig,
} from '@gamemetrics/service-kit/config.ts';

export interface NotifyConfig extends BaseConfig, KafkaConfig, RedisConfig {
  KAFKA_GROUP_ID: string;
  KAFKA_TOPIC_NOTIFICATIONS_OUTBOUND: string;
  KAFKA_TOPIC_RECOMMENDATIONS_GENERATED: string;
  KAFKA_DLQ_TOPIC_NOTIFICATIONS_OUTBOUND: string;
  KAFKA_DLQ_TOPIC_RECOMMENDATIONS_GENERATED: string;
  /** `<channel>=<http(s) URL>`, comma-separated; from the `notification-service-webhooks` Secret (URLs carry tokens). */
  NOTIFY_WEBHOOKS: string;
  /** Channel that recommendations are delivered to. */
  NOTIFY_RECOMMENDATION_CHANNEL: string;
  /** Delivery attempts per notification before it goes to the DLQ. */
  NOTIFY_MAX_ATTEMPTS: number;
  /** First retry delay; doubles per attempt up to NOTIFY_BACKOFF_MAX_MS, then jittered. */
  NOTIFY_BACKOFF_BASE_MS: number;
  NOTIFY_BACKOFF_MAX_MS: number;
  /** Milliseconds one webhook call may take. */
  NOTIFY_TIMEOUT_MS: number;
  /** Milliseconds a claim on a notification id outlives a silent owner (then another instance may deliver it). */
  NOTIFY_LEASE_MS: number;
  /** Days a delivered id is remembered (de-duplication window). */
  NOTIFY_DEDUP_DAYS: number;
  /** Partitions delivered in parallel per instance. */
  NOTIFY_PARTITIONS_CONCURRENTLY: number;
}

export const notifySchema: EnvSchema = envSchema(
  baseSchema,
  kafkaSchema,
  redisSchema,
  kafkaNamesSchema(
    'KAFKA_GROUP_ID',
    'KAFKA_TOPIC_NOTIFICATIONS_OUTBOUND',
    'KAFKA_TOPIC_RECOMMENDATIONS_GENERATED',
    'KAFKA_DLQ_TOPIC_NOTIFICATIONS_OUTBOUND',
    'KAFKA_DLQ_TOPIC_RECOMMENDATIONS_GENERATED',
  ),
  {
    type: 'object',
    properties: {
      NOTIFY_WEBHOOKS: { type: 'string', minLength: 1 },
      NOTIFY_RECOMMENDATION_CHANNEL: { type: 'string', pattern: '^[a-z][a-z0-9-]*$', default: 'push' },
      NOTIFY_MAX_ATTEMPTS: { type: 'integer', minimum: 1, maximum: 20, default: 6 },
      NOTIFY_BACKOFF_BASE_MS: { type: 'integer', minimum: 1, default: 500 },
      NOTIFY_BACKOFF_MAX_MS: { type: 'integer', minimum: 1, default: 30000 },
      NOTIFY_TIMEOUT_MS: { type: 'integer', minimum: 100, maximum: 60000, default: 5000 },
      NOTIFY_LEASE_MS: { type: 'integer', minimum: 1000, default: 60000 },
      NOTIFY_DEDUP_DAYS: { type: 'integer', minimum: 1, maximum: 365, default: 7 },
      NOTIFY_PARTITIONS_CONCURRENTLY: { type: 'integer', minimum: 1, maximum: 64, default: 4 },
    },
    required: ['NOTIFY_WEBHOOKS'],
  },
);

/** NOTIFY_WEBHOOKS as a map; problems name the entry, never its URL (URLs carry tokens). */
export function parseWebhooks(text: string): { webhooks: Map<string, URL>; problems: string[] } {
  const webhooks = new Map<string, URL>();
  const problems: string[] = [];
  const seen = new Set<string>();
  text.split(',').map((s) => s.trim()).forEach((entry, i) => {
    const eq = entry.indexOf('=');
    const channel = eq > 0 ? entry.slice(0, eq) : '';
    const where = `NOTIFY_WEBHOOKS entry ${i + 1}${channel ? ` (${channel})` : ''}`;
    if (!/^[a-z][a-z0-9-]*$/.test(channel)) return problems.push(`${where} must be <channel>=<URL> with a lower-case channel name`);
    if (seen.has(channel)) return problems.push(`${where} repeats channel ${channel}`);
    seen.add(channel);
    let url: URL;
    try {
      url = new URL(entry.slice(eq + 1));
    } catch {
      return problems.push(`${where} is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return problems.push(`${where} must be an http or https URL`);
    webhooks.set(channel, url);
  });
  return { webhooks, problems };
}

/** Cross-field checks: the CA file, the webhooks, the recommendation channel has one, the backoff bounds. */
export function checkNotifyConfig(config: NotifyConfig): string[] {
  const { webhooks, problems } = parseWebhooks(config.NOTIFY_WEBHOOKS);
  if (problems.length === 0 && !webhooks.has(config.NOTIFY_RECOMMENDATION_CHANNEL))
    problems.push(`NOTIFY_RECOMMENDATION_CHANNEL=${JSON.stringify(config.NOTIFY_RECOMMENDATION_CHANNEL)} has no webhook in NOTIFY_WEBHOOKS (channels: ${[...webhooks.keys()].join(', ')})`);
  if (config.NOTIFY_BACKOFF_MAX_MS < config.NOTIFY_BACKOFF_BASE_MS) problems.push('NOTIFY_BACKOFF_MAX_MS must be at least NOTIFY_BACKOFF_BASE_MS');
  if (config.NOTIFY_LEASE_MS <= config.NOTIFY_TIMEOUT_MS) problems.push('NOTIFY_LEASE_MS must be longer than NOTIFY_TIMEOUT_MS (a claim must outlive one webhook call)');
  return [...checkKafkaConfig(config), ...problems];
}
