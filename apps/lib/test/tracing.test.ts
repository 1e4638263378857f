/**
 * OpenTelemetry over OTLP/HTTP: with OTEL_EXPORTER_OTLP_ENDPOINT set, a request produces a server
 * span that continues the caller's trace, its context travels on in the Kafka record headers, and
 * the spans reach a real OTLP receiver (a local HTTP server) on shutdown. Without it, no spans.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { TopicMessages } from 'kafkajs';
import { hashApiKey } from '../api-keys.ts';
import { buildApp } from '../../event-ingestion/src/app.ts';
import { ingestionSchema, type IngestionConfig } from '../../event-ingestion/src/config.ts';
import { loadConfig } from '../config.ts';
import { createMetrics } from '../metrics.ts';
import { startTracing } from '../tracing.ts';

interface OtlpSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
}

let receiver: Server;
const exports: Array<{ contentType: string; body: any }> = [];

describe('tracing over OTLP/HTTP', () => {
  before(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.url === '/v1/traces') exports.push({ contentType: String(req.headers['content-type']), body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  });
  after(() => new Promise<void>((r) => receiver.close(() => r())));

  test('a request continues the caller trace, stamps the Kafka headers and is exported', async () => {
    const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const key = 'trace-test-key-0123456789';
    const config = loadConfig<IngestionConfig>('event-ingestion', ingestionSchema, {
      SERVICE_NAME: 'event-ingestion', TENANT: 'gamemetrics', ENVIRONMENT: 'dev', NAMESPACE: 'gamemetrics', PORT: '0', LOG_LEVEL: 'silent',
      KAFKA_BROKERS: '127.0.0.1:9', KAFKA_CLIENT_ID: 'event-ingestion', KAFKA_USERNAME: 'u', KAFKA_PASSWORD: 'p',
      KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SSL: 'false', KAFKA_TOPIC_PLAYER_EVENTS_RAW: 'player.events.raw',
      KAFKA_SCHEMA_PLAYER_EVENTS_RAW: '{}', API_KEYS: `studio:${hashApiKey(key)}`, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    });
    const tracing = startTracing(config.SERVICE_NAME, config.OTEL_EXPORTER_OTLP_ENDPOINT, { 'deployment.environment': 'dev' });
    assert.equal(tracing.enabled, true);
    const sent: TopicMessages[] = [];
    const app = buildApp(config, {
      metrics: createMetrics('event-ingestion', false),
      tracing,
      producer: { send: async (tm) => void sent.push(...tm), isReady: () => true },
    });
    const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    const res = await app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { 'content-type': 'application/json', 'x-api-key': key, traceparent: `00-${callerTrace}-${callerSpan}-01` },
      payload: { eventId: randomUUID(), playerId: 'p1', gameId: 'g1', type: 'score', timestamp: new Date().toISOString(), payload: { score: 1 } },
    });
    assert.equal(res.statusCode, 202);
    await app.close();
    await tracing.shutdown();

    const header = String(sent[0].messages[0].headers?.traceparent);
    assert.match(header, new RegExp(`^00-${callerTrace}-[0-9a-f]{16}-01$`), 'the Kafka record carries the trace');
    assert.ok(exports.length > 0, 'spans were exported');
    const resourceSpans = exports.flatMap((e) => e.body.resourceSpans);
    const serviceName = resourceSpans[0].resource.attributes.find((a: { key: string }) => a.key === 'service.name');
    assert.deepEqual(serviceName.value, { stringValue: 'event-ingestion' });
    const spans: OtlpSpan[] = resourceSpans.flatMap((r: any) => r.scopeSpans.flatMap((s: any) => s.spans));
    const server = spans.find((s) => s.name === 'POST /v1/events');
    assert.ok(server, `a server span; got ${spans.map((s) => s.name).join(', ')}`);
    assert.equal(server.traceId, callerTrace);
    assert.equal(server.parentSpanId, callerSpan);
    assert.equal(header.split('-')[2], server.spanId, 'the record is a child of the request span');
    const status = server.attributes.find((a) => a.key === 'http.response.status_code');
    assert.deepEqual(status?.value, { intValue: 202 });
  });

  test('without an endpoint tracing is off', () => {
    const tracing = startTracing('x', undefined);
    assert.equal(tracing.enabled, false);
  });
});
