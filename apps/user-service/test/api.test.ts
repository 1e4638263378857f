/**
 * user-service on a real PostgreSQL 15, migrated and granted by the rendered migration Job, as its
 * own rendered role: profiles and consent (create, read, update), DELETE records the request, the
 * `profile` audit row and the outbox in one transaction, the status reports each store of
 * GDPR_STORES, and every bad input gets its 4xx and code. The producer behind the outbox is a
 * recorder that can be switched off (Kafka itself is in apps/test/gdpr.test.ts), behind the contract
 * check of the rendered topic schemas as in production: a request accepted while it is off is
 * published once it is back, with the player's confirmation on notifications.outbound.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TopicMessages } from 'kafkajs';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '@gamemetrics/service-kit/config.ts';
import { TopicContracts, validatingSink } from '@gamemetrics/service-kit/contracts.ts';
import { recordDeletion } from '@gamemetrics/service-kit/gdpr.ts';
import { createMetrics } from '@gamemetrics/service-kit/metrics.ts';
import { KafkaUnavailableError } from '@gamemetrics/service-kit/producer.ts';
import type pg from 'pg';
import { startEventStore, type EventStore } from '../../test/gdpr-db.ts';
import { renderedService } from '../../test/stack.ts';
import { buildApp } from '../src/app.ts';
import { checkUserServiceConfig, PRODUCED, userServiceSchema, type UserServiceConfig } from '../src/config.ts';
import { DELETION_RECEIVED, nameBasedUuid } from '../src/notifications.ts';
import { Outbox } from '../src/outbox.ts';

let store: EventStore;
let pool: pg.Pool;
let admin: pg.Pool;
let app: FastifyInstance;
let outbox: Outbox;
const sent: TopicMessages[] = [];
let kafkaUp = true;

const recorder = {
  isReady: () => kafkaUp,
  send: async (tm: TopicMessages[]) => {
    if (!kafkaUp) throw new KafkaUnavailableError('Kafka is unavailable');
    sent.push(...tm);
  },
};
const player = (id: string) => ({ playerId: id, displayName: 'Ann', email: 'ann@example.com', country: 'FR', consent: { analytics: true, marketing: false } });
const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) => {
  const res = await app.inject({ method, url, payload: payload as string, headers: payload === undefined ? headers : { 'content-type': 'application/json', ...headers } });
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
};

describe('user-service on a real PostgreSQL', () => {
  before(async () => {
    store = await startEventStore();
    const rendered = renderedService('user-service').config;
    const config = loadConfig<UserServiceConfig>('user-service', userServiceSchema, {
      SERVICE_NAME: 'user-service', TENANT: 'gamemetrics', ENVIRONMENT: 'dev', NAMESPACE: 'gamemetrics', PORT: '0', LOG_LEVEL: 'silent',
      KAFKA_BROKERS: '127.0.0.1:9', KAFKA_CLIENT_ID: 'user-service', KAFKA_USERNAME: 'user-service', KAFKA_PASSWORD: 'x', KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SSL: 'false',
      KAFKA_TOPIC_GDPR_DELETION_REQUESTS: 'gdpr.deletion.requests', KAFKA_TOPIC_NOTIFICATIONS_OUTBOUND: 'notifications.outbound', GDPR_STORES: 'profile,player-events,recommendations,archive',
      ACCOUNT_NOTIFICATION_CHANNEL: rendered.ACCOUNT_NOTIFICATION_CHANNEL,
      KAFKA_SCHEMA_GDPR_DELETION_REQUESTS: rendered.KAFKA_SCHEMA_GDPR_DELETION_REQUESTS,
      KAFKA_SCHEMA_NOTIFICATIONS_OUTBOUND: rendered.KAFKA_SCHEMA_NOTIFICATIONS_OUTBOUND,
      ...store.env('user_service'),
    }, checkUserServiceConfig);
    // As main.ts: every record checked against its rendered topic schema before it reaches the recorder.
    const sink = validatingSink(recorder, new TopicContracts(config, PRODUCED));
    pool = store.pool('user_service');
    admin = store.admin();
    app = buildApp(config, { pool, metrics: createMetrics('user-service', false), kafkaReady: recorder.isReady, outbox: { flush: () => outbox.flush() } });
    outbox = new Outbox(pool, sink, { deletions: config.KAFKA_TOPIC_GDPR_DELETION_REQUESTS, notifications: config.KAFKA_TOPIC_NOTIFICATIONS_OUTBOUND, channel: config.ACCOUNT_NOTIFICATION_CHANNEL }, app.log);
  });
  after(async () => {
    await app?.close();
    await store?.stop();
  });

  test('create, read and update a profile with consent', async () => {
    const created = await call('POST', '/v1/players', player('ann-1'));
    assert.equal(created.status, 201);
    assert.deepEqual({ ...created.body, createdAt: undefined, updatedAt: undefined }, { ...player('ann-1'), createdAt: undefined, updatedAt: undefined });
    const read = await call('GET', '/v1/players/ann-1');
    assert.equal(read.status, 200);
    assert.deepEqual(read.body.consent, { analytics: true, marketing: false });
    const updated = await call('PATCH', '/v1/players/ann-1', { consent: { marketing: true }, displayName: 'Ann B' });
    assert.equal(updated.status, 200);
    assert.deepEqual(updated.body.consent, { analytics: true, marketing: true });
    assert.equal(updated.body.displayName, 'Ann B');
    assert.equal(updated.body.email, 'ann@example.com');
    assert.equal((await call('POST', '/v1/players', player('ann-1'))).body.code, 'PLAYER_EXISTS');
  });

  test('DELETE removes the profile, records the request and its profile audit row, and publishes it with the player\'s confirmation', async () => {
    await call('POST', '/v1/players', player('del-1'));
    sent.length = 0;
    const res = await call('DELETE', '/v1/players/del-1');
    assert.equal(res.status, 202);
    assert.equal(res.body.playerId, 'del-1');
    assert.equal(res.body.status, 'pending');
    assert.match(res.body.requestId, /^[0-9a-f-]{36}$/);
    assert.equal((await call('GET', '/v1/players/del-1')).status, 404);
    assert.deepEqual(sent.map((tm) => [tm.topic, tm.messages.length]), [['gdpr.deletion.requests', 1], ['notifications.outbound', 1]]);
    assert.equal(String(sent[0].messages[0].key), 'del-1');
    const value = JSON.parse(String(sent[0].messages[0].value));
    assert.equal(value.requestId, res.body.requestId);
    assert.equal(value.playerId, 'del-1');
    const notification = JSON.parse(String(sent[1].messages[0].value));
    assert.equal(String(sent[1].messages[0].key), 'del-1');
    assert.deepEqual({ ...notification, body: undefined }, {
      notificationId: nameBasedUuid(`${DELETION_RECEIVED}:${res.body.requestId}`),
      playerId: 'del-1',
      channel: 'email',
      subject: 'We are deleting your data',
      body: undefined,
      data: { kind: DELETION_RECEIVED, requestId: res.body.requestId, requestedAt: value.requestedAt },
      createdAt: value.requestedAt,
    });
    assert.ok(notification.body.includes(res.body.requestId), notification.body);

    const status = await call('GET', `/v1/gdpr/requests/${res.body.requestId}`);
    assert.equal(status.status, 200);
    assert.equal(status.body.status, 'pending');
    assert.equal(status.body.stores.profile.status, 'completed');
    assert.deepEqual(Object.keys(status.body.stores), ['profile', 'player-events', 'recommendations', 'archive']);
    for (const s of ['player-events', 'recommendations', 'archive']) assert.deepEqual(status.body.stores[s], { status: 'pending' });

    // Each store records its row (as the consumers do); the request completes with the last one.
    for (const s of ['player-events', 'recommendations']) await recordDeletion(admin, res.body.requestId, s, 'test', { rows: 1 });
    assert.equal((await call('GET', `/v1/gdpr/requests/${res.body.requestId}`)).body.status, 'pending');
    await recordDeletion(admin, res.body.requestId, 'archive', 'test', { objects: 0 });
    const done = await call('GET', `/v1/gdpr/requests/${res.body.requestId}`);
    assert.equal(done.body.status, 'completed');
    assert.ok(done.body.completedAt >= done.body.requestedAt);

    // A repeated DELETE answers with the same request; nothing new is published.
    sent.length = 0;
    const again = await call('DELETE', '/v1/players/del-1');
    assert.deepEqual(again, { status: 202, body: { requestId: res.body.requestId, playerId: 'del-1', status: 'completed' } });
    assert.equal(sent.length, 0);
  });

  test('a deletion accepted while Kafka is down is published when it is back', async () => {
    await call('POST', '/v1/players', player('del-2'));
    sent.length = 0;
    kafkaUp = false;
    const res = await call('DELETE', '/v1/players/del-2');
    assert.equal(res.status, 202);
    assert.equal(sent.length, 0);
    const { rows } = await admin.query('SELECT published_at FROM gdpr_deletion_requests WHERE request_id = $1', [res.body.requestId]);
    assert.equal(rows[0].published_at, null);
    kafkaUp = true;
    assert.equal(await outbox.flush(), 1);
    assert.equal(JSON.parse(String(sent[0].messages[0].value)).requestId, res.body.requestId);
    assert.equal(JSON.parse(String(sent[1].messages[0].value)).data.requestId, res.body.requestId, 'the confirmation goes out with it');
    assert.equal(await outbox.flush(), 0, 'published once');
  });

  test('a record that breaks its topic\'s schema is never sent, and the request stays in the outbox', async () => {
    const broken = new Outbox(pool, validatingSink(recorder, new TopicContracts({ ...renderedService('user-service').config, KAFKA_SCHEMA_NOTIFICATIONS_OUTBOUND: JSON.stringify({ type: 'object', required: ['unheardOf'] }) }, PRODUCED)), { deletions: 'gdpr.deletion.requests', notifications: 'notifications.outbound', channel: 'email' }, app.log);
    await call('POST', '/v1/players', player('del-3'));
    kafkaUp = false;
    const res = await call('DELETE', '/v1/players/del-3');
    kafkaUp = true;
    sent.length = 0;
    await assert.rejects(broken.flush(), /record 0 for notifications\.outbound breaks the topic's schema: \/unheardOf is required/);
    assert.equal(sent.length, 0, 'neither record sent');
    const { rows } = await admin.query('SELECT published_at FROM gdpr_deletion_requests WHERE request_id = $1', [res.body.requestId]);
    assert.equal(rows[0].published_at, null);
    assert.equal(await outbox.flush(), 1, 'the good outbox publishes it');
  });

  test('the list is newest first and honours limit', async () => {
    const list = await call('GET', '/v1/gdpr/requests?limit=2');
    assert.equal(list.status, 200);
    assert.equal(list.body.requests.length, 2);
    assert.equal(list.body.requests[0].playerId, 'del-3');
    assert.equal(list.body.requests[1].playerId, 'del-2');
  });

  test('bad input: each endpoint answers 4xx with a coded error naming the field', async () => {
    const cases: Array<[string, 'GET' | 'POST' | 'PATCH' | 'DELETE', string, unknown, number, string, string?]> = [
      ['missing fields', 'POST', '/v1/players', { playerId: 'x' }, 400, 'VALIDATION_FAILED', '/displayName'],
      ['bad email', 'POST', '/v1/players', { ...player('x'), email: 'not-an-email' }, 400, 'VALIDATION_FAILED', '/email'],
      ['bad country', 'POST', '/v1/players', { ...player('x'), country: 'france' }, 400, 'VALIDATION_FAILED', '/country'],
      ['consent not boolean', 'POST', '/v1/players', { ...player('x'), consent: { analytics: 'yes', marketing: false } }, 400, 'VALIDATION_FAILED', '/consent/analytics'],
      ['unknown field', 'POST', '/v1/players', { ...player('x'), admin: true }, 400, 'VALIDATION_FAILED', '/admin'],
      ['bad player id', 'POST', '/v1/players', { ...player('-x') }, 400, 'VALIDATION_FAILED', '/playerId'],
      ['malformed JSON', 'POST', '/v1/players', '{"playerId":', 400, 'MALFORMED_JSON'],
      ['empty PATCH', 'PATCH', '/v1/players/ann-1', {}, 400, 'VALIDATION_FAILED'],
      ['PATCH empty consent', 'PATCH', '/v1/players/ann-1', { consent: {} }, 400, 'VALIDATION_FAILED', '/consent'],
      ['PATCH unknown player', 'PATCH', '/v1/players/nobody', { displayName: 'N' }, 404, 'PLAYER_NOT_FOUND'],
      ['GET unknown player', 'GET', '/v1/players/nobody', undefined, 404, 'PLAYER_NOT_FOUND'],
      ['GET bad id', 'GET', `/v1/players/${'a'.repeat(65)}`, undefined, 400, 'VALIDATION_FAILED', '/id'],
      ['DELETE unknown player', 'DELETE', '/v1/players/nobody', undefined, 404, 'PLAYER_NOT_FOUND'],
      ['DELETE bad id', 'DELETE', '/v1/players/%20x', undefined, 400, 'VALIDATION_FAILED', '/id'],
      ['request id not a UUID', 'GET', '/v1/gdpr/requests/42', undefined, 400, 'VALIDATION_FAILED', '/requestId'],
      ['unknown request', 'GET', '/v1/gdpr/requests/00000000-0000-4000-8000-000000000000', undefined, 404, 'REQUEST_NOT_FOUND'],
      ['limit too big', 'GET', '/v1/gdpr/requests?limit=1000', undefined, 400, 'VALIDATION_FAILED', '/limit'],
      ['unknown query', 'GET', '/v1/gdpr/requests?offset=3', undefined, 400, 'VALIDATION_FAILED', '/offset'],
    ];
    for (const [what, method, url, body, status, code, path] of cases) {
      const res = await call(method, url, body);
      assert.equal(res.status, status, `${what}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, code, what);
      if (path) assert.ok(res.body.errors.some((e: { path: string }) => e.path === path), `${what}: ${JSON.stringify(res.body.errors)}`);
    }
    const media = await app.inject({ method: 'POST', url: '/v1/players', payload: 'x', headers: { 'content-type': 'text/plain' } });
    assert.equal(media.statusCode, 415);
    assert.equal(JSON.parse(media.body).code, 'UNSUPPORTED_MEDIA_TYPE');
  });

  test('the role may not write outside its grants: no DDL', async () => {
    await assert.rejects(pool.query('DROP TABLE players'), /must be owner/);
  });
});
