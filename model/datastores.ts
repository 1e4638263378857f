/** Backing services the platform provides to tenants; services list the ones they use in `datastores`. */
import type { DatastoreName } from './names.ts';
import { TIMESCALEDB_DIGEST_PLACEHOLDER } from './placeholder-digests.ts';
import { MIRROR_REGISTRY } from './platform-components.ts';
import type { DatastoreSpec } from './spec.ts';

/**
 * The TimescaleDB cluster's archive_timeout: a partly filled WAL segment is archived after at most this
 * long, which bounds the archive's lag. `npm run drill:pitr` measures the RPO with the same value.
 */
export const PLATFORM_ARCHIVE_TIMEOUT_S = 60;

/**
 * The bucket of the audit archive (control GDP-05): data-retention exports the append-only audit tables
 * there (its AUDIT_BUCKET). Every version is locked in compliance mode for 400 days, beyond the
 * 395-day event retention, so an audit record outlives the events it speaks of.
 */
export const AUDIT_BUCKET = 'gamemetrics-audit';


export const datastores = {
  timescaledb: {
    description: 'PostgreSQL 15 with TimescaleDB: events, player statistics, accounts.',
    engine: 'postgresql',
    namespace: 'data',
    // CloudNativePG's read-write Service of the Cluster named `timescaledb`; its pods carry cnpg.io/cluster.
    host: 'timescaledb-rw.data.svc.cluster.local',
    port: 5432,
    database: 'gamemetrics',
    podSelector: { 'cnpg.io/cluster': 'timescaledb' },
    storageClass: 'fast-ssd',
    cluster: {
      // Mirrored from ghcr.io/clevyr/cloudnativepg-timescale (CloudNativePG's PostgreSQL image plus TimescaleDB; barman-cloud included).
      // The digest is a placeholder until the mirror records the real one (model/placeholder-digests.ts).
      image: `${MIRROR_REGISTRY}/cloudnativepg-timescale:15.13-ts2.21.3@${TIMESCALEDB_DIGEST_PLACEHOLDER}`,
      schema: 'gamemetrics',
      owner: 'gamemetrics',
      migrations: 'migrations/timescaledb',
      migrator: 'migrator',
      archiveTimeoutSeconds: PLATFORM_ARCHIVE_TIMEOUT_S,
      // The cloudnative-pg chart's operator Deployment (platform component `cloudnative-pg`).
      operator: { namespace: 'cnpg-system', podSelector: { 'app.kubernetes.io/name': 'cloudnative-pg' } },
      backup: {
        destinationPath: 's3://gamemetrics-db-backups/timescaledb',
        endpointURL: 'https://s3.eu-west-1.amazonaws.com',
        credentialsSecret: 'timescaledb-backup-s3',
        schedule: '0 2 * * *',
      },
    },
  },
  redis: {
    description: 'Redis: live counters, rate limits, caches.',
    engine: 'redis',
    namespace: 'data',
    // The Bitnami chart's `<release>-master` Service: the primary in standalone mode, the current master under Sentinel.
    host: 'redis-master.data.svc.cluster.local',
    port: 6379,
    podSelector: { 'app.kubernetes.io/name': 'redis', 'app.kubernetes.io/instance': 'redis' },
    chart: {
      repoURL: 'registry-1.docker.io/bitnamicharts',
      name: 'redis',
      version: '19.2.0',
      imageRegistry: MIRROR_REGISTRY,
      credentialsSecret: 'redis-auth',
    },
  },
  qdrant: {
    description: 'Qdrant vector database: player and item embeddings.',
    engine: 'qdrant',
    namespace: 'data',
    host: 'qdrant.data.svc.cluster.local',
    port: 6333,
    database: 'gamemetrics',
    podSelector: { 'app.kubernetes.io/name': 'qdrant', 'app.kubernetes.io/instance': 'qdrant' },
    chart: {
      repoURL: 'https://qdrant.github.io/qdrant-helm',
      name: 'qdrant',
      version: '1.19.0',
      imageRegistry: MIRROR_REGISTRY,
      credentialsSecret: 'qdrant-api-key',
    },
  },
  minio: {
    description: 'MinIO object storage: archives and trained models.',
    engine: 'minio',
    namespace: 'data',
    host: 'minio.data.svc.cluster.local',
    port: 9000,
    database: 'gamemetrics-archive',
    // The MinIO chart's selector labels: `app: <chart name>`, `release: <release>`.
    podSelector: { app: 'minio', release: 'minio' },
    storageClass: 'standard',
    chart: {
      repoURL: 'https://charts.min.io/',
      name: 'minio',
      version: '5.4.0',
      imageRegistry: MIRROR_REGISTRY,
      credentialsSecret: 'minio-root',
      buckets: [
        { name: 'gamemetrics-archive', versioning: true, expireAfterDays: 400, noncurrentExpireAfterDays: 30 },
        { name: 'gamemetrics-models', versioning: true, noncurrentExpireAfterDays: 90 },
        { name: AUDIT_BUCKET, objectLock: { mode: 'compliance', days: 400 } },
      ],
    },
  },
} satisfies Record<DatastoreName, DatastoreSpec>;
