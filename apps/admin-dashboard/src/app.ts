/**
 * admin-dashboard: one page for operators, and the small API behind it.
 * - `GET /` the page, `GET /app.js` its script;
 * - `GET /api/status`: each watched service's readiness and consumer lag, and the total lag;
 * - `GET /api/live/:gameId`: analytics-api's live counters (SSE), passed through;
 * - `GET /api/gdpr/requests`: user-service's latest GDPR requests;
 * - `POST /api/gdpr/deletions` `{ playerId }`: starts a deletion (user-service `DELETE /v1/players/:id`), 202.
 * Every route but the probes and /metrics needs an operator's token (OPERATOR_TOKENS): HTTP Basic, the operator's
 * name and token (what a browser asks for once), or `Authorization: Bearer <token>` for scripts. A deletion's
 * log line names the operator who asked for it.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { AppError } from '@gamemetrics/service-kit/errors.ts';
import type { Metrics } from '@gamemetrics/service-kit/metrics.ts';
import { idSchema } from '@gamemetrics/service-kit/player-event.ts';
import { tenantOf } from '@gamemetrics/service-kit/api-keys.ts';
import { createServer } from '@gamemetrics/service-kit/server.ts';
import type { Tracing } from '@gamemetrics/service-kit/tracing.ts';
import { WATCHED, type DashboardConfig } from './config.ts';
import { PAGE, SCRIPT } from './page.ts';
import { health, userService } from './upstreams.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in operator (OPERATOR_TOKENS). */
    operator?: string;
  }
}

/** The operator an Authorization header proves: Basic `<operator>:<token>` (the name must match the token's), or Bearer `<token>`. */
export function operatorOf(header: string | undefined, operators: ReadonlyMap<string, string>): string | undefined {
  const [scheme = '', value = ''] = (header ?? '').trim().split(/\s+/, 2);
  if (scheme.toLowerCase() === 'bearer') return value ? tenantOf(operators, value) : undefined;
  if (scheme.toLowerCase() !== 'basic') return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return undefined;
  const owner = tenantOf(operators, decoded.slice(colon + 1));
  return owner === decoded.slice(0, colon) ? owner : undefined;
}

/** The routes served without an operator: the probes and Prometheus' scrape. */
const OPEN_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

export interface DashboardDeps {
  metrics: Metrics;
  tracing?: Tracing;
}

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** The app for a configuration loaded with checkDashboardConfig (which parsed OPERATOR_TOKENS into `operators`). */
export function buildApp(config: DashboardConfig, deps: DashboardDeps): FastifyInstance {
  const operators = config.operators;
  if (!operators) throw new Error('admin-dashboard: the configuration has no parsed operators; load it with checkDashboardConfig as its check (loadConfig/loadConfigOrExit)');
  const timeout = config.DASHBOARD_UPSTREAM_TIMEOUT_MS;
  const app = createServer({ service: config.SERVICE_NAME, logLevel: config.LOG_LEVEL, metrics: deps.metrics, tracing: deps.tracing, readiness: {}, bodyLimit: 4096 });
  const watched = Object.entries(WATCHED).flatMap(([name, variable]) => (config[variable] ? [[name, config[variable] as string] as const] : []));
  const live = new Set<AbortController>();

  // Operators only: the page can erase players. The probes and Prometheus' scrape stay open (the mesh admits only the kubelet's and Prometheus' callers to them).
  // Decided on the matched route, never on the raw URL (the router decodes percent-encoded paths; the URL does not).
  app.addHook('onRequest', async (request) => {
    if (OPEN_ROUTES.has(request.routeOptions.url ?? '')) return;
    const operator = operatorOf(request.headers.authorization, operators);
    if (!operator) throw new AppError(401, 'OPERATOR_LOGIN_REQUIRED', 'sign in with your operator name and token', { headers: { 'www-authenticate': 'Basic realm="admin-dashboard", charset="UTF-8"' } });
    request.operator = operator;
  });

  app.get('/', async (_request, reply) => reply.headers(SECURITY_HEADERS).type('text/html; charset=utf-8').send(PAGE));
  app.get('/app.js', async (_request, reply) => reply.headers(SECURITY_HEADERS).type('text/javascript; charset=utf-8').send(SCRIPT));

  app.get('/api/status', async () => {
    const services = await Promise.all(watched.map(([name, url]) => health(name, url, timeout)));
    return { services, consumerLag: services.reduce((sum, s) => sum + (s.consumerLag ?? 0), 0) };
  });

  app.get<{ Params: { gameId: string } }>(
    '/api/live/:gameId',
    { schema: { params: { type: 'object', required: ['gameId'], properties: { gameId: idSchema } } } },
    async (request, reply) => {
      const controller = new AbortController();
      let upstream: Response;
      try {
        upstream = await fetch(`${config.ANALYTICS_API_URL}/v1/games/${encodeURIComponent(request.params.gameId)}/live`, { signal: controller.signal, headers: { accept: 'text/event-stream', 'x-api-key': config.ANALYTICS_API_KEY } });
      } catch (e) {
        throw new AppError(502, 'ANALYTICS_UNAVAILABLE', `analytics-api did not answer: ${(e as Error).message}`, { cause: e });
      }
      if (upstream.status !== 200 || !upstream.body) {
        await upstream.body?.cancel().catch(() => undefined);
        throw new AppError(502, 'ANALYTICS_UNAVAILABLE', `analytics-api answered the live stream with HTTP ${upstream.status}`, { headers: { 'retry-after': '1' } });
      }
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
      live.add(controller);
      const body = Readable.fromWeb(upstream.body as import('node:stream/web').ReadableStream);
      const end = () => {
        live.delete(controller);
        controller.abort();
        body.destroy();
        if (!reply.raw.writableEnded) reply.raw.end();
      };
      body.on('error', end).on('end', end).pipe(reply.raw, { end: false });
      request.raw.on('close', end);
    },
  );

  app.get('/api/gdpr/requests', async (_request, reply) => {
    const { status, body } = await userService(config.USER_SERVICE_URL, 'GET', '/v1/gdpr/requests?limit=20', timeout);
    return reply.code(status).send(body);
  });

  app.post<{ Body: { playerId: string } }>(
    '/api/gdpr/deletions',
    { schema: { body: { type: 'object', additionalProperties: false, required: ['playerId'], properties: { playerId: idSchema } } } },
    async (request, reply) => {
      const { playerId } = request.body;
      const { status, body } = await userService(config.USER_SERVICE_URL, 'DELETE', `/v1/players/${encodeURIComponent(playerId)}`, timeout);
      request.log.info({ playerId, status, operator: request.operator }, 'GDPR deletion requested by an operator');
      return reply.code(status).send(body);
    },
  );

  app.addHook('preClose', async () => {
    for (const c of [...live]) c.abort();
  });
  return app;
}
