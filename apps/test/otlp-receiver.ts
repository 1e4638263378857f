/**
 * An OTLP/HTTP trace receiver on a free loopback port, standing in for the OpenTelemetry Collector that the
 * rendered ConfigMaps name in OTEL_EXPORTER_OTLP_ENDPOINT. It accepts `POST /v1/traces` in OTLP's JSON
 * encoding (what @opentelemetry/exporter-trace-otlp-http sends) and keeps every span with its service name.
 */
import { createServer, type Server } from 'node:http';
import { freePort, waitFor } from '../../scripts/harness/process.ts';

export interface ReceivedSpan {
  service: string;
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  attributes: Record<string, unknown>;
}

export interface OtlpReceiver {
  /** The endpoint (scheme, host, port): the exporter appends /v1/traces. */
  url: string;
  spans: ReceivedSpan[];
  /** Requests that were not OTLP JSON traces, with what was wrong. */
  rejected: string[];
  waitForSpan(match: (s: ReceivedSpan) => boolean, what: string, timeoutMs?: number): Promise<ReceivedSpan>;
  stop(): Promise<void>;
}

type AnyValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
const value = (v: AnyValue | undefined) => v?.stringValue ?? v?.intValue ?? v?.boolValue ?? v?.doubleValue;
const attributes = (list: Array<{ key: string; value: AnyValue }> | undefined) => Object.fromEntries((list ?? []).map((a) => [a.key, value(a.value)]));

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const rejected: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces' || !String(req.headers['content-type']).startsWith('application/json')) {
        rejected.push(`${req.method} ${req.url} (${req.headers['content-type']})`);
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      for (const rs of body.resourceSpans ?? []) {
        const service = String(attributes(rs.resource?.attributes)['service.name']);
        for (const ss of rs.scopeSpans ?? []) {
          for (const s of ss.spans ?? []) spans.push({ service, name: s.name, traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId ?? '', attributes: attributes(s.attributes) });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    rejected,
    waitForSpan: (match, what, timeoutMs = 30_000) =>
      waitFor(async () => spans.find(match), { what, timeoutMs, intervalMs: 100, detail: () => `received ${spans.length} spans: ${spans.map((s) => `${s.service}/${s.name}`).join(', ')}; rejected: ${rejected.join(', ')}` }),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
