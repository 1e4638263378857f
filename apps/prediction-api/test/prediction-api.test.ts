/**
 * prediction-api on real PostgreSQL, Redis and MinIO, configured by rendered/dev (apps/test/prediction-fixture.ts): two instances
 * share the database, Redis and the model store; time is the test's clock, never slept through.
 */
// First: the coverage of ../src starts before those modules run.
import { lineCoverage } from './line-coverage.ts';
import assert from 'node:assert/strict';
import { createHmac, createPublicKey, generateKeyPairSync, randomUUID, sign, verify } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { trainAndPublish } from '../../model-training/src/publish.ts';
import { modelKeys } from '@gamemetrics/service-kit/model-registry.ts';
import { parseRateLimits, type RateLimits } from '../src/rate-limit-config.ts';
import { limitKeys, windowMs } from '../src/rate-limiter.ts';
import { activeUsersKey } from '../src/active-users.ts';
import { buildApp } from '../src/app.ts';
import { inputSchema } from '@gamemetrics/service-kit/geo-model.ts';
import { call, startFixture, type Fixture, type Instance } from '../../test/prediction-fixture.ts';
import { openApiValidator } from '../../test/openapi-validator.ts';

/** The control's floor (CIC-16); the suite measures well above it. */
const COVERAGE_FLOOR_PERCENT = 60;

let fx: Fixture;
let a: Instance;
let b: Instance;
let limits: RateLimits;
let redis: Redis;

const SAMPLE = { latitude: 48.14, longitude: 11.58, temperatureC: 21, humidityPct: 55, pm25: 8, windSpeedMs: 3 };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const apiKey = (key: string) => ({ 'x-api-key': key });

/** Poll until `probe` returns a value (no timing assertion: only a generous deadline). */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await sleep(50);
  }
}

interface Account {
  /** A new access token (the test's clock runs on, so stored tokens expire). */
  fresh(): Promise<string>;
  id: string;
  username: string;
  password: string;
  token: string;
  refresh: string;
  key: string;
  keyId: string;
}

/** Register, move to `tier` (billing does this in the database), optionally grant roles, sign in, create a key. */
async function account(tier: string, roles: string[] = []): Promise<Account> {
  const username = `u-${randomUUID().slice(0, 12)}`;
  const password = `pw-${randomUUID()}`;
  const reg = await call(`${a.url}/v1/auth/register`, { body: { username, password } });
  assert.equal(reg.status, 201, JSON.stringify(reg.body));
  await fx.admin.query('UPDATE geo_users SET tier = $2 WHERE id = $1', [reg.body.id, tier]);
  for (const role of roles) await fx.admin.query('INSERT INTO geo_user_roles (user_id, role) VALUES ($1, $2)', [reg.body.id, role]);
  const tok = await call(`${b.url}/v1/oauth/token`, { form: { grant_type: 'password', username, password } });
  assert.equal(tok.status, 200, JSON.stringify(tok.body));
  const key = await call(`${a.url}/v1/api-keys`, { headers: bearer(tok.body.access_token), body: { name: 'test' } });
  assert.equal(key.status, 201, JSON.stringify(key.body));
  assert.equal(key.body.tier, tier);
  const fresh = async () => (await call(`${a.url}/v1/oauth/token`, { form: { grant_type: 'password', username, password } })).body.access_token as string;
  return { fresh, id: reg.body.id, username, password, token: tok.body.access_token, refresh: tok.body.refresh_token, key: key.body.key, keyId: key.body.id };
}

/** `n` predictions with `key`, alternating the two instances, 25 at a time; the responses in order. */
async function predictions(key: string, n: number, path = '/v1/predict', body: unknown = SAMPLE) {
  const out: Array<{ status: number; headers: Headers; body: any; instance: string }> = [];
  for (let i = 0; i < n; i += 25) {
    const chunk = Array.from({ length: Math.min(25, n - i) }, (_, j) => {
      const target = (i + j) % 2 === 0 ? a : b;
      return call(`${target.url}${path}`, { headers: apiKey(key), body }).then((r) => ({ ...r, instance: target === a ? 'a' : 'b' }));
    });
    out.push(...(await Promise.all(chunk)));
  }
  return out;
}

function assertAllOk(responses: Array<{ status: number; body: any; instance: string }>, what: string): void {
  const bad = responses.filter((r) => r.status !== 200);
  assert.deepEqual(bad.map((r) => `${r.status} ${r.body?.code}`), [], `${what}: every request served`);
  assert.ok(responses.some((r) => r.instance === 'a') && responses.some((r) => r.instance === 'b'), `${what}: both instances served`);
}

async function metric(instance: Instance, name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${instance.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line ? Number(line.split(' ').pop()) : 0;
}

interface Series {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Every sample of an instance's /metrics (Prometheus text format 0.0.4), parsed. */
async function scrape(instance: Instance): Promise<Series[]> {
  const res = await fetch(`${instance.url}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const out: Series[] = [];
  for (const line of (await res.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, `not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

const sumOf = (series: Series[], name: string, labels: Record<string, string> = {}) =>
  series.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((n, s) => n + s.value, 0);

let adminAccount: Account;
let firstVersion: string;

before(async () => {
  fx = await startFixture();
  a = await fx.start();
  b = await fx.start();
  limits = parseRateLimits(fx.env as any).limits;
  redis = new Redis(fx.redis.port, fx.redis.host, { password: fx.env.REDIS_PASSWORD, lazyConnect: true });
  redis.on('error', () => undefined);
  await redis.connect();
  // A model in service for the tier tests; the model suite promotes others.
  firstVersion = (await trainAndPublish(fx.store, { seed: 1, samples: 3000, now: new Date(fx.clock.now) })).version;
  adminAccount = await account('enterprise', ['model-admin']);
  const promoted = await call(`${a.url}/v1/models/${firstVersion}/promote`, { method: 'POST', headers: bearer(await adminAccount.fresh()) });
  assert.equal(promoted.status, 200, JSON.stringify(promoted.body));
});

after(async () => {
  redis?.disconnect();
  await fx?.stop();
});

describe('contract', () => {
  test('the instances run on exactly the rendered ConfigMap and Secret references, and are ready', async () => {
    assert.equal(fx.rendered.config.RATE_LIMIT_TIERS, 'free=60/1000/100,basic=300/10000/500,pro=1000/100000/2000,enterprise=unlimited/unlimited/unlimited');
    assert.deepEqual(fx.rendered.secretRefs.map((r) => r.env).sort(), ['JWT_SIGNING_KEY', 'MAIL_RELAY_SECRET', 'MAIL_RELAY_URL', 'PGPASSWORD', 'REDIS_PASSWORD', 'REDIS_USERNAME', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY']);
    assert.deepEqual(fx.rendered.secretRefs.filter((r) => r.env.startsWith('MAIL_RELAY_')).map((r) => [r.env, r.secret, r.key]).sort(), [
      ['MAIL_RELAY_SECRET', 'prediction-api-mail-relay', 'secret'],
      ['MAIL_RELAY_URL', 'prediction-api-mail-relay', 'url'],
    ]);
    for (const instance of [a, b]) {
      const ready = await call(`${instance.url}/readyz`);
      assert.equal(ready.status, 200, JSON.stringify(ready.body));
      assert.deepEqual(ready.body.checks, { postgres: 'up' });
    }
  });

  test('a route that declares neither a permission nor public refuses to be added', async () => {
    const { loadConfig } = await import('@gamemetrics/service-kit/config.ts');
    const { predictionSchema, checkPredictionConfig } = await import('../src/config.ts');
    const { createMetrics } = await import('@gamemetrics/service-kit/metrics.ts');
    const config = loadConfig<any>('prediction-api', predictionSchema, { ...fx.env, PORT: '0' }, checkPredictionConfig);
    const app = buildApp(config, { pool: {} as any, redis: {} as any, store: fx.store, metrics: createMetrics('t', false) });
    assert.throws(() => app.get('/v1/forgotten', async () => ({})), /route GET \/v1\/forgotten declares neither a permission nor public: true/);
    await app.close();
  });
});

describe('the OpenAPI document (GET /v1/openapi.json, committed as apps/prediction-api/openapi.json)', () => {
  const committed = join(import.meta.dirname, '..', 'openapi.json');

  test('is served without credentials, is valid OpenAPI 3.1, and describes every /v1 route with who may call it', async () => {
    const served = await call(`${a.url}/v1/openapi.json`);
    assert.equal(served.status, 200);
    const doc = served.body;
    const validate = openApiValidator();
    assert.equal(validate(doc), true, JSON.stringify(validate.errors));
    assert.equal(validate({ ...doc, info: undefined }), false, 'the validator refuses a document without info');
    const badBody = structuredClone(doc);
    badBody.paths['/v1/predict'].post.requestBody.content['application/json'].schema = { type: 'object', required: 'latitude' };
    assert.equal(validate(badBody), false, 'and a body schema that is not JSON Schema');
    const operations = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`)).sort();
    assert.deepEqual(operations, [
      'DELETE /v1/api-keys/{id}', 'GET /v1/.well-known/jwks.json', 'GET /v1/api-keys', 'GET /v1/models', 'GET /v1/openapi.json',
      'POST /v1/api-keys', 'POST /v1/auth/password-reset', 'POST /v1/auth/password-reset/confirm', 'POST /v1/auth/register', 'POST /v1/models/{version}/promote', 'POST /v1/oauth/revoke', 'POST /v1/oauth/token',
      'POST /v1/predict', 'POST /v1/predict/batch',
    ]);
    const promote = doc.paths['/v1/models/{version}/promote'].post;
    assert.equal(promote['x-permission'], 'models:promote');
    assert.deepEqual(promote.security, [{ apiKey: [] }, { bearer: [] }]);
    assert.deepEqual(promote.parameters.map((p: any) => [p.name, p.in, p.required]), [['version', 'path', true]]);
    assert.deepEqual(doc.paths['/v1/oauth/token'].post.security, [], 'the token endpoint needs no credentials');
    assert.deepEqual(doc.paths['/v1/predict'].post.requestBody.content['application/json'].schema, inputSchema, 'the body schema is the one the route validates with');
    assert.equal(doc.paths['/v1/predict/batch'].post.requestBody.content['application/json'].schema.properties.items.maxItems, Number(fx.env.MAX_BATCH_ITEMS ?? 100));
    assert.ok(Object.values(doc.paths as Record<string, Record<string, any>>).every((methods) => Object.values(methods).every((op) => typeof op.summary === 'string' && op.summary.length > 5)), 'every operation has a summary');
  });

  test('the committed copy is the document the rendered configuration serves (UPDATE_OPENAPI=1 rewrites it)', async () => {
    const served = `${JSON.stringify((await call(`${a.url}/v1/openapi.json`)).body, null, 2)}\n`;
    if (process.env.UPDATE_OPENAPI === '1') writeFileSync(committed, served);
    assert.equal(readFileSync(committed, 'utf8'), served, 'apps/prediction-api/openapi.json is stale: run UPDATE_OPENAPI=1 node --test apps/prediction-api/test/prediction-api.test.ts and commit it');
  });
});

describe('active users per UTC day (prediction_active_users)', () => {
  test('an account counts once per day however often and wherever it calls; both replicas report the shared count', async () => {
    const before = await metric(a, 'prediction_active_users', 'window="day"');
    const one = await account('free');
    const two = await account('basic');
    for (const instance of [a, b, a]) assert.equal((await call(`${instance.url}/v1/models`, { headers: bearer(await one.fresh()) })).status, 200);
    assert.equal((await call(`${b.url}/v1/models`, { headers: bearer(await two.fresh()) })).status, 200);
    // Each replica adds an account to the day's set in the background: poll the scrape, never a timing assertion.
    let counts: number[] = [];
    for (let i = 0; i < 100; i++) {
      counts = [await metric(a, 'prediction_active_users', 'window="day"'), await metric(b, 'prediction_active_users', 'window="day"')];
      if (counts.every((c) => c === before + 2)) break;
      await sleep(50);
    }
    assert.deepEqual(counts, [before + 2, before + 2]);
    const stranger = await call(`${a.url}/v1/models`, { headers: { 'x-api-key': 'gk_not-a-key' } });
    assert.equal(stranger.status, 401);
    assert.equal(await metric(a, 'prediction_active_users', 'window="day"'), before + 2, 'a refused caller is not an active user');
    const day = new Date(fx.clock.now).toISOString().slice(0, 10);
    assert.ok((await redis.ttl(activeUsersKey(day))) > 2 * 86_400, 'the day\'s set expires after three days');
  });
});

describe('authentication and authorisation', () => {
  let user: Account;
  before(async () => {
    user = await account('free');
  });

  test('an access token works on both instances; its signature verifies with the published JWKS', async () => {
    for (const instance of [a, b]) assert.equal((await call(`${instance.url}/v1/api-keys`, { headers: bearer(user.token) })).status, 200);
    const jwks = await call(`${b.url}/v1/.well-known/jwks.json`);
    const [head, body, sig] = user.token.split('.');
    const header = JSON.parse(Buffer.from(head, 'base64url').toString());
    assert.equal(header.alg, 'EdDSA');
    const jwk = jwks.body.keys.find((k: any) => k.kid === header.kid);
    assert.ok(verify(null, Buffer.from(`${head}.${body}`), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(sig, 'base64url')));
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    assert.equal(claims.sub, user.id);
    assert.deepEqual(claims.perms, ['api-keys:manage', 'models:read', 'predictions:create']);
  });

  test('wrong password and unknown user: 401 INVALID_CREDENTIALS', async () => {
    for (const form of [{ username: user.username, password: 'not-the-password' }, { username: 'nobody-here', password: 'whatever-password' }]) {
      const r = await call(`${a.url}/v1/oauth/token`, { form: { grant_type: 'password', ...form } });
      assert.equal(r.status, 401);
      assert.equal(r.body.code, 'INVALID_CREDENTIALS');
    }
  });

  test('an expired access token: 401 TOKEN_EXPIRED', async () => {
    const fresh = await call(`${a.url}/v1/oauth/token`, { body: { grant_type: 'password', username: user.username, password: user.password } });
    fx.clock.advance(Number(fx.env.ACCESS_TOKEN_TTL_S ?? 900) * 1000 + 1000);
    const r = await call(`${b.url}/v1/api-keys`, { headers: bearer(fresh.body.access_token) });
    assert.equal(r.status, 401);
    assert.equal(r.body.code, 'TOKEN_EXPIRED');
    assert.match(r.headers.get('www-authenticate') ?? '', /^Bearer/);
  });

  describe('tampered claims, alg none, HS256 keyed with the public key, another key, not a JWT: each 401 with its code', () => {
    const forged = new Map<string, string>();
    before(async () => {
      const fresh = (await call(`${a.url}/v1/oauth/token`, { form: { grant_type: 'password', username: user.username, password: user.password } })).body.access_token as string;
      const [head, body, sig] = fresh.split('.');
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
      const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const header = JSON.parse(Buffer.from(head, 'base64url').toString());
      const elevated = enc({ ...claims, tier: 'enterprise', perms: [...claims.perms, 'models:promote'] });
      const jwk = (await call(`${a.url}/v1/.well-known/jwks.json`)).body.keys[0];
      const publicPem = createPublicKey({ key: jwk, format: 'jwk' }).export({ format: 'pem', type: 'spki' }).toString();
      const hsHead = enc({ alg: 'HS256', typ: 'JWT', kid: header.kid });
      const other = generateKeyPairSync('ed25519').privateKey;
      forged.set('elevated claims under the original signature', `${head}.${elevated}.${sig}`);
      forged.set('alg none', `${enc({ alg: 'none', typ: 'JWT' })}.${elevated}.`);
      forged.set('HS256 keyed with the public key', `${hsHead}.${elevated}.${createHmac('sha256', publicPem).update(`${hsHead}.${elevated}`).digest('base64url')}`);
      forged.set('signed by another Ed25519 key', `${head}.${elevated}.${sign(null, Buffer.from(`${head}.${elevated}`), other).toString('base64url')}`);
      forged.set('not a JWT', 'not-a-jwt');
    });
    const cases: Array<[string, string]> = [
      ['elevated claims under the original signature', 'TOKEN_SIGNATURE_INVALID'],
      ['alg none', 'TOKEN_ALGORITHM_REJECTED'],
      ['HS256 keyed with the public key', 'TOKEN_ALGORITHM_REJECTED'],
      ['signed by another Ed25519 key', 'TOKEN_SIGNATURE_INVALID'],
      ['not a JWT', 'TOKEN_MALFORMED'],
    ];
    for (const [what, code] of cases)
      test(`${what}: 401 ${code}, counted`, async () => {
        const before = await metric(a, 'auth_failures_total', `code="${code}"`);
        const r = await call(`${a.url}/v1/models/${firstVersion}/promote`, { method: 'POST', headers: bearer(forged.get(what)!) });
        assert.equal(r.status, 401, `${code}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.code, code);
        assert.equal(await metric(a, 'auth_failures_total', `code="${code}"`), before + 1);
      });
  });

  test('refresh rotates; a used refresh token again revokes the family (401 REFRESH_TOKEN_REUSED); expiry', async () => {
    const login = await call(`${a.url}/v1/oauth/token`, { form: { grant_type: 'password', username: user.username, password: user.password } });
    const first = login.body.refresh_token;
    const rotated = await call(`${b.url}/v1/oauth/token`, { form: { grant_type: 'refresh_token', refresh_token: first } });
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    assert.notEqual(rotated.body.refresh_token, first);
    assert.equal((await call(`${a.url}/v1/api-keys`, { headers: bearer(rotated.body.access_token) })).status, 200);
    const replay = await call(`${a.url}/v1/oauth/token`, { form: { grant_type: 'refresh_token', refresh_token: first } });
    assert.equal(replay.status, 401);
    assert.equal(replay.body.code, 'REFRESH_TOKEN_REUSED');
    // The rotated token belonged to the same family: revoked with it.
    const afterReuse = await call(`${b.url}/v1/oauth/token`, { form: { grant_type: 'refresh_token', refresh_token: rotated.body.refresh_token } });
    assert.equal(afterReuse.body.code, 'REFRESH_TOKEN_REVOKED');
    const audit = await fx.admin.query("SELECT count(*)::int AS n FROM geo_audit_log WHERE action = 'refresh-token.reuse-detected' AND actor = $1", [`user:${user.id}`]);
    assert.ok(audit.rows[0].n >= 1);
    // Expiry: a new session's refresh token, 30 days and a second later.
    const other = await call(`${a.url}/v1/oauth/token`, { form: { grant_type: 'password', username: user.username, password: user.password } });
    fx.clock.advance(Number(fx.env.REFRESH_TOKEN_TTL_S ?? 2592000) * 1000 + 1000);
    const expired = await call(`${b.url}/v1/oauth/token`, { form: { grant_type: 'refresh_token', refresh_token: other.body.refresh_token } });
    assert.equal(expired.status, 401);
    assert.equal(expired.body.code, 'REFRESH_TOKEN_EXPIRED');
    const unknown = await call(`${b.url}/v1/oauth/token`, { form: { grant_type: 'refresh_token', refresh_token: `rt_${randomUUID()}.${'A'.repeat(43)}` } });
    assert.equal(unknown.body.code, 'REFRESH_TOKEN_INVALID');
    // Logout revokes the session's refresh token on every replica.
    const session = await call(`${a.url}/v1/oauth/token`, { form: { grant_type: 'password', username: user.username, password: user.password } });
    assert.equal((await call(`${a.url}/v1/oauth/revoke`, { form: { token: session.body.refresh_token } })).status, 200);
    const afterLogout = await call(`${b.url}/v1/oauth/token`, { form: { grant_type: 'refresh_token', refresh_token: session.body.refresh_token } });
    assert.equal(afterLogout.status, 401);
    assert.equal(afterLogout.body.code, 'REFRESH_TOKEN_REVOKED');
  });

  test('API keys: stored hashed; revoked and unknown keys 401 with their codes; no credentials 401', async () => {
    const k = await account('basic');
    const stored = await fx.admin.query('SELECT key_hash FROM geo_api_keys WHERE id = $1', [k.keyId]);
    assert.equal(stored.rows[0].key_hash.length, 32);
    assert.ok(!stored.rows[0].key_hash.toString('utf8').includes(k.key.slice(3, 20)));
    assert.equal((await call(`${a.url}/v1/predict`, { headers: apiKey(k.key), body: SAMPLE })).status, 200);
    assert.equal((await call(`${b.url}/v1/predict`, { headers: bearer(k.key), body: SAMPLE })).status, 200);
    const listed = await call(`${a.url}/v1/api-keys`, { headers: bearer(k.token) });
    assert.deepEqual(listed.body.keys.map((x: any) => [x.id, x.tier, x.revokedAt]), [[k.keyId, 'basic', null]]);
    assert.equal((await call(`${b.url}/v1/api-keys/${k.keyId}`, { method: 'DELETE', headers: bearer(k.token) })).status, 204);
    // Refused at once where it was revoked; on the other replica once its key cache (API_KEY_CACHE_TTL_MS) lapses.
    const here = await call(`${b.url}/v1/predict`, { headers: apiKey(k.key), body: SAMPLE });
    assert.equal(here.status, 401);
    assert.equal(here.body.code, 'API_KEY_REVOKED');
    fx.clock.advance(Number(fx.env.API_KEY_CACHE_TTL_MS ?? 5000) + 1);
    const there = await call(`${a.url}/v1/predict`, { headers: apiKey(k.key), body: SAMPLE });
    assert.equal(there.status, 401);
    assert.equal(there.body.code, 'API_KEY_REVOKED');
    const unknown = await call(`${a.url}/v1/predict`, { headers: apiKey(`gk_${'x'.repeat(43)}`), body: SAMPLE });
    assert.equal(unknown.body.code, 'API_KEY_UNKNOWN');
    const none = await call(`${a.url}/v1/predict`, { body: SAMPLE });
    assert.equal(none.status, 401);
    assert.equal(none.body.code, 'MISSING_CREDENTIALS');
    // Someone else's key cannot be revoked by this account.
    assert.equal((await call(`${a.url}/v1/api-keys/${adminAccount.keyId}`, { method: 'DELETE', headers: bearer(k.token) })).status, 404);
  });

  test('a permission the roles do not grant: 403 naming it, for token and key alike', async () => {
    for (const headers of [bearer(await user.fresh()), apiKey(user.key)]) {
      const r = await call(`${b.url}/v1/models/${firstVersion}/promote`, { method: 'POST', headers });
      assert.equal(r.status, 403);
      assert.equal(r.body.code, 'PERMISSION_DENIED');
      assert.match(r.body.message, /"models:promote"/);
    }
  });
});

describe('password reset through a one-time token sent to the mail relay', () => {
  const RESET_TTL_MS = () => Number(fx.env.PASSWORD_RESET_TTL_S ?? 1800) * 1000;
  async function withEmail() {
    const username = `r-${randomUUID().slice(0, 12)}`;
    const email = `${username}@Example.org`;
    const password = `pw-${randomUUID()}`;
    const reg = await call(`${a.url}/v1/auth/register`, { body: { username, password, email } });
    assert.equal(reg.status, 201, JSON.stringify(reg.body));
    assert.equal(reg.body.email, email);
    return { id: reg.body.id as string, username, email, password };
  }
  /** Ask on `instance`; the token from the mail the relay received. */
  async function requestToken(email: string, instance = a) {
    const since = fx.relay.messages.length;
    const r = await call(`${instance.url}/v1/auth/password-reset`, { body: { email } });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    return fx.relay.waitFor(email, since);
  }
  const login = (username: string, password: string, instance = a) => call(`${instance.url}/v1/oauth/token`, { form: { grant_type: 'password', username, password } });
  const outcomes = async () => Object.fromEntries((await scrape(a)).filter((x) => x.name === 'password_reset_requests_total').map((x) => [x.labels.outcome, x.value]));

  test('the token reaches the relay, stored only as its digest; it sets a new password once and ends every session', async () => {
    const user = await withEmail();
    const session = await login(user.username, user.password);
    assert.equal(session.status, 200);
    const mail = await requestToken(user.email.toLowerCase(), b); // the address in any case
    assert.equal(mail.headers.authorization, `Bearer ${fx.relay.secret}`);
    assert.equal(mail.body.to, user.email);
    assert.equal(mail.body.template, 'password-reset');
    assert.equal(mail.body.variables.username, user.username);
    const token = mail.body.variables.token as string;
    assert.match(token, /^pr_[A-Za-z0-9_-]{43}$/);
    assert.ok(mail.body.text.includes(token));
    assert.equal(Date.parse(mail.body.variables.expiresAt), fx.clock.now + RESET_TTL_MS(), 'expires PASSWORD_RESET_TTL_S (30 min) from now');
    const stored = await fx.admin.query('SELECT id, token_hash, expires_at, used_at FROM geo_password_resets WHERE user_id = $1', [user.id]);
    assert.equal(stored.rows.length, 1);
    assert.equal(mail.headers['idempotency-key'], stored.rows[0].id);
    assert.equal(stored.rows[0].token_hash.length, 32);
    assert.ok(!JSON.stringify(stored.rows).includes(token.slice(3, 20)), 'the token itself is not stored');

    const newPassword = `new-${randomUUID()}`;
    const confirmed = await call(`${a.url}/v1/auth/password-reset/confirm`, { body: { token, password: newPassword } });
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    assert.deepEqual(confirmed.body, { reset: true, sessionsRevoked: 1 });
    assert.equal((await login(user.username, user.password, b)).body.code, 'INVALID_CREDENTIALS', 'the old password no longer works');
    assert.equal((await login(user.username, newPassword, b)).status, 200, 'the new one does');
    const refreshed = await call(`${b.url}/v1/oauth/token`, { form: { grant_type: 'refresh_token', refresh_token: session.body.refresh_token } });
    assert.equal(refreshed.status, 401);
    assert.equal(refreshed.body.code, 'REFRESH_TOKEN_REVOKED', 'the session from before the reset has ended');
    const again = await call(`${b.url}/v1/auth/password-reset/confirm`, { body: { token, password: `other-${randomUUID()}` } });
    assert.deepEqual([again.status, again.body.code], [400, 'RESET_TOKEN_USED'], 'the token works once');
    const audit = await fx.admin.query("SELECT detail FROM geo_audit_log WHERE action = 'password.reset' AND actor = $1", [`user:${user.id}`]);
    assert.deepEqual(audit.rows.map((r) => r.detail), [{ refreshTokensRevoked: 1 }]);
  });

  test('an unknown address gets the same 202 and no mail; a second request within a minute sends none; an expired token is refused', async () => {
    const before = await outcomes();
    const stranger = await call(`${a.url}/v1/auth/password-reset`, { body: { email: `nobody-${randomUUID()}@example.org` } });
    const user = await withEmail();
    const known = await call(`${a.url}/v1/auth/password-reset`, { body: { email: user.email } });
    assert.deepEqual([stranger.status, stranger.body], [known.status, known.body], 'the answer does not tell whether an account has the address');
    assert.equal(known.status, 202);
    const first = await fx.relay.waitFor(user.email);
    await eventually('the unknown address counted', async () => ((await outcomes()).unknown === (before.unknown ?? 0) + 1 ? true : undefined));
    // Within RESET_THROTTLE_S the first token is still good: no second mail.
    const count = fx.relay.messages.length;
    assert.equal((await call(`${b.url}/v1/auth/password-reset`, { body: { email: user.email } })).status, 202);
    await eventually('the repeat counted as throttled', async () => ((await metric(b, 'password_reset_requests_total', 'outcome="throttled"')) >= 1 ? true : undefined));
    assert.equal(fx.relay.messages.filter((m) => m.body.to === user.email).length, 1);
    assert.ok(fx.relay.messages.length >= count);
    // Past its expiry the token is refused, and the password is unchanged.
    fx.clock.advance(RESET_TTL_MS() + 1000);
    const late = await call(`${a.url}/v1/auth/password-reset/confirm`, { body: { token: first.body.variables.token, password: `late-${randomUUID()}` } });
    assert.deepEqual([late.status, late.body.code], [400, 'RESET_TOKEN_EXPIRED']);
    assert.equal((await login(user.username, user.password)).status, 200);
    // A new request then sends a new token, and the new one works.
    const second = await requestToken(user.email);
    assert.notEqual(second.body.variables.token, first.body.variables.token);
    const ok = await call(`${b.url}/v1/auth/password-reset/confirm`, { body: { token: second.body.variables.token, password: `fresh-${randomUUID()}` } });
    assert.deepEqual([ok.status, ok.body.sessionsRevoked], [200, 1], 'the login above was a session, and it ended');
  });

  const badInput: Array<[string, unknown, string, string?]> = [
    ['/v1/auth/password-reset', { email: 'not-an-address' }, 'VALIDATION_FAILED', '/email'],
    ['/v1/auth/password-reset', { email: 'a@example.org', username: 'x' }, 'VALIDATION_FAILED', '/username'],
    ['/v1/auth/password-reset/confirm', { token: 'pr_x', password: 'short' }, 'VALIDATION_FAILED', '/password'],
    ['/v1/auth/password-reset/confirm', { password: 'long-enough-password' }, 'VALIDATION_FAILED', '/token'],
    ['/v1/auth/password-reset/confirm', { token: 'not-a-token', password: 'long-enough-password' }, 'RESET_TOKEN_INVALID'],
    ['/v1/auth/password-reset/confirm', { token: `pr_${'A'.repeat(43)}`, password: 'long-enough-password' }, 'RESET_TOKEN_INVALID'],
  ];
  for (const [path, body, code, field] of badInput)
    test(`${path} ${JSON.stringify(body)} → 400 ${code}${field ? ` naming ${field}` : ''}`, async () => {
      const r = await call(`${a.url}${path}`, { body });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.code, code);
      if (field) assert.ok(r.body.errors?.some((e: any) => e.path === field), `names ${field}: ${JSON.stringify(r.body.errors)}`);
    });

  test('a taken address: 409 EMAIL_TAKEN; a relay that refuses: 202, counted, and the next request is not throttled', async () => {
    const user = await withEmail();
    const taken = await call(`${a.url}/v1/auth/register`, { body: { username: `x-${randomUUID().slice(0, 8)}`, password: 'long-enough-password', email: user.email.toUpperCase() } });
    assert.deepEqual([taken.status, taken.body.code], [409, 'EMAIL_TAKEN']);

    const failedBefore = (await outcomes()).delivery_failed ?? 0;
    fx.relay.respondWith(503);
    try {
      assert.equal((await call(`${a.url}/v1/auth/password-reset`, { body: { email: user.email } })).status, 202);
      await eventually('the failed delivery counted', async () => ((await outcomes()).delivery_failed === failedBefore + 1 ? true : undefined));
    } finally {
      fx.relay.respondWith(202);
    }
    const open = await fx.admin.query('SELECT count(*)::int AS n FROM geo_password_resets WHERE user_id = $1', [user.id]);
    assert.equal(open.rows[0].n, 0, 'the undelivered reset is dropped');
    const mail = await requestToken(user.email);
    assert.match(mail.body.variables.token, /^pr_/);
  });
});

describe('rate-limit tiers, two instances on one Redis, time driven by the test', () => {
  const untilMidnight = () => Math.ceil((86_400_000 - (fx.clock.now % 86_400_000)) / 1000);

  async function refused(key: string, code: string, path = '/v1/predict', body: unknown = SAMPLE) {
    const r = await call(`${b.url}${path}`, { headers: apiKey(key), body });
    assert.equal(r.status, 429, JSON.stringify(r.body));
    assert.equal(r.body.code, code);
    return r;
  }

  for (const name of ['free', 'basic', 'pro']) {
    test(`${name}: the sliding window, its Retry-After and the daily quota hold across both instances`, async () => {
      const tier = limits.tiers.get(name)!;
      const [perMinute, burst, quota] = [tier.perMinute!, tier.burst!, tier.perDay!];
      const span = windowMs(burst, perMinute);
      assert.equal(span, (burst / perMinute) * 60_000);
      const half = burst / 2;
      const k = await account(name);
      // Half the burst at t0, the other half half a window later: the window is full.
      const first = await predictions(k.key, half);
      assertAllOk(first, `${name} first half`);
      assert.equal(first[0].headers.get('ratelimit-limit'), String(burst));
      assert.equal(first[0].headers.get('ratelimit-policy'), `${burst};w=${span / 1000}, ${quota};w=86400`);
      // Each allowed request saw the shared count: remaining runs from burst - 1 down, once each, over both instances.
      assert.deepEqual(first.map((r) => Number(r.headers.get('ratelimit-remaining'))).sort((x, y) => y - x), Array.from({ length: half }, (_, i) => burst - 1 - i));
      assert.ok(first.every((r) => r.headers.get('ratelimit-reset') === String(span / 1000)));
      fx.clock.advance(span / 2);
      assertAllOk(await predictions(k.key, half), `${name} second half`);
      const over = await refused(k.key, 'RATE_LIMITED');
      // The next request fits when the first half leaves the window, half a window from now.
      assert.equal(over.headers.get('retry-after'), String(span / 2000));
      assert.equal(over.headers.get('ratelimit-reset'), String(span / 2000));
      assert.equal(over.headers.get('ratelimit-remaining'), '0');
      fx.clock.advance(span / 2 - 1000);
      assert.equal((await refused(k.key, 'RATE_LIMITED')).headers.get('retry-after'), '1', 'a second before, still full');
      // One window after t0 exactly the first half fits again, not the whole burst: the window slides, it is not reset.
      fx.clock.advance(1000);
      assertAllOk(await predictions(k.key, half), `${name} the first half slid out`);
      assert.equal((await refused(k.key, 'RATE_LIMITED')).headers.get('retry-after'), String(span / 2000));
      let used = 3 * half;
      // Daily quota. free spends it for real; for basic and pro the test books what earlier requests of
      // the day would have used (10,000 and 100,000 requests), leaving 3.
      if (name === 'free') {
        while (used < quota) {
          fx.clock.advance(span);
          const n = Math.min(burst, quota - used);
          assertAllOk(await predictions(k.key, n), `${name} towards the quota`);
          used += n;
        }
      } else {
        await redis.set(limitKeys.daily(`key:${k.keyId}`, fx.clock.now), String(quota - 3));
        fx.clock.advance(span);
        assertAllOk(await predictions(k.key, 3), `${name} last three of the day`);
      }
      fx.clock.advance(span); // the window is empty: only the quota refuses
      const spent = await refused(k.key, 'DAILY_QUOTA_EXCEEDED');
      assert.equal(spent.headers.get('retry-after'), String(untilMidnight()));
      assert.equal(spent.headers.get('ratelimit-remaining'), '0');
      // The next UTC day starts afresh.
      fx.clock.advance(untilMidnight() * 1000 + 1000);
      assertAllOk(await predictions(k.key, 2), `${name} next day`);
    });
  }

  test('enterprise is never limited: more than any burst at one instant, batches beyond the endpoint limit', async () => {
    const k = await account('enterprise');
    const many = await predictions(k.key, 2001);
    assertAllOk(many, 'enterprise');
    assert.ok(many.every((r) => r.headers.get('ratelimit-limit') === null));
    assertAllOk(await predictions(k.key, 70, '/v1/predict/batch', { items: [SAMPLE] }), 'enterprise batches');
    assert.ok((await metric(a, 'rate_limit_decisions_total', 'verdict="unlimited"')) > 0);
  });

  test('the per-endpoint limit of POST /v1/predict/batch holds on top of the tier', async () => {
    const endpoint = limits.endpoints.get('POST /v1/predict/batch')!;
    const k = await account('pro');
    assertAllOk(await predictions(k.key, endpoint.burst, '/v1/predict/batch', { items: [SAMPLE, SAMPLE] }), 'batch burst');
    const r = await refused(k.key, 'ENDPOINT_RATE_LIMITED', '/v1/predict/batch', { items: [SAMPLE] });
    // All at one instant: the first leaves the endpoint's window (60 in 60 s) a whole window later.
    assert.equal(r.headers.get('retry-after'), String(windowMs(endpoint.burst, endpoint.perMinute) / 1000));
    assert.match(r.headers.get('ratelimit-policy') ?? '', new RegExp(`, ${endpoint.burst};w=60;endpoint="POST /v1/predict/batch"$`));
    // The single endpoint still has the tier's window.
    assert.equal((await call(`${a.url}/v1/predict`, { headers: apiKey(k.key), body: SAMPLE })).status, 200);
  });

  test('Redis stopped: the declared mode (open) serves unlimited; a fail-closed instance refuses with 503; both recover', async () => {
    assert.equal(fx.env.RATE_LIMIT_WHEN_REDIS_DOWN, 'open', 'the model declares fail-open for prediction-api');
    const closed = await fx.start({ RATE_LIMIT_WHEN_REDIS_DOWN: 'closed' });
    const k = await account('free');
    try {
      await fx.redis.stopServer();
      const served = await predictions(k.key, 150); // more than the free burst
      assertAllOk(served, 'fail-open');
      assert.ok(served.every((r) => r.headers.get('ratelimit-limit') === null));
      assert.ok((await metric(a, 'rate_limit_backend_failures_total', 'mode="open"')) > 0);
      assert.equal(await metric(a, 'circuit_breaker_state', 'dependency="redis"'), 2);
      const refusedClosed = await call(`${closed.url}/v1/predict`, { headers: apiKey(k.key), body: SAMPLE });
      assert.equal(refusedClosed.status, 503);
      assert.equal(refusedClosed.body.code, 'RATE_LIMITER_UNAVAILABLE');
      assert.equal((await call(`${closed.url}/readyz`)).status, 503);
      assert.equal((await call(`${a.url}/readyz`)).status, 200);
      assert.ok((await metric(closed, 'rate_limit_backend_failures_total', 'mode="closed"')) > 0);

      await fx.redis.restart();
      // Once the breaker's open time has passed (on the test's clock) and the client is back, limits apply again.
      await eventually('limits enforced again after Redis is back', async () => {
        fx.clock.advance(Number(fx.env.BREAKER_OPEN_MS ?? 5000) + 1);
        const r = await call(`${a.url}/v1/predict`, { headers: apiKey(k.key), body: SAMPLE });
        return r.status === 200 && r.headers.get('ratelimit-limit') === '100' ? true : undefined;
      });
      await eventually('the fail-closed instance serves again', async () => {
        fx.clock.advance(Number(fx.env.BREAKER_OPEN_MS ?? 5000) + 1);
        return (await call(`${closed.url}/v1/predict`, { headers: apiKey(k.key), body: SAMPLE })).status === 200 ? true : undefined;
      });
      assert.equal(await metric(a, 'circuit_breaker_state', 'dependency="redis"'), 0);
    } finally {
      await closed.stop();
    }
  });
});

describe('model versions', () => {
  let enterprise: Account;
  let adminToken: string;
  before(async () => {
    enterprise = await account('enterprise');
    adminToken = await adminAccount.fresh();
  });
  const servedBy = async (instance: Instance) => (await call(`${instance.url}/v1/predict`, { headers: apiKey(enterprise.key), body: SAMPLE })).headers.get('model-version');
  const bothServe = (version: string) =>
    eventually(`both instances serve ${version}`, async () => ((await servedBy(a)) === version && (await servedBy(b)) === version ? true : undefined));

  test('model-training publishes once per seed: a second run changes nothing', async () => {
    const before = (await fx.store.list('models/')).length;
    const run1 = await trainAndPublish(fx.store, { seed: 7, samples: 3000, now: new Date(fx.clock.now) });
    const run2 = await trainAndPublish(fx.store, { seed: 7, samples: 3000, now: new Date(fx.clock.now + 3_600_000) });
    assert.equal(run1.published, true);
    assert.equal(run2.published, false);
    assert.equal(run2.version, run1.version);
    assert.equal((await fx.store.list('models/')).length, before + 2);
    // Evaluated against the version in service on the same holdout.
    assert.equal(run1.baseline?.version, (await call(`${a.url}/v1/models`, { headers: bearer(await adminAccount.fresh()) })).body.promoted.version);
    assert.ok(run1.metrics.mse > 0 && run1.metrics.mse < 0.2, `mse ${run1.metrics.mse}`);
    assert.ok(run1.metrics.accuracy > 0.6, `accuracy ${run1.metrics.accuracy}`);
  });

  test('a promoted version is served by every replica; promotions are audited', async () => {
    const v2 = (await trainAndPublish(fx.store, { seed: 2, samples: 3000, now: new Date(fx.clock.now) })).version;
    const v3 = (await trainAndPublish(fx.store, { seed: 3, samples: 3000, now: new Date(fx.clock.now) })).version;
    const listed = await call(`${b.url}/v1/models`, { headers: bearer(await adminAccount.fresh()) });
    assert.equal(listed.status, 200);
    for (const v of [firstVersion, v2, v3]) assert.ok(listed.body.versions.some((m: any) => m.version === v), `${v} listed`);
    const p2 = await call(`${a.url}/v1/models/${v2}/promote`, { method: 'POST', headers: bearer(await adminAccount.fresh()) });
    assert.equal(p2.status, 200, JSON.stringify(p2.body));
    assert.equal(p2.body.previous, firstVersion);
    await bothServe(v2);
    const p3 = await call(`${b.url}/v1/models/${v3}/promote`, { method: 'POST', headers: apiKey(adminAccount.key) });
    assert.equal(p3.status, 200);
    await bothServe(v3);
    const audit = await fx.admin.query("SELECT actor, target, detail FROM geo_audit_log WHERE action = 'model.promote' ORDER BY id");
    assert.deepEqual(audit.rows.slice(-2).map((r) => [r.actor, r.target, r.detail.previous]), [
      [`user:${adminAccount.id}`, `model:${v2}`, firstVersion],
      [`api-key:${adminAccount.keyId}`, `model:${v3}`, v2],
    ]);
    assert.equal(await metric(a, 'prediction_model_version_info', `version="${v3}"`), 1);
    const quality = (await scrape(a)).filter((x) => x.name === 'prediction_model_quality');
    assert.deepEqual([...new Set(quality.map((x) => x.labels.version))], [v3], 'only the served version\'s quality is exported');
    assert.ok((await metric(b, 'predictions_total', `model_version="${v3}"`)) > 0);
  });

  test('a corrupt model file is refused, through promotion or a pointer, and the old version stays in service', async () => {
    const serving = await servedBy(a);
    const bad = (await trainAndPublish(fx.store, { seed: 4, samples: 3000, now: new Date(fx.clock.now) })).version;
    await fx.store.put(modelKeys.model(bad), '{"format":"geo-sentiment-linear/v1","weights":[1,2');
    const r = await call(`${a.url}/v1/models/${bad}/promote`, { method: 'POST', headers: bearer(await adminAccount.fresh()) });
    assert.equal(r.status, 422);
    assert.equal(r.body.code, 'MODEL_INVALID');
    assert.match(r.body.message, /sha256/);
    // A pointer written around the API (or a file replaced after promotion): every replica refuses it.
    const pointer = await fx.store.get(modelKeys.current);
    await fx.store.put(modelKeys.current, JSON.stringify({ version: bad, promotedAt: new Date().toISOString(), promotedBy: 'test' }));
    for (const instance of [a, b])
      await eventually('the bad version refused', async () => ((await metric(instance, 'prediction_model_load_failures_total', `version="${bad}"`)) > 0 ? true : undefined));
    assert.equal(await servedBy(a), serving);
    assert.equal(await servedBy(b), serving);
    await fx.store.put(modelKeys.current, pointer!);
    const unknown = await call(`${a.url}/v1/models/m-000000000000/promote`, { method: 'POST', headers: bearer(await adminAccount.fresh()) });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 'MODEL_VERSION_UNKNOWN');
  });

  test('the model store stopped: predictions go on from memory, listing is 503, the breaker opens and closes again', async () => {
    await fx.minio.stopServer();
    try {
      for (let i = 0; i < Number(fx.env.BREAKER_FAILURES ?? 5); i++) await call(`${a.url}/v1/models`, { headers: bearer(adminToken) });
      const r = await call(`${a.url}/v1/models`, { headers: bearer(adminToken) });
      assert.equal(r.status, 503);
      assert.equal(r.body.code, 'MODEL_STORE_UNAVAILABLE');
      assert.equal(await metric(a, 'circuit_breaker_state', 'dependency="model-store"'), 2);
      assert.equal((await call(`${a.url}/v1/predict`, { headers: apiKey(enterprise.key), body: SAMPLE })).status, 200);
    } finally {
      await fx.minio.restart();
    }
    // The replica's refresh loop may take the half-open trial call: poll, moving the clock past the open time.
    await eventually('the model store answers through the breaker again', async () => {
      fx.clock.advance(Number(fx.env.BREAKER_OPEN_MS ?? 5000) + 1);
      return (await call(`${a.url}/v1/models`, { headers: bearer(adminToken) })).status === 200 ? true : undefined;
    });
    assert.equal(await metric(a, 'circuit_breaker_state', 'dependency="model-store"'), 0);
  });
});

describe('bad input to every endpoint gets the right 4xx', () => {
  let k: Account;
  let token: string;
  let adminToken: string;
  before(async () => {
    k = await account('enterprise');
    token = await k.fresh();
    adminToken = await adminAccount.fresh();
  });
  const auth = () => bearer(token);
  type Init = { headers?: Record<string, string>; body?: unknown; form?: Record<string, string> };
  // [method, path (:version is the served one), request (read when the case runs), status, code, field named].
  const cases: Array<[string, string, () => Init, number, string, string?]> = [
    ['POST', '/v1/auth/register', () => ({ body: { username: 'ab', password: 'short' } }), 400, 'VALIDATION_FAILED', '/username'],
    ['POST', '/v1/auth/register', () => ({ body: { username: 'fine-name', password: 'long-enough-pw', admin: true } }), 400, 'VALIDATION_FAILED', '/admin'],
    ['POST', '/v1/auth/register', () => ({ body: { username: 'fine-name', password: 'long-enough-pw', email: 'no-at-sign' } }), 400, 'VALIDATION_FAILED', '/email'],
    ['POST', '/v1/auth/register', () => ({ body: '{"username":' }), 400, 'MALFORMED_JSON'],
    ['POST', '/v1/auth/register', () => ({ headers: { 'content-type': 'text/plain' }, body: 'x' }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['POST', '/v1/auth/register', () => ({ body: { username: k.username, password: 'another-long-password' } }), 409, 'USERNAME_TAKEN'],
    ['POST', '/v1/oauth/token', () => ({ form: { grant_type: 'client_credentials' } }), 400, 'VALIDATION_FAILED', '/grant_type'],
    ['POST', '/v1/oauth/token', () => ({ form: { grant_type: 'password', username: 'x' } }), 400, 'VALIDATION_FAILED', '/password'],
    ['POST', '/v1/oauth/token', () => ({ form: { grant_type: 'refresh_token' } }), 400, 'VALIDATION_FAILED', '/refresh_token'],
    ['POST', '/v1/oauth/token', () => ({ form: { grant_type: 'refresh_token', refresh_token: 'nope' } }), 401, 'REFRESH_TOKEN_INVALID'],
    ['POST', '/v1/oauth/revoke', () => ({ form: {} }), 400, 'VALIDATION_FAILED', '/token'],
    ['POST', '/v1/api-keys', () => ({ headers: auth(), body: {} }), 400, 'VALIDATION_FAILED', '/name'],
    ['DELETE', '/v1/api-keys/not-a-uuid', () => ({ headers: auth() }), 400, 'VALIDATION_FAILED', '/id'],
    ['DELETE', `/v1/api-keys/${randomUUID()}`, () => ({ headers: auth() }), 404, 'API_KEY_NOT_FOUND'],
    ['POST', '/v1/predict', () => ({ headers: auth(), body: { ...SAMPLE, latitude: 91 } }), 400, 'VALIDATION_FAILED', '/latitude'],
    ['POST', '/v1/predict', () => ({ headers: auth(), body: { ...SAMPLE, pm25: '8' } }), 400, 'VALIDATION_FAILED', '/pm25'],
    ['POST', '/v1/predict', () => ({ headers: auth(), body: { latitude: 1 } }), 400, 'VALIDATION_FAILED', '/longitude'],
    ['POST', '/v1/predict', () => ({ headers: auth(), body: { ...SAMPLE, extra: 1 } }), 400, 'VALIDATION_FAILED', '/extra'],
    ['POST', '/v1/predict/batch', () => ({ headers: auth(), body: { items: [] } }), 400, 'VALIDATION_FAILED', '/items'],
    ['POST', '/v1/predict/batch', () => ({ headers: auth(), body: { items: Array(101).fill(SAMPLE) } }), 400, 'VALIDATION_FAILED', '/items'],
    ['POST', '/v1/predict/batch', () => ({ headers: auth(), body: { items: [SAMPLE, { ...SAMPLE, humidityPct: -1 }] } }), 400, 'VALIDATION_FAILED', '/items/1/humidityPct'],
    ['POST', '/v1/models/Bad%20Version%21/promote', () => ({ headers: bearer(adminToken) }), 400, 'VALIDATION_FAILED', '/version'],
    ['GET', '/v1/nothing-here', () => ({ headers: auth() }), 404, 'NOT_FOUND'],
    ['POST', '/v1/models/:version/promote', () => ({ headers: { authorization: 'Basic dXNlcjpwdw==' } }), 401, 'MISSING_CREDENTIALS'],
    // Authentication comes before validation: an anonymous caller learns nothing about the schema.
    ['POST', '/v1/predict', () => ({ body: { latitude: 'x' } }), 401, 'MISSING_CREDENTIALS'],
  ];
  for (const [method, path, init, status, code, field] of cases) {
    test(`${method} ${path} → ${status} ${code}${field ? ` naming ${field}` : ''}`, async () => {
      const url = path.replace(':version', firstVersion);
      const r = await call(`${a.url}${url}`, { method, ...init() });
      assert.equal(r.status, status, `${method} ${url}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.code, code, `${method} ${url}`);
      assert.deepEqual(Object.keys(r.body).filter((x) => !['statusCode', 'code', 'message', 'errors'].includes(x)), [], 'only the coded error body');
      if (field) assert.ok(r.body.errors?.some((e: any) => e.path === field), `${method} ${url} names ${field}: ${JSON.stringify(r.body.errors)}`);
    });
  }

  test('a good prediction and batch: sentiment in [-1, 1], a label, the EPA air-quality index', async () => {
    const one = await call(`${b.url}/v1/predict`, { headers: bearer(token), body: SAMPLE });
    assert.equal(one.status, 200);
    assert.ok(one.body.sentiment.score >= -1 && one.body.sentiment.score <= 1);
    assert.ok(['negative', 'neutral', 'positive'].includes(one.body.sentiment.label));
    assert.deepEqual(one.body.airQuality, { aqi: 33, category: 'good' });
    const batch = await call(`${a.url}/v1/predict/batch`, { headers: bearer(token), body: { items: [SAMPLE, { ...SAMPLE, pm25: 180 }] } });
    assert.equal(batch.body.predictions.length, 2);
    assert.deepEqual(batch.body.predictions[1].airQuality, { aqi: 230, category: 'very-unhealthy' });
    // Dirtier air, lower sentiment.
    assert.ok(batch.body.predictions[1].sentiment.score < batch.body.predictions[0].sentiment.score);
  });
});

describe('model performance metrics in Prometheus', () => {
  test('each replica exports the served version\'s evaluation from its manifest, when it was trained, and the output distribution', async () => {
    const k = await account('enterprise');
    const version = (await call(`${a.url}/v1/predict`, { headers: apiKey(k.key), body: SAMPLE })).headers.get('model-version')!;
    const manifest = JSON.parse(Buffer.from((await fx.store.get(modelKeys.manifest(version)))!).toString('utf8'));
    for (const instance of [a, b]) {
      const series = await eventually('the replica serves the version', async () => {
        const all = await scrape(instance);
        return all.some((x) => x.name === 'prediction_model_version_info' && x.labels.version === version) ? all : undefined;
      });
      const quality = series.filter((x) => x.name === 'prediction_model_quality');
      assert.ok(quality.every((x) => x.labels.version === version));
      const figures = Object.fromEntries(quality.map((x) => [x.labels.metric, x.value]));
      assert.equal(figures.mse, manifest.metrics.mse);
      assert.equal(figures.accuracy, manifest.metrics.accuracy);
      assert.equal(figures.holdout_samples, manifest.metrics.holdoutSamples);
      assert.equal(figures.training_samples, manifest.metrics.trainingSamples);
      if (manifest.metrics.baselineMse !== undefined) {
        assert.equal(figures.baseline_mse, manifest.metrics.baselineMse);
        assert.equal(figures.improves_on_baseline, manifest.metrics.improvesOnBaseline);
      }
      assert.equal(figures.seed, undefined, 'the training seed is not a quality figure');
      assert.equal(sumOf(series, 'prediction_model_created_timestamp_seconds', { version }), Date.parse(manifest.createdAt) / 1000);
    }
    const before = await scrape(a);
    const served: Array<{ score: number; label: string }> = [];
    for (let i = 0; i < 3; i++) {
      const r = await call(`${a.url}/v1/predict`, { headers: apiKey(k.key), body: { ...SAMPLE, pm25: 5 + i * 100 } });
      assert.equal(r.status, 200);
      served.push(r.body.sentiment);
    }
    const batch = await call(`${a.url}/v1/predict/batch`, { headers: apiKey(k.key), body: { items: [SAMPLE, SAMPLE, { ...SAMPLE, pm25: 250 }, { ...SAMPLE, temperatureC: 45 }] } });
    assert.equal(batch.status, 200);
    served.push(...batch.body.predictions.map((p: any) => p.sentiment));
    const after = await scrape(a);
    const delta = (name: string, labels: Record<string, string>) => sumOf(after, name, labels) - sumOf(before, name, labels);
    assert.equal(delta('prediction_sentiment_score_count', { model_version: version }), 7, 'every single and batch prediction is observed');
    assert.equal(delta('prediction_sentiment_score_bucket', { model_version: version, le: '+Inf' }), 7);
    assert.equal(delta('prediction_sentiment_score_bucket', { model_version: version, le: '0' }), served.filter((p) => p.score <= 0).length, 'the buckets hold the scores served');
    for (const label of ['negative', 'neutral', 'positive']) assert.equal(delta('prediction_labels_total', { model_version: version, label }), served.filter((p) => p.label === label).length, label);
    assert.ok(Math.abs(delta('prediction_sentiment_score_sum', { model_version: version }) - served.reduce((n, p) => n + p.score, 0)) < 1e-9, 'the sum moves by the scores served');
  });
});

// Last: this stops PostgreSQL.
describe('well-formed errors: 404, 422, and 500 for a fault', () => {
  test('404 is coded (422: a model version that does not load, in the model tests); an unexpected fault is a coded 500 with nothing internal', async () => {
    const k = await account('free');
    const token = await k.fresh();
    const notFound = await call(`${a.url}/v1/no-such-route`, { headers: bearer(token) });
    assert.deepEqual([notFound.status, notFound.body.code, Object.keys(notFound.body).sort()], [404, 'NOT_FOUND', ['code', 'message', 'statusCode']]);
    // A fault of the service, not of the caller or a dependency's availability: its database role lost a grant.
    const role = `"${fx.env.PGUSER.replace(/"/g, '""')}"`;
    await fx.admin.query(`REVOKE SELECT ON geo_api_keys FROM ${role}`);
    try {
      const fault = await call(`${a.url}/v1/api-keys`, { headers: bearer(token) });
      assert.equal(fault.status, 500);
      assert.deepEqual(fault.body, { statusCode: 500, code: 'INTERNAL', message: 'internal error' });
      assert.match(fault.headers.get('content-type') ?? '', /^application\/json/);
      const exposed = `${JSON.stringify(fault.body)} ${[...fault.headers].map(([h, v]) => `${h}: ${v}`).join(' ')}`;
      assert.doesNotMatch(exposed, /geo_|permission denied|SELECT|\.ts:\d+|at [A-Za-z.]+ \(|42501/i, 'neither the SQL, the table, the SQLSTATE nor a stack frame');
      assert.ok((await scrape(a)).some((x) => x.name.startsWith('http_') && x.labels.status_code === '500'), 'counted as a 500 in the HTTP metrics');
    } finally {
      await fx.admin.query(`GRANT SELECT ON geo_api_keys TO ${role}`);
    }
    assert.equal((await call(`${a.url}/v1/api-keys`, { headers: bearer(token) })).status, 200);
  });

  test('PostgreSQL out of reach is not a fault of the service: 503 DATABASE_UNAVAILABLE with Retry-After, then served again', async () => {
    const k = await account('free');
    const token = await k.fresh();
    fx.admin.on('error', () => undefined);
    await fx.postgres.stopServer();
    try {
      const r = await call(`${b.url}/v1/api-keys`, { headers: bearer(token) });
      assert.equal(r.status, 503, JSON.stringify(r.body));
      assert.equal(r.body.code, 'DATABASE_UNAVAILABLE');
      assert.equal(r.headers.get('retry-after'), '1');
    } finally {
      await fx.postgres.restart();
    }
    await eventually('served again once PostgreSQL is back', async () => ((await call(`${b.url}/v1/api-keys`, { headers: bearer(token) })).status === 200 ? true : undefined));
  });
});

// Last of all: what the tests above ran of ../src.
describe('coverage of prediction-api\'s code by this suite', () => {
  test(`at least ${COVERAGE_FLOOR_PERCENT} % of the lines of src/ ran (V8 precise coverage, in this process)`, (t) => {
    const files = lineCoverage(join(import.meta.dirname, '..', 'src'));
    if (!files) return t.diagnostic('measured by --experimental-test-coverage instead (NODE_V8_COVERAGE is set)');
    const lines = files.reduce((n, f) => n + f.lines, 0);
    const covered = files.reduce((n, f) => n + f.covered, 0);
    const percent = (100 * covered) / lines;
    for (const f of files) t.diagnostic(`${f.file.split('/src/')[1]}: ${f.covered}/${f.lines}${f.uncovered.length ? ` (not run: ${f.uncovered.join(', ')})` : ''}`);
    t.diagnostic(`src/: ${covered} of ${lines} lines, ${percent.toFixed(1)} %`);
    assert.ok(files.some((f) => f.file.endsWith('/src/app.ts') && f.covered > 0), 'the measurement saw the app run');
    assert.ok(percent >= COVERAGE_FLOOR_PERCENT, `line coverage of apps/prediction-api/src is ${percent.toFixed(1)} %, under the floor of ${COVERAGE_FLOOR_PERCENT} %: test the lines listed above`);
  });
});
