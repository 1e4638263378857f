/**
 * The Fastify app every service starts from: pino JSON logs, strict schema validation that reports
 * every field error, a UTF-8-checked JSON parser, coded error bodies, `/healthz`, `/readyz`,
 * `/metrics`, per-route request metrics and (optional) a server span per request.
 */
import { isUtf8 } from 'node:buffer';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { Ajv } from 'ajv';
import { addEventFormats } from './formats.ts';
import Fastify, { LogController, type FastifyInstance, type FastifyRequest } from 'fastify';
import secureJsonParse from 'secure-json-parse';
import { AppError, toFieldErrors } from './errors.ts';
import type { Metrics } from './metrics.ts';
import type { Tracing } from './tracing.ts';

export type ReadinessCheck = () => boolean | Promise<boolean>;

export interface ServerOptions {
  service: string;
  logLevel: string;
  metrics: Metrics;
  tracing?: Tracing;
  /** Named dependencies that must be up for /readyz to answer 200. */
  readiness: Record<string, ReadinessCheck>;
  /** Default body limit in bytes. @default 1 MiB */
  bodyLimit?: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    otelSpan?: Span;
  }
  interface FastifyInstance {
    /** Make /readyz answer 503 from now on (first step of a graceful shutdown). */
    markShuttingDown(): void;
  }
}

// Bodies are validated strictly (no coercion, no stripping); query strings and params are
// coerced from strings. Both report all errors.
// The routes' patterns are ASCII classes, which match the same strings with or without the `u`
// flag; without it V8 runs them faster.
const bodyAjv = new Ajv({ allErrors: true, coerceTypes: false, removeAdditional: false, useDefaults: true, strict: false, unicodeRegExp: false });
const queryAjv = new Ajv({ allErrors: true, coerceTypes: true, removeAdditional: false, useDefaults: true, strict: false, unicodeRegExp: false });
addEventFormats(bodyAjv);
addEventFormats(queryAjv);

async function withTimeout(check: ReadinessCheck, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve().then(check),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), ms);
      }),
    ]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched';
}

export function createServer(options: ServerOptions): FastifyInstance {
  const { metrics, tracing } = options;
  const app = Fastify({
    logger: { level: options.logLevel, base: { service: options.service } },
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // Per-request logs would dominate the cost at thousands of requests/s; metrics cover them.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
  });
  let shuttingDown = false;

  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : queryAjv).compile(schema));
  app.setSchemaErrorFormatter((errors, dataVar) => {
    const err = new AppError(400, 'VALIDATION_FAILED', `invalid ${dataVar}: ${errors.length} problem(s)`, {
      errors: toFieldErrors(dataVar, errors),
    });
    return err;
  });

  // JSON only, checked to be UTF-8 before parsing; other media types get 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => {
    const buf = body as Buffer;
    if (buf.length === 0) return done(new AppError(400, 'EMPTY_BODY', 'the request body is empty; send a JSON document'));
    if (!isUtf8(buf)) return done(new AppError(400, 'INVALID_ENCODING', 'the request body is not valid UTF-8'));
    // PostgreSQL text and jsonb cannot hold NUL characters; refuse them here rather than downstream.
    if (buf.includes('\\u0000')) return done(new AppError(400, 'INVALID_CHARACTER', 'the request body contains a NUL character (\\u0000), which is not accepted'));
    try {
      done(null, secureJsonParse.parse(buf.toString('utf8'), undefined, { protoAction: 'error', constructorAction: 'error' }));
    } catch (e) {
      done(new AppError(400, 'MALFORMED_JSON', `the request body is not valid JSON: ${(e as Error).message}`));
    }
  });

  app.addHook('onRequest', async (request) => {
    if (!tracing?.enabled) return;
    const parent = propagation.extract(context.active(), request.headers);
    request.otelSpan = tracing.tracer.startSpan(
      `${request.method} ${routeOf(request)}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'url.path': request.url } },
      parent,
    );
  });

  app.addHook('onResponse', async (request, reply) => {
    const labels = { method: request.method, route: routeOf(request), status_code: String(reply.statusCode) };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
    const span = request.otelSpan;
    if (span) {
      span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof AppError) {
      if (error.headers) reply.headers(error.headers);
      if (error.statusCode >= 500) request.log.warn({ code: error.code, err: error.cause ?? error }, error.message);
      return reply.code(error.statusCode).send(error.toBody());
    }
    const e = error as { code?: string; statusCode?: number; message: string };
    const known: Record<string, [number, string]> = {
      FST_ERR_CTP_BODY_TOO_LARGE: [413, 'PAYLOAD_TOO_LARGE'],
      FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'UNSUPPORTED_MEDIA_TYPE'],
      FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'INVALID_CONTENT_LENGTH'],
      FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'EMPTY_BODY'],
    };
    const mapped = e.code ? known[e.code] : undefined;
    if (mapped) {
      const message =
        mapped[0] === 413
          ? `the request body is larger than this endpoint accepts (${request.routeOptions.bodyLimit} bytes)`
          : mapped[0] === 415
            ? `unsupported Content-Type ${JSON.stringify(request.headers['content-type'] ?? '')}; send application/json`
            : e.message;
      return reply.code(mapped[0]).send({ statusCode: mapped[0], code: mapped[1], message });
    }
    const status = e.statusCode && e.statusCode >= 400 && e.statusCode < 500 ? e.statusCode : 500;
    if (status === 500) request.log.error({ err: error }, 'unhandled error');
    return reply.code(status).send({
      statusCode: status,
      code: status === 500 ? 'INTERNAL' : (e.code ?? 'BAD_REQUEST'),
      message: status === 500 ? 'internal error' : e.message,
    });
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ statusCode: 404, code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` });
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const names = Object.keys(options.readiness);
    const results = await Promise.all(names.map((n) => withTimeout(options.readiness[n], 2000)));
    const checks = Object.fromEntries(names.map((n, i) => [n, results[i] ? 'up' : 'down']));
    const ready = !shuttingDown && results.every(Boolean);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : shuttingDown ? 'shutting-down' : 'not-ready', checks });
  });

  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  app.decorate('markShuttingDown', () => {
    shuttingDown = true;
  });
  return app;
}

/** Run `fn` inside a span (no-op tracer when tracing is off). */
export async function inSpan<T>(tracing: Tracing | undefined, name: string, fn: (span: Span | undefined) => Promise<T>, parent = context.active()): Promise<T> {
  if (!tracing?.enabled) return fn(undefined);
  const span = tracing.tracer.startSpan(name, {}, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (e) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error).message });
    throw e;
  } finally {
    span.end();
  }
}

/**
 * Stop accepting, let in-flight requests finish, and close keep-alive connections as soon as they
 * fall idle (Fastify keeps them open for 72 s otherwise, which would outlast the grace period).
 */
export async function closeGracefully(app: FastifyInstance): Promise<void> {
  app.markShuttingDown();
  const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
  try {
    await app.close();
  } finally {
    clearInterval(sweep);
  }
}
