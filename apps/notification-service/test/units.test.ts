/** notification-service's pure parts: the webhooks variable, the backoff, what each topic's records become. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '@gamemetrics/service-kit/config.ts';
import { backoffDelay, backoffWindow } from '../src/backoff.ts';
import { checkNotifyConfig, notifySchema, type NotifyConfig } from '../src/config.ts';
import { parseOutbound, parseRecommendation } from '../src/records.ts';

const env = {
  SERVICE_NAME: 'notification-service', TENANT: 'gamemetrics', ENVIRONMENT: 'dev', NAMESPACE: 'gamemetrics', PORT: '8080',
  KAFKA_BROKERS: 'k:9093', KAFKA_CLIENT_ID: 'n', KAFKA_USERNAME: 'n', KAFKA_PASSWORD: 'secret', KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SSL: 'false',
  KAFKA_GROUP_ID: 'n', KAFKA_TOPIC_NOTIFICATIONS_OUTBOUND: 'a', KAFKA_TOPIC_RECOMMENDATIONS_GENERATED: 'b', KAFKA_DLQ_TOPIC_NOTIFICATIONS_OUTBOUND: 'c', KAFKA_DLQ_TOPIC_RECOMMENDATIONS_GENERATED: 'c',
  REDIS_URL: 'redis://r:6379/0',
};
const problems = (extra: Record<string, string>) => {
  try {
    loadConfig<NotifyConfig>('notification-service', notifySchema, { ...env, ...extra }, checkNotifyConfig);
    return [];
  } catch (e) {
    return (e as ConfigError).problems;
  }
};

describe('NOTIFY_WEBHOOKS and the retry policy', () => {
  test('valid', () => assert.deepEqual(problems({ NOTIFY_WEBHOOKS: 'push=https://h/p?token=s3cret,email=http://e:8080/x' }), []));
  test('every problem at once, never the URL (it carries a token)', () => {
    const p = problems({ NOTIFY_WEBHOOKS: 'push=ftp://h/?token=s3cret,Email=https://x,push=https://y,sms', NOTIFY_LEASE_MS: '1000', NOTIFY_TIMEOUT_MS: '1000' });
    assert.deepEqual(p, [
      'NOTIFY_WEBHOOKS entry 1 (push) must be an http or https URL',
      'NOTIFY_WEBHOOKS entry 2 (Email) must be <channel>=<URL> with a lower-case channel name',
      'NOTIFY_WEBHOOKS entry 3 (push) repeats channel push',
      'NOTIFY_WEBHOOKS entry 4 must be <channel>=<URL> with a lower-case channel name',
      'NOTIFY_LEASE_MS must be longer than NOTIFY_TIMEOUT_MS (a claim must outlive one webhook call)',
    ]);
    assert.ok(!p.join('\n').includes('s3cret'));
  });
  test('the recommendation channel needs a webhook', () =>
    assert.deepEqual(problems({ NOTIFY_WEBHOOKS: 'email=https://e' }), ['NOTIFY_RECOMMENDATION_CHANNEL="push" has no webhook in NOTIFY_WEBHOOKS (channels: email)']));
  test('missing: named', () => assert.deepEqual(problems({}), ['NOTIFY_WEBHOOKS is required but not set']));
});

describe('backoff', () => {
  test('doubles per attempt up to the cap, jittered within [d/2, d]', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((a) => backoffWindow(a, 500, 4000)), [[250, 500], [500, 1000], [1000, 2000], [2000, 4000], [2000, 4000], [2000, 4000]]);
    assert.equal(backoffDelay(3, 500, 4000, () => 0.5), 1500);
  });
});

describe('records', () => {
  const buf = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));
  const n = { notificationId: 'A0F2E3B4-1111-4222-8333-444455556666', playerId: 'p1', channel: 'email', body: 'hi', createdAt: '2026-11-30T10:00:00Z', extra: 1 };
  test('outbound: the id lower-cased, unknown fields ignored', () => {
    const r = parseOutbound(buf(n), 'notifications.outbound');
    assert.ok('notification' in r);
    assert.equal(r.notification.notificationId, 'a0f2e3b4-1111-4222-8333-444455556666');
  });
  test('outbound poison: the reasons name the fields', () => {
    assert.deepEqual(parseOutbound(buf({ ...n, notificationId: 'x', body: '' }), 't'), { reason: 'schema: /notificationId must match format "uuid"; /body must NOT have fewer than 1 characters' });
    assert.deepEqual(parseOutbound(null, 't'), { reason: 'empty message' });
    assert.match((parseOutbound(buf('[1'), 't') as { reason: string }).reason, /^not JSON: /);
  });
  test('a recommendation: a stable id from player and time, on the given channel', () => {
    const rec = { playerId: 'p1', generatedAt: '2026-11-30T10:00:00Z', backend: 'redis', neighbours: 3, recommendations: [{ gameId: 'g1', score: 0.5, reason: 'similar-players' }] };
    const a = parseRecommendation(buf(rec), 'recommendations.generated', 'push');
    const b = parseRecommendation(buf(rec), 'recommendations.generated', 'push');
    assert.deepEqual(a, b);
    assert.ok('notification' in a);
    assert.equal(a.notification.notificationId, 'recommendation:p1:2026-11-30T10:00:00Z');
    assert.equal(a.notification.channel, 'push');
    assert.deepEqual(parseRecommendation(buf({ ...rec, recommendations: [] }), 't', 'push'), { skip: 'no recommendations' });
  });
});
