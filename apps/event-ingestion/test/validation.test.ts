/**
 * The validation layer of event-ingestion, through `inject`: every kind of bad input gets the
 * right status and body, and nothing invalid reaches the producer. The producer here is a recorder
 * (the Kafka behaviour itself is proven against the real broker in apps/test/event-path.test.ts).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { TopicMessages } from 'kafkajs';
import { loadConfig } from '@gamemetrics/service-kit/config.ts';
import type { ErrorBody } from '@gamemetrics/service-kit/errors.ts';
import { createMetrics } from '@gamemetrics/service-kit/metrics.ts';
import { KafkaUnavailableError, type EventSink } from '@gamemetrics/service-kit/producer.ts';
import { hashApiKey } from '../src/api-keys.ts';
import { buildApp } from '../src/app.ts';
import { checkIngestionConfig, ingestionSchema, type IngestionConfig } from '../src/config.ts';

const KEY = 'test-key-0123456789abcdef';
const OTHER_KEY = 'other-key-0123456789abcdef';

class Recorder implements EventSink {
  sent: TopicMessages[][] = [];
  ready = true;
  hold: Array<() => void> = [];
  holding = false;
  fail = false;
  async send(tm: TopicMessages[]): Promise<void> {
    if (this.fail) throw new KafkaUnavailableError('broker down');
    if (this.holding) await new Promise<void>((r) => this.hold.push(r));
    this.sent.push(tm);
  }
  isReady(): boolean {
    return this.ready;
  }
  count(): number {
    return this.sent.flat().reduce((n, tm) => n + tm.messages.length, 0);
  }
}

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
    API_KEYS: `studio-a:${hashApiKey(KEY)},studio-b:${hashApiKey(OTHER_KEY)}`,
    ...overrides,
  };
}

function event(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventId: randomUUID(),
    playerId: 'player-1',
    gameId: 'game-1',
    type: 'score',
    timestamp: new Date().toISOString(),
    payload: { score: 10 },
    ...overrides,
  };
}

function without(obj: Record<string, unknown>, ...keys: string[]): Record<string, unknown> {
  const copy = { ...obj };
  for (const k of keys) delete copy[k];
  return copy;
}

let app: FastifyInstance;
let recorder: Recorder;

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const res = await app.inject({
    method: 'POST',
    url,
    payload,
    headers: { 'content-type': 'application/json', 'x-api-key': KEY, ...headers },
  });
  return { status: res.statusCode, body: res.json() as ErrorBody & { accepted?: number }, headers: res.headers };
}

function paths(body: ErrorBody): string[] {
  return [...new Set((body.errors ?? []).map((e) => e.path))].sort();
}

describe('event-ingestion validation', () => {
  before(async () => {
    recorder = new Recorder();
    const config = loadConfig<IngestionConfig>('event-ingestion', ingestionSchema, testEnv({ INGEST_MAX_IN_FLIGHT: '2' }), checkIngestionConfig);
    app = buildApp(config, { producer: recorder, metrics: createMetrics('event-ingestion', false) });
    await app.ready();
  });
  after(() => app.close());

  // Each bad-input case asserts its own status and body, then that nothing was produced.
  const bad: Array<[string, () => Promise<{ status: number; body: ErrorBody }>, number, string, string[]?]> = [
    ['malformed JSON', () => post('/v1/events', '{"eventId": '), 400, 'MALFORMED_JSON'],
    ['empty body', () => post('/v1/events', ''), 400, 'EMPTY_BODY'],
    ['a JSON array instead of an object', () => post('/v1/events', [event()]), 400, 'VALIDATION_FAILED', ['/']],
    ['JSON null', () => post('/v1/events', 'null'), 400, 'VALIDATION_FAILED', ['/']],
    ['a __proto__ key (prototype pollution)', () => post('/v1/events', '{"__proto__":{"x":1}}'), 400, 'MALFORMED_JSON'],
    ['non-UTF-8 bytes', () => post('/v1/events', Buffer.concat([Buffer.from('{"eventId":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')])), 400, 'INVALID_ENCODING'],
    ['a NUL character in a string', () => post('/v1/events', event({ payload: { name: 'a\u0000b' } })), 400, 'INVALID_CHARACTER'],
    ['text/plain content type', () => post('/v1/events', JSON.stringify(event()), { 'content-type': 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['missing eventId', () => post('/v1/events', without(event(), 'eventId')), 400, 'VALIDATION_FAILED', ['/eventId']],
    ['eventId not a UUID', () => post('/v1/events', event({ eventId: 'not-a-uuid' })), 400, 'VALIDATION_FAILED', ['/eventId']],
    ['playerId of the wrong type', () => post('/v1/events', event({ playerId: 42 })), 400, 'VALIDATION_FAILED', ['/playerId']],
    ['empty playerId', () => post('/v1/events', event({ playerId: '' })), 400, 'VALIDATION_FAILED', ['/playerId']],
    ['gameId longer than 64 characters', () => post('/v1/events', event({ gameId: 'g'.repeat(65) })), 400, 'VALIDATION_FAILED', ['/gameId']],
    ['missing playerId and gameId (both listed)', () => post('/v1/events', without(event(), 'playerId', 'gameId')), 400, 'VALIDATION_FAILED', ['/gameId', '/playerId']],
    ['unknown event type', () => post('/v1/events', event({ type: 'teleport' })), 400, 'VALIDATION_FAILED', ['/type']],
    ['timestamp not RFC 3339', () => post('/v1/events', event({ timestamp: 'yesterday' })), 400, 'VALIDATION_FAILED', ['/timestamp']],
    ['payload not an object', () => post('/v1/events', event({ payload: [1, 2] })), 400, 'VALIDATION_FAILED', ['/payload']],
    ['an unknown property', () => post('/v1/events', event({ extra: true })), 400, 'VALIDATION_FAILED', ['/extra']],
    [
      'every field wrong at once (all listed)',
      () => post('/v1/events', { eventId: 1, playerId: null, gameId: [], type: 'x', timestamp: 5, payload: 'p' }),
      400,
      'VALIDATION_FAILED',
      ['/eventId', '/gameId', '/payload', '/playerId', '/timestamp', '/type'],
    ],
    ['a single event over 64 KiB', () => post('/v1/events', event({ payload: { blob: 'x'.repeat(70 * 1024) } })), 413, 'PAYLOAD_TOO_LARGE'],
    ['a 10 MB batch body', () => post('/v1/events/batch', { events: [event({ payload: { blob: 'x'.repeat(10 * 1024 * 1024) } })] }), 413, 'PAYLOAD_TOO_LARGE'],
    ['501 events in a batch', () => post('/v1/events/batch', { events: Array.from({ length: 501 }, () => event()) }), 400, 'VALIDATION_FAILED', ['/events']],
    ['an empty batch', () => post('/v1/events/batch', { events: [] }), 400, 'VALIDATION_FAILED', ['/events']],
    ['events not an array', () => post('/v1/events/batch', { events: event() }), 400, 'VALIDATION_FAILED', ['/events']],
    ['a batch without events', () => post('/v1/events/batch', { items: [event()] }), 400, 'VALIDATION_FAILED', ['/events', '/items']],
    [
      'a duplicate event id in a batch',
      () => {
        const id = randomUUID();
        return post('/v1/events/batch', { events: [event({ eventId: id }), event(), event({ eventId: id })] });
      },
      400,
      'VALIDATION_FAILED',
      ['/events/2/eventId'],
    ],
    [
      'two bad events among valid ones (whole batch refused, both listed)',
      () => post('/v1/events/batch', { events: [event(), event(), event({ type: 'nope' }), event(), without(event(), 'eventId')] }),
      400,
      'VALIDATION_FAILED',
      ['/events/2/type', '/events/4/eventId'],
    ],
    ['a missing API key', () => post('/v1/events', event(), { 'x-api-key': '' }), 401, 'API_KEY_MISSING'],
    ['a wrong API key', () => post('/v1/events', event(), { 'x-api-key': 'guess' }), 401, 'API_KEY_INVALID'],
    ['a wrong bearer token', () => post('/v1/events/batch', { events: [event()] }, { 'x-api-key': '', authorization: 'Bearer guess' }), 401, 'API_KEY_INVALID'],
  ];

  for (const [name, send, status, code, errorPaths] of bad) {
    test(`rejects ${name}: ${status} ${code}`, async () => {
      const before = recorder.count();
      const res = await send();
      assert.equal(res.status, status);
      assert.equal(res.body.statusCode, status);
      assert.equal(res.body.code, code);
      assert.equal(typeof res.body.message, 'string');
      if (errorPaths) assert.deepEqual(paths(res.body), errorPaths);
      else assert.equal(res.body.errors, undefined);
      assert.equal(recorder.count(), before, 'nothing reached the producer');
    });
  }

  test('field errors say where and what', async () => {
    const res = await post('/v1/events', event({ type: 'teleport' }));
    assert.deepEqual(res.body.errors, [
      { in: 'body', path: '/type', message: 'must be equal to one of the allowed values: session_start, session_end, level_up, achievement_unlocked, purchase, match_end, score' },
    ]);
  });

  test('a valid event is produced keyed by player with the tenant of the key, then 202', async () => {
    const e = event({ playerId: 'p-42' });
    const before = recorder.sent.length;
    const res = await post('/v1/events', e);
    assert.equal(res.status, 202);
    assert.deepEqual(res.body, { accepted: 1, eventIds: [e.eventId] });
    const [tm] = recorder.sent[before];
    assert.equal(tm.topic, 'player.events.raw');
    assert.equal(tm.messages[0].key, 'p-42');
    const value = JSON.parse(String(tm.messages[0].value));
    assert.deepEqual(value, { ...e, tenant: 'studio-a', receivedAt: value.receivedAt }, 'the event, its tenant and when it was received');
    assert.deepEqual(Object.keys(value), [...Object.keys(e), 'tenant', 'receivedAt']);
    assert.ok(Math.abs(Date.parse(value.receivedAt) - Date.now()) < 60_000, `receivedAt ${value.receivedAt} is now`);
    assert.deepEqual(tm.messages[0].headers, { tenant: 'studio-a' });
  });

  test('the record value is exact JSON whatever the payload holds; a missing payload becomes {}', async () => {
    const payload = { note: 'quote " backslash \\ newline \n }', nested: { list: [1, null, true, 'x'] }, unicode: '🎮' };
    const e = event({ payload });
    const bare: Record<string, unknown> = event();
    delete bare.payload;
    const before = recorder.sent.length;
    assert.equal((await post('/v1/events/batch', { events: [e, bare] })).status, 202);
    const [tm] = recorder.sent[before];
    const [first, second] = tm.messages.map((m) => JSON.parse(String(m.value)));
    assert.deepEqual(first.payload, payload);
    assert.deepEqual(second.payload, {});
    assert.equal(second.tenant, 'studio-a');
  });

  test('a valid batch of 500 with a bearer token is accepted whole', async () => {
    const before = recorder.count();
    const res = await post('/v1/events/batch', { events: Array.from({ length: 500 }, () => event()) }, { 'x-api-key': '', authorization: `Bearer ${OTHER_KEY}` });
    assert.equal(res.status, 202);
    assert.equal(res.body.accepted, 500);
    assert.equal(recorder.count(), before + 500);
    const value = JSON.parse(String(recorder.sent.at(-1)?.[0].messages[0].value));
    assert.equal(value.tenant, 'studio-b');
  });

  test('Kafka not ready: 503 KAFKA_UNAVAILABLE with Retry-After, nothing produced', async () => {
    recorder.ready = false;
    try {
      const before = recorder.count();
      const res = await post('/v1/events', event());
      assert.equal(res.status, 503);
      assert.equal(res.body.code, 'KAFKA_UNAVAILABLE');
      assert.equal(res.headers['retry-after'], '1');
      assert.equal(recorder.count(), before);
    } finally {
      recorder.ready = true;
    }
  });

  test('a failed write: 503, never 202', async () => {
    recorder.fail = true;
    try {
      const res = await post('/v1/events/batch', { events: [event(), event()] });
      assert.equal(res.status, 503);
      assert.equal(res.body.code, 'KAFKA_UNAVAILABLE');
    } finally {
      recorder.fail = false;
    }
  });

  test('overload: beyond INGEST_MAX_IN_FLIGHT requests waiting on Kafka, 503 OVERLOADED', async () => {
    recorder.holding = true;
    const waiting = [post('/v1/events', event()), post('/v1/events', event())];
    while (recorder.hold.length < 2) await new Promise((r) => setImmediate(r));
    const res = await post('/v1/events', event());
    assert.equal(res.status, 503);
    assert.equal(res.body.code, 'OVERLOADED');
    assert.equal(res.headers['retry-after'], '1');
    recorder.holding = false;
    for (const release of recorder.hold.splice(0)) release();
    assert.deepEqual((await Promise.all(waiting)).map((r) => r.status), [202, 202]);
  });

  test('unknown routes answer 404 NOT_FOUND', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/nothing' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().code, 'NOT_FOUND');
  });

  test('request metrics are labelled by route and status code', async () => {
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /http_requests_total\{method="POST",route="\/v1\/events",status_code="400",service="event-ingestion"\} \d+/);
    assert.match(res.body, /http_request_duration_seconds_bucket\{le="0\.05",service="event-ingestion",method="POST",route="\/v1\/events\/batch",status_code="202"\} [1-9]\d*/);
  });
});
