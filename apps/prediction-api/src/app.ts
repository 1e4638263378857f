/**
 * prediction-api: predictions for API-key holders and signed-in users, limited per tier.
 *
 * Public: `POST /v1/auth/register`, `POST /v1/auth/password-reset` and `/confirm`, `POST /v1/oauth/token`
 * (OAuth2 password and refresh_token grants), `POST /v1/oauth/revoke` (logout),
 * `GET /v1/.well-known/jwks.json`. Every other `/v1` route declares the permission it needs
 * (`config.permission`; a route with neither that nor `public` stops the app from building), then is rate
 * limited by the caller's tier: `POST /v1/predict`, `POST /v1/predict/batch`, `GET /v1/models`,
 * `POST /v1/models/:version/promote`, `POST|GET /v1/api-keys`, `DELETE /v1/api-keys/:id`.
 */
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { AppError } from '@gamemetrics/service-kit/errors.ts';
import type { Metrics } from '@gamemetrics/service-kit/metrics.ts';
import { pingPostgres } from '@gamemetrics/service-kit/postgres.ts';
import { redisReady } from '@gamemetrics/service-kit/redis.ts';
import { collectRoutes, openApiDocument } from '@gamemetrics/service-kit/openapi.ts';
import { createServer } from '@gamemetrics/service-kit/server.ts';
import type { Tracing } from '@gamemetrics/service-kit/tracing.ts';
import { Accounts, type Principal } from './accounts.ts';
import { CircuitBreaker } from './circuit-breaker.ts';
import { databaseUnavailable } from './database-faults.ts';
import { rateLimitsOf, type PredictionConfig } from './config.ts';
import { createSigner } from './jwt.ts';
import { MailRelay } from './mail-relay.ts';
import { createPredictionMetrics, type PredictionMetrics } from './metrics.ts';
import { inputSchema, predict, type PredictionInput } from '@gamemetrics/service-kit/geo-model.ts';
import { isVersion, listVersions, loadVersion, ModelInvalidError, modelKeys, readCurrent, type ModelStore } from '@gamemetrics/service-kit/model-registry.ts';
import { RateLimiter } from './rate-limiter.ts';
import { ActiveUsers } from './active-users.ts';
import { ServedModel } from './serving.ts';

export interface PredictionDeps {
  pool: pg.Pool;
  redis: Redis;
  store: ModelStore;
  metrics: Metrics;
  tracing?: Tracing;
  /** Milliseconds since the epoch; tests drive it. @default Date.now */
  clock?: () => number;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission a caller needs (`resource:action`). */
    permission?: string;
    /** No authentication (registration, tokens, JWKS). */
    public?: boolean;
    /** One line for the OpenAPI document (GET /v1/openapi.json). */
    summary?: string;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyInstance {
    /** The model version in service here, and the loop that keeps it current. */
    served: ServedModel;
    predictionMetrics: PredictionMetrics;
  }
}

/** The limiter's Redis client: one EVALSHA per request, pipelined with its neighbours of the same tick. */
export const REDIS_OPTIONS = { enableAutoPipelining: true, commandTimeout: 1000 };

const username = { type: 'string', pattern: '^[A-Za-z0-9._-]{3,64}$' };
const password = { type: 'string', minLength: 12, maxLength: 256 };
const email = { type: 'string', format: 'email', maxLength: 254 };

export function buildApp(config: PredictionConfig, deps: PredictionDeps): FastifyInstance {
  const clock = deps.clock ?? Date.now;
  const limits = rateLimitsOf(config);
  const signer = createSigner(config.JWT_SIGNING_KEY, config.JWT_ISSUER);
  const accounts = new Accounts(deps.pool);
  const limiter = new RateLimiter(deps.redis);
  const activeUsers = new ActiveUsers(deps.redis, clock);
  const pm = createPredictionMetrics(deps.metrics.registry, () => activeUsers.count());
  const readiness: Record<string, () => Promise<boolean> | boolean> = { postgres: () => pingPostgres(deps.pool) };
  // Failing open, a Redis outage must not take pods out of service; failing closed, they cannot serve anyway.
  if (limits.whenRedisDown === 'closed') readiness.redis = () => redisReady(deps.redis);
  const app = createServer({ service: config.SERVICE_NAME, logLevel: config.LOG_LEVEL, metrics: deps.metrics, tracing: deps.tracing, readiness });
  const breaker = (dependency: string) =>
    new CircuitBreaker({
      dependency,
      failures: config.BREAKER_FAILURES,
      openMs: config.BREAKER_OPEN_MS,
      clock,
      gauge: pm.breakerState,
      onChange: (state) => app.log[state === 'open' ? 'warn' : 'info']({ dependency, state }, `circuit breaker ${state}`),
    });
  const redisBreaker = breaker('redis');
  const storeBreaker = breaker('model-store');
  const served = new ServedModel(deps.store, storeBreaker, pm, app.log);
  app.decorate('served', served);
  app.decorate('predictionMetrics', pm);

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  const routes = collectRoutes(app);
  // Every route under /v1 says who may call it; forgetting is a start-up error, not an open endpoint.
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/v1/')) return;
    const cfg = (route.config ?? {}) as { permission?: string; public?: boolean };
    if (!cfg.public && !cfg.permission) throw new Error(`route ${String(route.method)} ${route.url} declares neither a permission nor public: true`);
  });

  let lastBackendWarning = 0;
  const guard = async (request: FastifyRequest, reply: FastifyReply) => {
    const cfg = request.routeOptions.config;
    if (cfg.public) return;
    request.principal = await authenticate(request);
    if (!request.principal.permissions.has(cfg.permission!)) {
      pm.authFailures.inc({ code: 'PERMISSION_DENIED' });
      throw new AppError(403, 'PERMISSION_DENIED', `this endpoint needs the permission "${cfg.permission}", which the caller's roles do not grant`);
    }
    activeUsers.seen(request.principal.userId);
    await rateLimit(request, reply, request.principal);
  };

  async function authenticate(request: FastifyRequest): Promise<Principal> {
    const header = request.headers.authorization;
    const apiKey = request.headers['x-api-key'];
    try {
      if (typeof apiKey === 'string') return await database(() => accounts.authenticateKeyCached(apiKey, clock(), config.API_KEY_CACHE_TTL_MS));
      if (typeof header === 'string' && /^bearer /i.test(header)) {
        const token = header.slice(7).trim();
        if (token.startsWith('gk_')) return await database(() => accounts.authenticateKeyCached(token, clock(), config.API_KEY_CACHE_TTL_MS));
        const claims = signer.verify(token, clock());
        return { userId: claims.sub, apiKeyId: null, tier: claims.tier, permissions: new Set(claims.perms) };
      }
      throw new AppError(401, 'MISSING_CREDENTIALS', 'send an API key (X-API-Key) or an access token (Authorization: Bearer)', {
        headers: { 'www-authenticate': 'Bearer realm="prediction-api"' },
      });
    } catch (e) {
      if (e instanceof AppError && e.statusCode === 401) pm.authFailures.inc({ code: e.code });
      throw e;
    }
  }

  async function rateLimit(request: FastifyRequest, reply: FastifyReply, principal: Principal): Promise<void> {
    const tier = limits.tiers.get(principal.tier) ?? limits.tiers.get(limits.defaultTier)!;
    const endpoint = limits.endpoints.get(`${request.method} ${request.routeOptions.url}`);
    if (!RateLimiter.limited(tier)) {
      pm.rateLimitDecisions.inc({ tier: tier.name, verdict: 'unlimited' });
      return;
    }
    const subject = principal.apiKeyId ? `key:${principal.apiKeyId}` : `user:${principal.userId}`;
    let decision;
    try {
      decision = await redisBreaker.call(() => limiter.check(subject, tier, endpoint, clock()));
    } catch (err) {
      const mode = limits.whenRedisDown;
      pm.rateLimitBackendFailures.inc({ mode });
      if (Date.now() - lastBackendWarning > 10_000) {
        lastBackendWarning = Date.now();
        request.log.warn({ err, mode }, mode === 'open' ? 'rate limiter unavailable: failing open, requests are served unlimited' : 'rate limiter unavailable: failing closed, requests are refused');
      }
      if (mode === 'open') return;
      throw new AppError(503, 'RATE_LIMITER_UNAVAILABLE', 'the rate limiter is unavailable and this API fails closed; retry shortly', { headers: { 'retry-after': '1' } });
    }
    pm.rateLimitDecisions.inc({ tier: tier.name, verdict: decision.verdict });
    reply.headers(decision.headers);
    if (decision.verdict === 'allowed') return;
    const [code, message] =
      decision.verdict === 'daily'
        ? ['DAILY_QUOTA_EXCEEDED', `the ${tier.name} tier's daily quota of ${tier.perDay} requests is used up; it resets at 00:00 UTC`]
        : decision.verdict === 'endpoint'
          ? ['ENDPOINT_RATE_LIMITED', `${endpoint!.route} allows ${endpoint!.perMinute} requests per minute (burst ${endpoint!.burst}) per key`]
          : ['RATE_LIMITED', `the ${tier.name} tier allows ${tier.perMinute} requests per minute with bursts of ${tier.burst}`];
    throw new AppError(429, code, `${message}; retry after ${decision.retryAfterS} s`, { headers: { ...decision.headers, 'retry-after': String(decision.retryAfterS) } });
  }

  /** PostgreSQL out of reach becomes a 503 a client can retry; coded errors pass; anything else is a fault (500). */
  async function database<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof AppError || !databaseUnavailable(e)) throw e;
      throw new AppError(503, 'DATABASE_UNAVAILABLE', 'the account database is unavailable; retry shortly', { headers: { 'retry-after': '1' }, cause: e });
    }
  }

  // Before the body is validated: an unauthenticated caller learns nothing about the schema, and refused
  // callers cost no validation.
  app.addHook('preValidation', async (request, reply) => {
    if (request.routeOptions.url?.startsWith('/v1/')) await guard(request, reply);
  });

  /* ---------------------------------------------------------------------------------------------- */
  /* Accounts and tokens                                                                              */
  /* ---------------------------------------------------------------------------------------------- */

  app.get('/v1/.well-known/jwks.json', { config: { public: true, summary: 'The public key that signs access tokens (JWKS)' } }, async () => signer.jwks);

  app.post<{ Body: { username: string; password: string; email?: string } }>(
    '/v1/auth/register',
    { config: { public: true, summary: 'Register an account (role customer, the default tier); an e-mail address makes password reset possible' }, schema: { body: { type: 'object', additionalProperties: false, required: ['username', 'password'], properties: { username, password, email } } } },
    async (request, reply) => reply.code(201).send(await database(() => accounts.register(request.body.username, request.body.password, limits.defaultTier, request.body.email))),
  );

  // Password reset. The request answers 202 before anything is looked up, whether or not an account has
  // the address, so neither the answer nor its timing tells who has an account; the token goes out by mail.
  const relay = new MailRelay(config.MAIL_RELAY_URL, config.MAIL_RELAY_SECRET, config.MAIL_RELAY_TIMEOUT_MS);
  const resets = new Set<Promise<void>>();
  async function sendReset(address: string, log: FastifyBaseLogger): Promise<void> {
    let outcome = 'error';
    try {
      const created = await accounts.createReset(address, new Date(clock()), config.PASSWORD_RESET_TTL_S);
      outcome = created.outcome;
      if (created.outcome !== 'created') return;
      try {
        await relay.sendPasswordReset(created.mail);
        outcome = 'sent';
      } catch (err) {
        outcome = 'delivery_failed';
        await accounts.dropReset(created.mail.id);
        log.warn({ err, reset: created.mail.id }, 'password-reset mail not delivered; the reset is dropped, the user may ask again');
      }
    } catch (err) {
      log.error({ err }, 'password reset failed');
    } finally {
      pm.passwordResets.inc({ outcome });
    }
  }
  app.addHook('onClose', async () => {
    await Promise.allSettled(resets);
  });

  app.post<{ Body: { email: string } }>(
    '/v1/auth/password-reset',
    { config: { public: true, summary: 'Ask for a password-reset token by mail (202 whether or not an account has the address)' }, schema: { body: { type: 'object', additionalProperties: false, required: ['email'], properties: { email } } } },
    async (request, reply) => {
      const pending = sendReset(request.body.email, request.log).finally(() => resets.delete(pending));
      resets.add(pending);
      return reply.code(202).send({ accepted: true, message: `if an account has this address, a reset token is on its way to it; the token works once, for ${Math.round(config.PASSWORD_RESET_TTL_S / 60)} minutes` });
    },
  );

  app.post<{ Body: { token: string; password: string } }>(
    '/v1/auth/password-reset/confirm',
    {
      config: { public: true, summary: 'Set a new password with a reset token (once); every session of the account ends' },
      schema: { body: { type: 'object', additionalProperties: false, required: ['token', 'password'], properties: { token: { type: 'string', minLength: 1, maxLength: 200 }, password } } },
    },
    async (request) => {
      const done = await database(() => accounts.confirmReset(request.body.token, request.body.password, new Date(clock())));
      request.log.info({ user: done.userId, sessionsRevoked: done.sessionsRevoked }, 'password reset');
      return { reset: true, sessionsRevoked: done.sessionsRevoked };
    },
  );

  interface TokenBody {
    grant_type: 'password' | 'refresh_token';
    username?: string;
    password?: string;
    refresh_token?: string;
    scope?: string;
  }
  app.post<{ Body: TokenBody }>(
    '/v1/oauth/token',
    {
      config: { public: true, summary: 'OAuth2 token endpoint: password or refresh_token grant (JSON or form)' },
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['grant_type'],
          properties: {
            grant_type: { enum: ['password', 'refresh_token'] },
            username: { type: 'string', minLength: 1, maxLength: 64 },
            password: { type: 'string', minLength: 1, maxLength: 256 },
            refresh_token: { type: 'string', minLength: 1, maxLength: 200 },
            scope: { type: 'string', maxLength: 200 },
          },
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const needed = body.grant_type === 'password' ? (['username', 'password'] as const) : (['refresh_token'] as const);
      const missing = needed.filter((k) => body[k] === undefined);
      if (missing.length > 0)
        throw new AppError(400, 'VALIDATION_FAILED', `grant_type=${body.grant_type} needs ${needed.join(' and ')}`, {
          errors: missing.map((k) => ({ in: 'body', path: `/${k}`, message: 'is required' })),
        });
      const now = new Date(clock());
      let principal: Principal;
      let family: string | null = null;
      if (body.grant_type === 'password') principal = await database(() => accounts.login(body.username!, body.password!));
      else {
        const used = await database(() => accounts.useRefresh(body.refresh_token!, now));
        family = used.family;
        principal = await database(() => accounts.principal(used.userId, null));
      }
      const refresh = await database(() => accounts.issueRefresh(principal.userId, family, now, config.REFRESH_TOKEN_TTL_S));
      const perms = [...principal.permissions].sort();
      reply.header('cache-control', 'no-store');
      return {
        access_token: signer.issue({ sub: principal.userId, tier: principal.tier, perms }, clock(), config.ACCESS_TOKEN_TTL_S),
        token_type: 'Bearer',
        expires_in: config.ACCESS_TOKEN_TTL_S,
        refresh_token: refresh.token,
        refresh_expires_in: config.REFRESH_TOKEN_TTL_S,
        scope: perms.join(' '),
      };
    },
  );

  // Logout (RFC 7009): the refresh token's session ends on every replica; 200 whether or not it was known.
  app.post<{ Body: { token: string } }>(
    '/v1/oauth/revoke',
    { config: { public: true, summary: 'Log out: revoke a refresh token and its family (RFC 7009)' }, schema: { body: { type: 'object', additionalProperties: false, required: ['token'], properties: { token: { type: 'string', minLength: 1, maxLength: 200 }, token_type_hint: { type: 'string', maxLength: 50 } } } } },
    async (request) => {
      await database(() => accounts.revokeRefresh(request.body.token, new Date(clock())));
      return { revoked: true };
    },
  );

  app.post<{ Body: { name: string } }>(
    '/v1/api-keys',
    { config: { permission: 'api-keys:manage', summary: 'Create an API key (shown once)' }, schema: { body: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 100 } } } } },
    async (request, reply) => {
      const p = request.principal!;
      return reply.code(201).send(await database(() => accounts.createKey(p.userId, request.body.name, p.tier)));
    },
  );

  app.get('/v1/api-keys', { config: { permission: 'api-keys:manage', summary: 'List your API keys' } }, async (request) => ({ keys: await database(() => accounts.listKeys(request.principal!.userId)) }));

  app.delete<{ Params: { id: string } }>(
    '/v1/api-keys/:id',
    { config: { permission: 'api-keys:manage', summary: 'Revoke one of your API keys' }, schema: { params: { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } } },
    async (request, reply) => {
      const p = request.principal!;
      if (!(await database(() => accounts.revokeKey(p.userId, request.params.id, new Date(clock())))))
        throw new AppError(404, 'API_KEY_NOT_FOUND', `you have no API key ${request.params.id}`);
      await database(() => accounts.audit(new Date(clock()), `user:${p.userId}`, 'api-key.revoke', `api-key:${request.params.id}`, {}));
      return reply.code(204).send();
    },
  );

  /* ---------------------------------------------------------------------------------------------- */
  /* Predictions and model versions                                                                   */
  /* ---------------------------------------------------------------------------------------------- */

  const servedModel = () => {
    const current = served.current;
    if (!current) throw new AppError(503, 'MODEL_UNAVAILABLE', 'no model version is in service yet; promote one with POST /v1/models/:version/promote', { headers: { 'retry-after': '5' } });
    return current;
  };

  /** The served output's distribution: scores and labels per version. */
  const observe = (version: string, prediction: ReturnType<typeof predict>) => {
    pm.sentimentScore.observe({ model_version: version }, prediction.sentiment.score);
    pm.predictionLabels.inc({ model_version: version, label: prediction.sentiment.label });
  };

  app.post<{ Body: PredictionInput }>('/v1/predict', { config: { permission: 'predictions:create', summary: 'Predict sentiment and air quality for one location' }, schema: { body: inputSchema } }, async (request, reply) => {
    const { version, model } = servedModel();
    const end = pm.modelLatency.startTimer({ endpoint: 'single' });
    const prediction = predict(model, request.body);
    end();
    pm.predictions.inc({ model_version: version, endpoint: 'single' });
    observe(version, prediction);
    reply.header('model-version', version);
    return { modelVersion: version, ...prediction };
  });

  app.post<{ Body: { items: PredictionInput[] } }>(
    '/v1/predict/batch',
    {
      config: { permission: 'predictions:create', summary: 'Predict for up to MAX_BATCH_ITEMS locations at once' },
      schema: { body: { type: 'object', additionalProperties: false, required: ['items'], properties: { items: { type: 'array', minItems: 1, maxItems: config.MAX_BATCH_ITEMS, items: inputSchema } } } },
    },
    async (request, reply) => {
      const { version, model } = servedModel();
      const end = pm.modelLatency.startTimer({ endpoint: 'batch' });
      const predictions = request.body.items.map((item) => predict(model, item));
      end();
      pm.predictions.inc({ model_version: version, endpoint: 'batch' }, predictions.length);
      for (const prediction of predictions) observe(version, prediction);
      reply.header('model-version', version);
      return { modelVersion: version, predictions };
    },
  );

  const storeCall = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await storeBreaker.call(fn);
    } catch (e) {
      if (e instanceof ModelInvalidError) throw e;
      throw new AppError(503, 'MODEL_STORE_UNAVAILABLE', 'the model store is unavailable; retry shortly', { headers: { 'retry-after': '5' }, cause: e });
    }
  };

  app.get('/v1/models', { config: { permission: 'models:read', summary: 'The model versions: served, promoted and stored' } }, async () => {
    const [versions, current] = await Promise.all([storeCall(() => listVersions(deps.store)), storeCall(() => readCurrent(deps.store))]);
    return { serving: served.current?.version ?? null, promoted: current ?? null, versions };
  });

  app.post<{ Params: { version: string } }>(
    '/v1/models/:version/promote',
    { config: { permission: 'models:promote', summary: 'Promote a model version: every replica serves it within MODEL_REFRESH_MS' }, schema: { params: { type: 'object', required: ['version'], properties: { version: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' } } } } },
    async (request) => {
      const { version } = request.params;
      const actor = request.principal!.apiKeyId ? `api-key:${request.principal!.apiKeyId}` : `user:${request.principal!.userId}`;
      if (!isVersion(version)) throw new AppError(400, 'VALIDATION_FAILED', 'not a version name');
      const exists = await storeCall(() => deps.store.get(modelKeys.manifest(version)));
      if (!exists) throw new AppError(404, 'MODEL_VERSION_UNKNOWN', `there is no model version ${version}; GET /v1/models lists them`);
      let loaded;
      try {
        loaded = await storeCall(() => loadVersion(deps.store, version));
      } catch (e) {
        if (!(e instanceof ModelInvalidError)) throw e;
        pm.modelLoadFailures.inc({ version });
        throw new AppError(422, 'MODEL_INVALID', `${e.message}; the version in service is unchanged`);
      }
      const previous = (await storeCall(() => readCurrent(deps.store)))?.version ?? null;
      const pointer = { version, promotedAt: new Date(clock()).toISOString(), promotedBy: actor };
      // Audited first: a promotion that is not in the log does not happen.
      await database(() => accounts.audit(new Date(clock()), actor, 'model.promote', `model:${version}`, { previous }));
      await storeCall(() => deps.store.put(modelKeys.current, JSON.stringify(pointer), 'application/json'));
      served.use(loaded);
      pm.promotions.inc({ version });
      request.log.info({ version, previous, actor }, 'model version promoted');
      return { ...pointer, previous };
    },
  );

  app.get('/v1/openapi.json', { config: { public: true, summary: 'This document' } }, async () => openApiDocument(PREDICTION_API, routes));

  return app;
}

/** The OpenAPI document's description of the API (apps/prediction-api/openapi.json is its committed copy). */
export const PREDICTION_API = {
  title: 'prediction-api',
  version: '1',
  description: 'Regional climate-sentiment and air-quality predictions, sold in rate-limit tiers (tenant geo-climate). Every error is a coded JSON body; see apps/prediction-api/README.md for the codes.',
  prefix: '/v1/',
  securitySchemes: {
    apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'An API key (gk_…) from POST /v1/api-keys' },
    bearer: { type: 'http', scheme: 'bearer', description: 'An access token (JWT, EdDSA) from POST /v1/oauth/token, or an API key' },
  },
};
