/**
 * event-ingestion's HTTP API. `POST /v1/events` (one event, up to 64 KiB) and
 * `POST /v1/events/batch` (up to MAX_BATCH_EVENTS events, 500 by default, and MAX_BODY_BYTES,
 * 1 MiB by default) validate, then write to player.events.raw keyed by player, and answer 202
 * only after Kafka acknowledged (acks=all).
 */
import { context, trace } from '@opentelemetry/api';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Message } from 'kafkajs';
import { AppError, type FieldError } from '@gamemetrics/service-kit/errors.ts';
import type { Metrics } from '@gamemetrics/service-kit/metrics.ts';
import { businessMetrics } from './business-metrics.ts';
import { playerEventSchema, type PlayerEvent } from '@gamemetrics/service-kit/player-event.ts';
import { KafkaUnavailableError, type EventSink } from '@gamemetrics/service-kit/producer.ts';
import { createServer } from '@gamemetrics/service-kit/server.ts';
import { injectKafkaHeaders, type Tracing } from '@gamemetrics/service-kit/tracing.ts';
import { parseApiKeys, presentedKey, tenantOf } from '@gamemetrics/service-kit/api-keys.ts';
import type { IngestionConfig } from './config.ts';

export const MAX_EVENT_BYTES = 64 * 1024;

export interface IngestionDeps {
  producer: EventSink;
  metrics: Metrics;
  tracing?: Tracing;
}

declare module 'fastify' {
  interface FastifyRequest {
    tenant?: string;
  }
}

function batchSchema(maxEvents: number) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['events'],
    properties: { events: { type: 'array', minItems: 1, maxItems: maxEvents, items: playerEventSchema } },
  };
}

const acceptedSchema = {
  202: {
    type: 'object',
    properties: { accepted: { type: 'integer' }, eventIds: { type: 'array', items: { type: 'string' } } },
  },
};

/** Event ids are UUIDs, which compare case-insensitively: lower-case them before anything compares them. */
function normaliseIds(events: PlayerEvent[]): void {
  for (const e of events) e.eventId = e.eventId.toLowerCase();
}

function duplicateIds(events: PlayerEvent[]): FieldError[] {
  const seen = new Map<string, number>();
  const errors: FieldError[] = [];
  events.forEach((e, i) => {
    const first = seen.get(e.eventId);
    if (first === undefined) seen.set(e.eventId, i);
    else errors.push({ in: 'body', path: `/events/${i}/eventId`, message: `duplicates /events/${first}/eventId in the same batch` });
  });
  return errors;
}

export function buildApp(config: IngestionConfig, deps: IngestionDeps): FastifyInstance {
  const { producer, metrics, tracing } = deps;
  const topic = config.KAFKA_TOPIC_PLAYER_EVENTS_RAW;
  const keys = parseApiKeys(config.API_KEYS).keys;
  const app = createServer({
    service: config.SERVICE_NAME,
    logLevel: config.LOG_LEVEL,
    metrics,
    tracing,
    readiness: { kafka: () => producer.isReady() },
    bodyLimit: config.MAX_BODY_BYTES,
    connections: {
      requestTimeoutMs: config.INGEST_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: config.INGEST_KEEPALIVE_TIMEOUT_MS,
      maxPerClient: config.INGEST_MAX_CONNECTIONS_PER_CLIENT,
    },
  });
  let inFlight = 0;
  const business = businessMetrics(metrics.registry);

  // Authentication and load shedding run before the body is read.
  async function admit(request: FastifyRequest): Promise<void> {
    const key = presentedKey(request.headers);
    if (key === undefined)
      throw new AppError(401, 'API_KEY_MISSING', 'send your API key in the X-API-Key header', { headers: { 'www-authenticate': 'Bearer' } });
    const tenant = tenantOf(keys, key);
    if (tenant === undefined)
      throw new AppError(401, 'API_KEY_INVALID', 'the API key is not valid', { headers: { 'www-authenticate': 'Bearer' } });
    request.tenant = tenant;
    if (inFlight >= config.INGEST_MAX_IN_FLIGHT)
      throw new AppError(503, 'OVERLOADED', 'too many requests in progress; retry after a second', { headers: { 'retry-after': '1' } });
  }

  async function publish(request: FastifyRequest, reply: FastifyReply, events: PlayerEvent[]) {
    if (!producer.isReady())
      throw new AppError(503, 'KAFKA_UNAVAILABLE', 'events cannot be stored right now; retry later', { headers: { 'retry-after': '1' } });
    const tenant = request.tenant as string;
    const receivedAt = new Date().toISOString();
    const ctx = request.otelSpan ? trace.setSpan(context.active(), request.otelSpan) : undefined;
    // The record value is the event plus tenant and receivedAt: the validated event (no other
    // fields, so never these two) serialised once, with the two appended before its closing brace.
    const tail = `,"tenant":${JSON.stringify(tenant)},"receivedAt":"${receivedAt}"}`;
    const headers = { tenant }; // shared by the request's records: kafkajs only reads headers
    const messages: Message[] = events.map((e) => ({
      key: e.playerId,
      value: JSON.stringify(e).slice(0, -1) + tail,
      headers: ctx ? injectKafkaHeaders(ctx, { tenant }) : headers,
    }));
    inFlight++;
    try {
      await producer.send([{ topic, messages }]);
    } catch (e) {
      if (e instanceof KafkaUnavailableError)
        throw new AppError(503, 'KAFKA_UNAVAILABLE', 'events were not stored; retry later with the same event ids', {
          headers: { 'retry-after': '1' },
          cause: e,
        });
      throw e;
    } finally {
      inFlight--;
    }
    business.record(events);
    return reply.code(202).send({ accepted: events.length, eventIds: events.map((e) => e.eventId) });
  }

  app.post<{ Body: PlayerEvent }>(
    '/v1/events',
    { bodyLimit: Math.min(MAX_EVENT_BYTES, config.MAX_BODY_BYTES), onRequest: admit, schema: { body: playerEventSchema, response: acceptedSchema } },
    (request, reply) => {
      normaliseIds([request.body]);
      return publish(request, reply, [request.body]);
    },
  );

  app.post<{ Body: { events: PlayerEvent[] } }>(
    '/v1/events/batch',
    { bodyLimit: config.MAX_BODY_BYTES, onRequest: admit, schema: { body: batchSchema(config.MAX_BATCH_EVENTS), response: acceptedSchema } },
    (request, reply) => {
      normaliseIds(request.body.events);
      const dups = duplicateIds(request.body.events);
      if (dups.length > 0)
        throw new AppError(400, 'VALIDATION_FAILED', `invalid body: ${dups.length} problem(s)`, { errors: dups });
      return publish(request, reply, request.body.events);
    },
  );

  // The event routes take POST only; other methods learn which.
  for (const url of ['/v1/events', '/v1/events/batch'])
    app.route({
      method: ['GET', 'PUT', 'DELETE', 'PATCH'],
      url,
      exposeHeadRoute: false,
      handler: async (request, reply) =>
        reply.code(405).header('allow', 'POST').send({ statusCode: 405, code: 'METHOD_NOT_ALLOWED', message: `${request.method} is not allowed on ${url}; use POST` }),
    });

  return app;
}
