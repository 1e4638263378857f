/** Backing services the platform provides to tenants; services list the ones they use in `datastores`. */
import type { DatastoreName } from './names.ts';
import type { DatastoreSpec } from './spec.ts';

export const datastores = {
  timescaledb: {
    description: 'PostgreSQL 15 with TimescaleDB: events, player statistics, accounts.',
    engine: 'postgresql',
    namespace: 'data',
    host: 'timescaledb-rw.data.svc.cluster.local',
    port: 5432,
    database: 'gamemetrics',
    podSelector: { 'app.kubernetes.io/name': 'timescaledb' },
  },
  redis: {
    description: 'Redis: live counters, rate limits, caches.',
    engine: 'redis',
    namespace: 'data',
    host: 'redis.data.svc.cluster.local',
    port: 6379,
    podSelector: { 'app.kubernetes.io/name': 'redis' },
  },
  qdrant: {
    description: 'Qdrant vector database: player and item embeddings.',
    engine: 'qdrant',
    namespace: 'data',
    host: 'qdrant.data.svc.cluster.local',
    port: 6333,
    database: 'gamemetrics',
    podSelector: { 'app.kubernetes.io/name': 'qdrant' },
  },
  minio: {
    description: 'MinIO object storage: archives and trained models.',
    engine: 'minio',
    namespace: 'data',
    host: 'minio.data.svc.cluster.local',
    port: 9000,
    database: 'gamemetrics-archive',
    podSelector: { 'app.kubernetes.io/name': 'minio' },
  },
} satisfies Record<DatastoreName, DatastoreSpec>;
