/**
 * The Prometheus series every service exposes on /metrics. Names are what the SLO rules use:
 * - `http_requests_total{method,route,status_code}` and
 *   `http_request_duration_seconds{method,route,status_code}` (histogram);
 * - `kafka_messages_produced_total{topic,result}`, `kafka_messages_consumed_total{topic,result}`;
 * - `kafka_consumer_lag{topic,partition}` (messages behind the high watermark);
 * - `db_pool_clients{state}` of a watched database pool: `total`, `idle`, and `waiting` (queries queued for a client).
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
  /** Report a database pool's clients at every scrape (`db_pool_clients`). */
  watchDatabasePool(pool: PoolCounts): void;
}

/** What node-postgres' Pool counts (pg.Pool has these). */
export interface PoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

export function createMetrics(service: string, defaults = true): Metrics {
  const registry = new Registry();
  const pools: PoolCounts[] = [];
  registry.setDefaultLabels({ service });
  if (defaults) collectDefaultMetrics({ register: registry });
  poolGauge(registry, pools);
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
    watchDatabasePool: (pool) => void pools.push(pool),
  };
}

function poolGauge(registry: Registry, pools: PoolCounts[]): void {
  new Gauge({
    name: 'db_pool_clients',
    help: 'Database pool clients by state: total (open), idle, waiting (queries queued for a client)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      if (pools.length === 0) return;
      const sum = (f: (p: PoolCounts) => number) => pools.reduce((n, p) => n + f(p), 0);
      this.set({ state: 'total' }, sum((p) => p.totalCount));
      this.set({ state: 'idle' }, sum((p) => p.idleCount));
      this.set({ state: 'waiting' }, sum((p) => p.waitingCount));
    },
  });
}
