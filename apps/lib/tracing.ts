/**
 * Optional OpenTelemetry traces over OTLP/HTTP. When OTEL_EXPORTER_OTLP_ENDPOINT is set, spans are
 * batched to `<endpoint>/v1/traces`; otherwise the tracer is a no-op and costs nothing.
 * Context travels in W3C `traceparent` headers, over HTTP and in Kafka record headers.
 */
import { context, propagation, trace, type Context, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { IHeaders } from 'kafkajs';

export interface Tracing {
  tracer: Tracer;
  enabled: boolean;
  shutdown(): Promise<void>;
}

export function startTracing(service: string, endpoint: string | undefined, attributes: Record<string, string> = {}): Tracing {
  if (!endpoint) return { tracer: trace.getTracer(service), enabled: false, shutdown: async () => {} };
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: service, ...attributes }),
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` }), {
        scheduledDelayMillis: 1000,
      }),
    ],
  });
  provider.register();
  return { tracer: provider.getTracer(service), enabled: true, shutdown: () => provider.shutdown() };
}

/** Write the active context into Kafka record headers. */
export function injectKafkaHeaders(ctx: Context, headers: IHeaders): IHeaders {
  propagation.inject(ctx, headers, {
    set: (carrier, key, value) => {
      (carrier as IHeaders)[key] = value;
    },
  });
  return headers;
}

/** Read a context from Kafka record headers (Buffers or strings). */
export function extractKafkaHeaders(headers: IHeaders | undefined): Context {
  return propagation.extract(context.active(), headers ?? {}, {
    keys: (carrier) => Object.keys(carrier as IHeaders),
    get: (carrier, key) => {
      const v = (carrier as IHeaders)[key];
      return v == null ? undefined : Array.isArray(v) ? v.map(String) : String(v);
    },
  });
}
