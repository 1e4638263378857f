/** The environment event-ingestion's tests boot with (no servers behind it), with two API keys. */
import { hashApiKey } from '@gamemetrics/service-kit/api-keys.ts';

export const KEY = 'test-key-0123456789abcdef';
export const OTHER_KEY = 'other-key-0123456789abcdef';

export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    SERVICE_NAME: 'event-ingestion',
    TENANT: 'gamemetrics',
    ENVIRONMENT: 'dev',
    NAMESPACE: 'gamemetrics',
    PORT: '0',
    LOG_LEVEL: 'silent',
    KAFKA_BROKERS: '127.0.0.1:9092',
    KAFKA_CLIENT_ID: 'event-ingestion',
    KAFKA_USERNAME: 'event-ingestion',
    KAFKA_PASSWORD: 'secret',
    KAFKA_SASL_MECHANISM: 'scram-sha-512',
    KAFKA_SSL: 'false',
    KAFKA_TOPIC_PLAYER_EVENTS_RAW: 'player.events.raw',
    // Any schema that compiles: these tests check the HTTP layer (apps/test/contracts.test.ts checks records against the rendered one).
    KAFKA_SCHEMA_PLAYER_EVENTS_RAW: '{"type":"object"}',
    API_KEYS: `studio-a:${hashApiKey(KEY)},studio-b:${hashApiKey(OTHER_KEY)}`,
    ...overrides,
  };
}
