/**
 * The validation layer of event-ingestion, through `inject`: every kind of bad input gets the
 * right status and body, and nothing invalid reaches the producer. The producer here is a recorder
 * (the Kafka behaviour itself is proven against the real broker in apps/test/event-path.test.ts).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import type { TopicMessages } from 'kafkajs';
import { loadConfig } from '@gamemetrics/service-kit/config.ts';
import type { ErrorBody } from '@gamemetrics/service-kit/errors.ts';
import { createMetrics } from '@gamemetrics/service-kit/metrics.ts';
import { KafkaUnavailableError, type EventSink } from '@gamemetrics/service-kit/producer.ts';
import { buildApp } from '../src/app.ts';
import { checkIngestionConfig, ingestionSchema, type IngestionConfig } from '../src/config.ts';
import { KEY, OTHER_KEY, testEnv } from './env.ts';


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

/** 256 MiB of spaces as 32 concatenated gzip members (gunzip reads them as one stream): 256 KiB, built once. */
let bombBytes: Buffer | undefined;
function bomb(): Buffer {
  bombBytes ??= Buffer.concat(Array(32).fill(gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20), { level: 9 })));
  return bombBytes;
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
    ['a NUL character in a string', () => post('/v1/events', event({ payload: { name: 'a\u0000b' } })), 400, 'INVALID_CHARACTER', ['/payload/name']],
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
    ['a payload nested 10,000 levels deep', () => post('/v1/events', JSON.stringify(event()).replace('"payload":{"score":10}', `"payload":{"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`)), 400, 'NESTING_TOO_DEEP', ['/payload/x/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0']],
    ['a lone UTF-16 surrogate in the payload', () => post('/v1/events', JSON.stringify(event({ payload: { name: 'a\ud800b' } }))), 400, 'INVALID_CHARACTER', ['/payload/name']],
    ['a lone low surrogate in a key', () => post('/v1/events', JSON.stringify(event({ payload: { 'k\udc00': 1 } }))), 400, 'INVALID_CHARACTER', ['/payload/k\\udc00']],
    ['year 0000', () => post('/v1/events', event({ timestamp: '0000-06-01T00:00:00Z' })), 400, 'VALIDATION_FAILED', ['/timestamp']],
    ['a number beyond a double (1e400)', () => post('/v1/events', JSON.stringify(event()).replace('"score":10', '"score":1e400')), 400, 'NUMBER_OUT_OF_RANGE', ['/payload/score']],
    ['a number that underflows to 0 (1e-400)', () => post('/v1/events', JSON.stringify(event()).replace('"score":10', '"score":1e-400')), 400, 'NUMBER_OUT_OF_RANGE', ['/payload/score']],
    ['a duplicate JSON key', () => post('/v1/events', JSON.stringify(event()).replace('"score":10', '"score":10,"score":99')), 400, 'DUPLICATE_KEY', ['/payload/score']],
    ['a duplicate top-level key, spelt with an escape', () => post('/v1/events', JSON.stringify(event()).replace('"type":"score"', '"type":"score","t\\u0079pe":"purchase"')), 400, 'DUPLICATE_KEY', ['/type']],
    [
      'the same event id twice in a batch, in upper and lower case',
      () => {
        const id = randomUUID();
        return post('/v1/events/batch', { events: [event({ eventId: id }), event({ eventId: id.toUpperCase() })] });
      },
      400,
      'VALIDATION_FAILED',
      ['/events/1/eventId'],
    ],
    ['a body that is not gzip, sent as gzip', () => post('/v1/events', JSON.stringify(event()), { 'content-encoding': 'gzip' }), 400, 'INVALID_ENCODING'],
    ['a gzip bomb (256 KiB inflating to 256 MiB)', () => post('/v1/events/batch', bomb(), { 'content-encoding': 'gzip' }), 413, 'PAYLOAD_TOO_LARGE'],
    ['Content-Encoding br', () => post('/v1/events', JSON.stringify(event()), { 'content-encoding': 'br' }), 415, 'UNSUPPORTED_ENCODING'],
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

  test('a gzip bomb is refused in milliseconds, without inflating it', async () => {
    const body = bomb();
    const started = performance.now();
    const res = await post('/v1/events/batch', body, { 'content-encoding': 'gzip' });
    const ms = performance.now() - started;
    assert.equal(res.status, 413);
    // A bound on work, not a speed test: inflating all 256 MiB takes far longer than this.
    assert.ok(ms < 1000, `refused after ${ms.toFixed(0)} ms`);
  });

  test('a gzip-encoded batch is accepted like the plain one', async () => {
    const events = [event(), event()];
    const before = recorder.count();
    const res = await post('/v1/events/batch', gzipSync(JSON.stringify({ events })), { 'content-encoding': 'gzip' });
    assert.equal(res.status, 202);
    assert.deepEqual(res.body, { accepted: 2, eventIds: events.map((e) => e.eventId) });
    assert.equal(recorder.count(), before + 2);
  });

  test('the text \\u0000 (an escaped backslash, not a NUL) is accepted as it is', async () => {
    const e = event({ payload: { path: 'C:\\u0000' } });
    const before = recorder.sent.length;
    const res = await post('/v1/events', JSON.stringify(e));
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.equal(JSON.parse(String(recorder.sent[before][0].messages[0].value)).payload.path, 'C:\\u0000');
  });

  test('a paired surrogate (an emoji written as escapes) and a year 0001 are accepted', async () => {
    const res = await post('/v1/events', JSON.stringify(event({ timestamp: '0001-01-01T00:00:00Z' })).replace('"score":10', '"score":10,"e":"\\ud83c\\udfae"'));
    assert.equal(res.status, 202, JSON.stringify(res.body));
  });

  test('event ids are lower-cased before de-duplication: the answer and the record carry the normal form', async () => {
    const id = randomUUID();
    const before = recorder.sent.length;
    const res = await post('/v1/events/batch', { events: [event({ eventId: id.toUpperCase() })] });
    assert.equal(res.status, 202);
    assert.deepEqual(res.body, { accepted: 1, eventIds: [id] });
    assert.equal(JSON.parse(String(recorder.sent[before][0].messages[0].value)).eventId, id);
  });

  for (const method of ['GET', 'PUT', 'DELETE'] as const)
    for (const url of ['/v1/events', '/v1/events/batch'])
      test(`${method} ${url}: 405 with Allow: POST`, async () => {
        const res = await app.inject({ method, url, headers: { 'x-api-key': KEY } });
        assert.equal(res.statusCode, 405);
        assert.equal(res.headers.allow, 'POST');
        assert.equal(res.json().code, 'METHOD_NOT_ALLOWED');
      });

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
