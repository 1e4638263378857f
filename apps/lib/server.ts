/**
 * The Fastify app every service starts from: pino JSON logs, strict schema validation that reports
 * every field error, a UTF-8-checked JSON parser, coded error bodies, `/healthz`, `/readyz`,
 * `/metrics`, per-route request metrics and (optional) a server span per request.
 */
import { isUtf8 } from 'node:buffer';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { Ajv } from 'ajv';
import { addEventFormats } from './formats.ts';
import Fastify, { LogController, type FastifyInstance, type FastifyRequest } from 'fastify';
import secureJsonParse from 'secure-json-parse';
import { AppError, toFieldErrors } from './errors.ts';
import { jsonProblems, type JsonProblemKind } from './json-limits.ts';
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
  /** Default body limit in bytes (after decompression). @default 1 MiB */
  bodyLimit?: number;
  /** Deepest nesting of a JSON body. @default 32 */
  maxJsonDepth?: number;
  /** Connection limits; without them Node's defaults apply (which let a stalled client hold a connection for minutes). */
  connections?: ConnectionLimits;
}

export interface ConnectionLimits {
  /** Milliseconds to receive a whole request, headers and body (408 after). */
  requestTimeoutMs: number;
  /** Milliseconds an idle keep-alive connection stays open. */
  keepAliveTimeoutMs: number;
  /** Open connections per client address; more are closed at once. */
  maxPerClient: number;
}

const JSON_PROBLEM_CODES: Record<JsonProblemKind, string> = {
  depth: 'NESTING_TOO_DEEP',
  'duplicate-key': 'DUPLICATE_KEY',
  'number-range': 'NUMBER_OUT_OF_RANGE',
  nul: 'INVALID_CHARACTER',
  'lone-surrogate': 'INVALID_CHARACTER',
};

/** A Transform that fails with 413 once more than `limit` bytes went through it. */
function byteLimit(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, callback) {
      seen += chunk.length;
      if (seen > limit) callback(new AppError(413, 'PAYLOAD_TOO_LARGE', `the decompressed request body is larger than this endpoint accepts (${limit} bytes)`));
      else callback(null, chunk);
    },
  });
}

/** `Content-Encoding: gzip` bodies, decompressed with the route's body limit applied to the result. */
function decodeBody(request: FastifyRequest, payload: Readable): Readable {
  const encoding = String(request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return payload;
  if (encoding !== 'gzip')
    throw new AppError(415, 'UNSUPPORTED_ENCODING', `unsupported Content-Encoding ${JSON.stringify(encoding)}; send gzip or no encoding`, { headers: { 'accept-encoding': 'gzip' } });
  const gunzip = createGunzip();
  const out = byteLimit(request.routeOptions.bodyLimit ?? 1024 * 1024) as Transform & { receivedEncodedLength: number };
  // Fastify compares this with Content-Length (the compressed size).
  out.receivedEncodedLength = 0;
  payload.on('data', (chunk: Buffer) => {
    out.receivedEncodedLength += chunk.length;
  });
  gunzip.on('error', () => out.destroy(new AppError(400, 'INVALID_ENCODING', 'the request body is not valid gzip')));
  // Past the limit (or on any failure) stop inflating at once: a bomb would otherwise go on expanding.
  out.on('error', () => {
    payload.unpipe(gunzip);
    gunzip.destroy();
  });
  payload.pipe(gunzip).pipe(out);
  return out;
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
    ...(options.connections
      ? {
          requestTimeout: options.connections.requestTimeoutMs,
          keepAliveTimeout: options.connections.keepAliveTimeoutMs,
          http: {
            headersTimeout: options.connections.requestTimeoutMs,
            // Node checks the two timeouts above on this interval (30 s by default).
            connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(options.connections.requestTimeoutMs / 4))),
          },
        }
      : {}),
    // Errors before a request exists (oversized headers, timeouts, bad HTTP) in the same coded body.
    clientErrorHandler: (err: NodeJS.ErrnoException, socket: Socket) => {
      if (err.code === 'ECONNRESET' || socket.destroyed) return;
      const [status, code, message] =
        err.code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'HEADERS_TOO_LARGE', 'the request headers are larger than the server accepts (16 KiB); send fewer or shorter headers']
          : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? [408, 'REQUEST_TIMEOUT', 'the request was not received in time; send it whole, without pauses']
            : [400, 'BAD_REQUEST', 'the request is not valid HTTP/1.1'];
      const body = JSON.stringify({ statusCode: status, code, message });
      if (socket.writable)
        socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`);
      socket.destroy();
    },
  });
  if (options.connections) limitConnectionsPerClient(app.server, options.connections.maxPerClient);
  const maxJsonDepth = options.maxJsonDepth ?? 32;
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
    const text = buf.toString('utf8');
    let parsed: unknown;
    try {
      parsed = secureJsonParse.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
    } catch (e) {
      return done(new AppError(400, 'MALFORMED_JSON', `the request body is not valid JSON: ${(e as Error).message}`));
    }
    // What JSON.parse accepts but the store cannot hold (or holds changed) is refused here, not downstream.
    const problems = jsonProblems(text, maxJsonDepth);
    if (problems.length === 0) return done(null, parsed);
    const first = problems[0];
    done(
      new AppError(400, JSON_PROBLEM_CODES[first.kind], `the request body ${first.message} (at ${first.path})${problems.length > 1 ? `, and ${problems.length - 1} more problem(s)` : ''}`, {
        errors: problems.map((p) => ({ in: 'body', path: p.path, message: p.message })),
      }),
    );
  });
  app.addHook('preParsing', async (request, _reply, payload) => decodeBody(request, payload));

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

/** Close a client's connections beyond `max` as they open (by peer address). */
function limitConnectionsPerClient(server: FastifyInstance['server'], max: number): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const peer = socket.remoteAddress ?? '';
    const count = (open.get(peer) ?? 0) + 1;
    if (count > max) {
      socket.destroy();
      return;
    }
    open.set(peer, count);
    socket.once('close', () => {
      const left = (open.get(peer) ?? 1) - 1;
      if (left === 0) open.delete(peer);
      else open.set(peer, left);
    });
  });
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
