/**
 * The Prometheus series every service exposes on /metrics. Names are what the SLO rules use:
 * - `http_requests_total{method,route,status_code}` and
 *   `http_request_duration_seconds{method,route,status_code}` (histogram);
 * - `kafka_messages_produced_total{topic,result}`, `kafka_messages_consumed_total{topic,result}`;
 * - `kafka_consumer_lag{topic,partition}` (messages behind the high watermark).
 * Each service gets its own Registry (no global state), with the default process metrics.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { HTTP_DURATION_BUCKETS_SECONDS } from './http-buckets.ts';

export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status_code'>;
  httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  produced: Counter<'topic' | 'result'>;
  consumed: Counter<'topic' | 'result'>;
  consumerLag: Gauge<'topic' | 'partition'>;
}

export function createMetrics(service: string, defaults = true): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (defaults) collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status_code'] as const;
  return {
    registry,
    httpRequests: new Counter({ name: 'http_requests_total', help: 'HTTP requests answered', labelNames, registers: [registry] }),
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames,
      buckets: [...HTTP_DURATION_BUCKETS_SECONDS],
      registers: [registry],
    }),
    produced: new Counter({
      name: 'kafka_messages_produced_total',
      help: 'Kafka messages produced (result=ok|error)',
      labelNames: ['topic', 'result'],
      registers: [registry],
    }),
    consumed: new Counter({
      name: 'kafka_messages_consumed_total',
      help: 'Kafka messages consumed (result=ok|duplicate|dead_letter)',
      labelNames: ['topic', 'result'],
      registers: [registry],
    }),
    consumerLag: new Gauge({
      name: 'kafka_consumer_lag',
      help: 'Messages between the committed position and the high watermark',
      labelNames: ['topic', 'partition'],
      registers: [registry],
    }),
  };
}
