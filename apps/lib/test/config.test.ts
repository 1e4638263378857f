import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkIngestionConfig, ingestionSchema, type IngestionConfig } from '../../event-ingestion/src/config.ts';
import { hashApiKey } from '../api-keys.ts';
import { processorSchema, type ProcessorConfig } from '../../event-processor/src/config.ts';
import { playerEventProcessed, playerEventRaw } from '../../../model/topic-schemas.ts';
import { ConfigError, loadConfig } from '../config.ts';

const good: Record<string, string> = {
  SERVICE_NAME: 'event-processor',
  TENANT: 'gamemetrics',
  ENVIRONMENT: 'dev',
  NAMESPACE: 'gamemetrics',
  PORT: '8080',
  KAFKA_BROKERS: 'a:9093,b:9093',
  KAFKA_CLIENT_ID: 'event-processor',
  KAFKA_USERNAME: 'event-processor',
  KAFKA_PASSWORD: 'pw',
  KAFKA_SASL_MECHANISM: 'scram-sha-512',
  KAFKA_SSL: 'true',
  KAFKA_GROUP_ID: 'event-processor',
  KAFKA_TRANSACTIONAL_IDS: 'event-processor.tx-0,event-processor.tx-1',
  KAFKA_TOPIC_PLAYER_EVENTS_RAW: 'player.events.raw',
  KAFKA_TOPIC_PLAYER_EVENTS_PROCESSED: 'player.events.processed',
  KAFKA_DLQ_TOPIC_PLAYER_EVENTS_RAW: 'player.events.raw.dlq',
  KAFKA_TOPIC_GDPR_DELETION_REQUESTS: 'gdpr.deletion.requests',
  KAFKA_DLQ_TOPIC_GDPR_DELETION_REQUESTS: 'gdpr.deletion.requests.dlq',
  KAFKA_SCHEMA_PLAYER_EVENTS_RAW: JSON.stringify(playerEventRaw),
  KAFKA_SCHEMA_PLAYER_EVENTS_PROCESSED: JSON.stringify(playerEventProcessed),
  PGHOST: 'db',
  PGPORT: '5432',
  PGDATABASE: 'gamemetrics',
  PGUSER: 'event_processor',
  PGPASSWORD: 'secret-pg',
  PGSSLMODE: 'require',
  REDIS_URL: 'redis://redis:6379/0',
};

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return e.problems;
  }
  assert.fail('expected a ConfigError');
}

describe('boot configuration', () => {
  test('valid values are coerced to their types, with defaults applied', () => {
    const c = loadConfig<ProcessorConfig>('event-processor', processorSchema, good);
    assert.equal(c.PORT, 8080);
    assert.equal(c.KAFKA_SSL, true);
    assert.equal(c.PGPORT, 5432);
    assert.equal(c.LOG_LEVEL, 'info');
    assert.equal(c.PROCESSOR_CHUNK_SIZE, 2000);
    assert.equal(c.HOST, '0.0.0.0');
  });

  test('every missing variable is reported at once, by name', () => {
    const problems = problemsOf(() => loadConfig('event-processor', processorSchema, { SERVICE_NAME: 'event-processor' }));
    for (const v of ['TENANT', 'PORT', 'KAFKA_BROKERS', 'KAFKA_PASSWORD', 'KAFKA_GROUP_ID', 'KAFKA_TRANSACTIONAL_IDS', 'PGHOST', 'PGPASSWORD', 'REDIS_URL'])
      assert.ok(problems.includes(`${v} is required but not set`), `${v} listed in ${JSON.stringify(problems)}`);
  });

  test('bad values are named with what is wrong; secrets are never echoed', () => {
    const problems = problemsOf(() =>
      loadConfig('event-processor', processorSchema, { ...good, PORT: 'eighty', KAFKA_SSL: 'maybe', KAFKA_BROKERS: 'kafka', PGSSLMODE: 'on', PGPASSWORD: '' }),
    );
    assert.deepEqual(problems.sort(), [
      'KAFKA_BROKERS="kafka" must be comma-separated host:port pairs',
      'KAFKA_SSL="maybe" must be boolean',
      'PGPASSWORD is required but not set',
      'PGSSLMODE="on" must be equal to one of the allowed values (allowed: disable, allow, prefer, require, verify-ca, verify-full)',
      'PORT="eighty" must be integer',
    ]);
    const withSecrets = problemsOf(() => loadConfig('event-processor', processorSchema, { ...good, PGPORT: '0', LOG_LEVEL: 'loud' }));
    assert.equal(withSecrets.length, 2);
    assert.ok(!withSecrets.join('\n').includes('secret-pg'), 'PGPASSWORD is not echoed');
  });

  test('API_KEYS entries are checked, each malformed one reported', () => {
    const env = {
      ...good,
      SERVICE_NAME: 'event-ingestion',
      API_KEYS: `studio-a:${hashApiKey('k1')},studio-b:not-a-digest,Bad Tenant:${hashApiKey('k2')}`,
    };
    const problems = problemsOf(() => loadConfig<IngestionConfig>('event-ingestion', ingestionSchema, env, checkIngestionConfig));
    assert.deepEqual(problems, [
      'API_KEYS entry 2 is not "<tenant>:<64 lowercase hex sha256 digest>"',
      'API_KEYS entry 3 is not "<tenant>:<64 lowercase hex sha256 digest>"',
    ]);
    assert.ok(!problems.join().includes(hashApiKey('k1')), 'digests are not echoed');
    const ok = loadConfig<IngestionConfig>('event-ingestion', ingestionSchema, { ...env, API_KEYS: `studio-a:${hashApiKey('k1')}\nstudio-a:${hashApiKey('k2')}` }, checkIngestionConfig);
    assert.equal(ok.MAX_BATCH_EVENTS, 500);
  });

  test('the error message is actionable', () => {
    try {
      loadConfig('analytics', processorSchema, {});
      assert.fail('expected a ConfigError');
    } catch (e) {
      assert.match((e as Error).message, /^analytics: invalid configuration \(\d+ problems\):\n {2}- /);
      assert.match((e as Error).message, /Set these environment variables \(see apps\/README\.md\) and restart\.$/);
    }
  });
});
