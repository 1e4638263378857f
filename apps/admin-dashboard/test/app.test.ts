/**
 * admin-dashboard's API on bad input and with upstreams away: the right 4xx/502 and a coded error,
 * nothing sent upstream for a refused request. The upstreams are closed local ports, or a listener
 * that only counts what reaches it and answers /readyz (no user-service behaviour: the browser test,
 * apps/test/admin-dashboard.test.ts, runs the real user-service for the happy path).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '@gamemetrics/service-kit/config.ts';
import { createMetrics } from '@gamemetrics/service-kit/metrics.ts';
import { freePort } from '../../../scripts/harness/process.ts';
import { createServer, type Server } from 'node:http';
import { hashApiKey } from '@gamemetrics/service-kit/api-keys.ts';
import { buildApp } from '../src/app.ts';
import { checkDashboardConfig, dashboardSchema, type DashboardConfig } from '../src/config.ts';
import { consumerLag } from '../src/upstreams.ts';

/** An operator and its token (test tokens end in 0123456789: .gitleaks.toml). */
const OPERATOR = 'ana';
const TOKEN = 'operator-token-ana-0123456789';
const OTHER_TOKEN = 'operator-token-ben-0123456789';
const identity = { SERVICE_NAME: 'admin-dashboard', TENANT: 'gamemetrics', ENVIRONMENT: 'dev', NAMESPACE: 'gamemetrics', PORT: '0', LOG_LEVEL: 'silent', OPERATOR_TOKENS: `${OPERATOR}:${hashApiKey(TOKEN)},ben:${hashApiKey(OTHER_TOKEN)}`, ANALYTICS_API_KEY: 'analytics-key-0123456789' };
const basic = (user: string, token: string) => `Basic ${Buffer.from(`${user}:${token}`).toString('base64')}`;
const signedIn = { authorization: basic(OPERATOR, TOKEN) };

describe('admin-dashboard API', () => {
  /** Requests that reached the listener standing where user-service would be. */
  const reached: string[] = [];
  let listener: Server;
  let listening: string;
  let closed: string;
  before(async () => {
    listener = createServer((req, res) => {
      reached.push(`${req.method} ${req.url}`);
      res.writeHead(req.url === '/readyz' ? 200 : 404, { 'content-type': 'application/json' }).end('{}');
    });
    const port = await freePort();
    await new Promise<void>((resolve) => listener.listen(port, '127.0.0.1', resolve));
    listening = `http://127.0.0.1:${port}`;
    closed = `http://127.0.0.1:${await freePort()}`;
  });
  after(() => new Promise<void>((resolve) => {
    listener.closeAllConnections();
    listener.close(() => resolve());
  }));

  const app = (urls: Partial<Record<'ANALYTICS_API_URL' | 'USER_SERVICE_URL', string>> = {}) =>
    buildApp(loadConfig<DashboardConfig>('admin-dashboard', dashboardSchema, { ...identity, ANALYTICS_API_URL: closed, USER_SERVICE_URL: listening, DASHBOARD_UPSTREAM_TIMEOUT_MS: '500', ...urls }, checkDashboardConfig), { metrics: createMetrics('admin-dashboard', false) });

  const cases: Array<[string, { method: 'POST' | 'GET'; url: string; payload?: string; headers?: Record<string, string> }, number, string, string?]> = [
    ['no player id', { method: 'POST', url: '/api/gdpr/deletions', payload: '{}' }, 400, 'VALIDATION_FAILED', '/playerId'],
    ['a player id with a slash', { method: 'POST', url: '/api/gdpr/deletions', payload: '{"playerId":"a/b"}' }, 400, 'VALIDATION_FAILED', '/playerId'],
    ['an unknown field', { method: 'POST', url: '/api/gdpr/deletions', payload: '{"playerId":"p1","force":true}' }, 400, 'VALIDATION_FAILED', '/force'],
    ['not JSON', { method: 'POST', url: '/api/gdpr/deletions', payload: '{"playerId":' }, 400, 'MALFORMED_JSON'],
    ['an empty body', { method: 'POST', url: '/api/gdpr/deletions', payload: '' }, 400, 'EMPTY_BODY'],
    ['form data', { method: 'POST', url: '/api/gdpr/deletions', payload: 'playerId=p1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['a body over 4 KiB', { method: 'POST', url: '/api/gdpr/deletions', payload: JSON.stringify({ playerId: 'x'.repeat(5000) }) }, 413, 'PAYLOAD_TOO_LARGE'],
    ['a bad game id', { method: 'GET', url: '/api/live/%20bad' }, 400, 'VALIDATION_FAILED', '/gameId'],
    ['an unknown route', { method: 'GET', url: '/api/nothing' }, 404, 'NOT_FOUND'],
  ];
  for (const [name, request, status, code, path] of cases)
    test(`${name}: ${status} ${code}, nothing sent to user-service`, async () => {
      const before = reached.length;
      const res = await app().inject({ ...request, headers: { 'content-type': 'application/json', ...signedIn, ...request.headers } });
      assert.equal(res.statusCode, status, res.body);
      const body = res.json();
      assert.equal(body.code, code);
      if (path) assert.ok(body.errors.some((e: { path: string }) => e.path === path), res.body);
      assert.deepEqual(reached.slice(before), []);
    });

  test('user-service away: 502 USER_SERVICE_UNAVAILABLE naming the call', async () => {
    const res = await app({ USER_SERVICE_URL: closed }).inject({ method: 'POST', url: '/api/gdpr/deletions', payload: { playerId: 'p1' }, headers: signedIn });
    assert.equal(res.statusCode, 502);
    assert.equal(res.json().code, 'USER_SERVICE_UNAVAILABLE');
    assert.match(res.json().message, /DELETE \/v1\/players\/p1/);
  });

  test('analytics-api away: the live stream answers 502 ANALYTICS_UNAVAILABLE; status says unreachable', async () => {
    const a = app();
    const live = await a.inject({ method: 'GET', url: '/api/live/g1', headers: signedIn });
    assert.equal(live.statusCode, 502);
    assert.equal(live.json().code, 'ANALYTICS_UNAVAILABLE');
    const status = (await a.inject({ method: 'GET', url: '/api/status', headers: signedIn })).json();
    assert.deepEqual(status.services.map((s: { name: string; status: string }) => [s.name, s.status]), [['analytics-api', 'unreachable'], ['user-service', 'ready']]);
  });

  test('without an operator\'s token nothing is served but the probes and /metrics: 401 with a Basic challenge, nothing sent upstream', async () => {
    const a = app();
    const before = reached.length;
    const refused: Array<[string, string, Record<string, string>]> = [
      ['GET', '/', {}],
      ['GET', '/api/status', {}],
      ['POST', '/api/gdpr/deletions', {}],
      ['POST', '/api/gdpr/deletions', { authorization: basic(OPERATOR, 'wrong-token') }],
      ['POST', '/api/gdpr/deletions', { authorization: basic(OPERATOR, OTHER_TOKEN) }],
      ['POST', '/api/gdpr/deletions', { authorization: 'Bearer not-a-token' }],
      ['GET', '/api/nothing', {}],
      // Percent-encoded, the router still finds the route: it needs the same sign-in.
      ['GET', '/%61pi/status', {}],
      ['POST', '/api/gdpr/%64eletions', {}],
    ];
    for (const [method, url, headers] of refused) {
      const res = await a.inject({ method: method as 'GET' | 'POST', url, payload: method === 'POST' ? { playerId: 'p1' } : undefined, headers });
      assert.equal(res.statusCode, 401, `${method} ${url} ${JSON.stringify(headers)}`);
      assert.equal(res.json().code, 'OPERATOR_LOGIN_REQUIRED');
      assert.equal(res.headers['www-authenticate'], 'Basic realm="admin-dashboard", charset="UTF-8"');
    }
    assert.deepEqual(reached.slice(before), [], 'a refused request reaches no upstream');
    for (const url of ['/healthz', '/metrics']) assert.equal((await a.inject({ method: 'GET', url })).statusCode, 200, url);
    assert.equal((await a.inject({ method: 'GET', url: '/', headers: signedIn })).statusCode, 200, 'Basic with the operator\'s name and token');
    assert.equal((await a.inject({ method: 'GET', url: '/api/status', headers: { authorization: `Bearer ${OTHER_TOKEN}` } })).statusCode, 200, 'Bearer with a token');
    assert.equal((await a.inject({ method: 'GET', url: '/api/status', headers: { authorization: `bearer ${OTHER_TOKEN}` } })).statusCode, 200, 'the scheme is case-insensitive (RFC 9110)');
    assert.equal((await a.inject({ method: 'GET', url: '/api/status', headers: { authorization: basic(OPERATOR, TOKEN).replace('Basic', 'basic') } })).statusCode, 200);
  });

  test('OPERATOR_TOKENS must hold operator:digest entries', () => {
    const config = (tokens: string) => loadConfig<DashboardConfig>('admin-dashboard', dashboardSchema, { ...identity, ANALYTICS_API_URL: closed, USER_SERVICE_URL: listening, OPERATOR_TOKENS: tokens });
    assert.deepEqual(checkDashboardConfig(config(identity.OPERATOR_TOKENS)), []);
    assert.deepEqual(checkDashboardConfig(config('ana:not-a-digest')), ['OPERATOR_TOKENS entry 1 is not "<operator>:<64 lowercase hex sha256 digest>"']);
    assert.throws(() => loadConfig('admin-dashboard', dashboardSchema, { ...identity, OPERATOR_TOKENS: undefined, ANALYTICS_API_URL: closed, USER_SERVICE_URL: listening }), /OPERATOR_TOKENS/);
    // At start-up (loadConfig with the check, as main.ts does): every bad entry, by the variable and its number.
    assert.throws(
      () => loadConfig('admin-dashboard', dashboardSchema, { ...identity, ANALYTICS_API_URL: closed, USER_SERVICE_URL: listening, OPERATOR_TOKENS: `${identity.OPERATOR_TOKENS},carl:abc\nANA:${hashApiKey('x')}` }, checkDashboardConfig),
      (e: Error & { problems?: string[] }) => {
        assert.deepEqual(e.problems, ['OPERATOR_TOKENS entry 3 is not "<operator>:<64 lowercase hex sha256 digest>"', 'OPERATOR_TOKENS entry 4 is not "<operator>:<64 lowercase hex sha256 digest>"']);
        return true;
      },
    );
  });

  test('OPERATOR_TOKENS is parsed once, by the check: buildApp signs in with the parsed keys and refuses an unchecked config', async () => {
    const env = { ...identity, ANALYTICS_API_URL: closed, USER_SERVICE_URL: listening };
    const checked = loadConfig<DashboardConfig>('admin-dashboard', dashboardSchema, env, checkDashboardConfig);
    assert.deepEqual([...checked.operators.values()].sort(), ['ana', 'ben']);
    // Were the variable parsed again, this would leave no operator.
    checked.OPERATOR_TOKENS = 'not parsed again';
    const a = buildApp(checked, { metrics: createMetrics('admin-dashboard', false) });
    try {
      assert.equal((await a.inject({ method: 'GET', url: '/api/status', headers: signedIn })).statusCode, 200);
    } finally {
      await a.close();
    }
    const unchecked = loadConfig<DashboardConfig>('admin-dashboard', dashboardSchema, env);
    assert.throws(() => buildApp(unchecked, { metrics: createMetrics('admin-dashboard', false) }), /no parsed operators; load it with checkDashboardConfig/);
  });

  test('a URL with a path is refused at boot, naming the variable', () => {
    assert.throws(() => loadConfig('admin-dashboard', dashboardSchema, { ...identity, ANALYTICS_API_URL: 'http://a:1/x', USER_SERVICE_URL: 'http://b:1' }), /ANALYTICS_API_URL="http:\/\/a:1\/x" must be http\(s\):\/\/<host>:<port> without a path/);
  });

  test('consumer lag is the sum of the kafka_consumer_lag samples', () => {
    const text = '# HELP kafka_consumer_lag x\nkafka_consumer_lag{topic="t",partition="0",service="s"} 3\nkafka_consumer_lag{topic="t",partition="1",service="s"} 4\nkafka_consumer_lag_other 9\n';
    assert.equal(consumerLag(text), 7);
    assert.equal(consumerLag('up 1\n'), undefined);
  });
});
