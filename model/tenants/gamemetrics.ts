/**
 * GameMetrics Pro: real-time game analytics. Players' events enter through event-ingestion, flow
 * through Kafka to the processor and the recommendation engine, and are served by analytics-api.
 */
import type { GameMetricsService } from '../names.ts';
import type { TenantSpec } from '../spec.ts';

export const gamemetrics = {
  displayName: 'GameMetrics Pro',
  description: 'Real-time player analytics, recommendations and notifications for game studios.',
  owners: [{ team: 'gamemetrics-core', email: 'gamemetrics-core@gamemetrics.dev', slack: '#gamemetrics-core' }],
  costCentre: 'cc-1001-gamemetrics',
  namespaces: ['gamemetrics'],
  quota: {
    requests: { cpu: '16', memory: '32Gi' },
    limits: { cpu: '48', memory: '96Gi' },
    pods: 120,
  },
  services: {
    'event-ingestion': {
      description: 'Accepts player events over HTTP, validates them and writes them to player.events.raw.',
      kind: 'http-api',
      image: 'registry.gamemetrics.dev/gamemetrics/event-ingestion',
      resources: 'medium',
      scaling: { autoscale: { minReplicas: 2, maxReplicas: 10 } },
      produces: ['player.events.raw'],
      secretEnv: [{ env: 'API_KEYS', secret: 'event-ingestion-api-keys', key: 'api-keys' }],
      config: { MAX_BATCH_EVENTS: '500', MAX_BODY_BYTES: '1048576' },
      ingress: { host: 'ingest', path: '/v1/events' },
      slos: [
        { name: 'availability', kind: 'availability', objective: 99.9, description: 'Events are accepted: a 5xx loses game telemetry.' },
        { name: 'latency', kind: 'latency', objective: 99, thresholdMs: 100, description: 'Game clients block on the acknowledgement.' },
      ],
    },
    'event-processor': {
      description: 'Validates, de-duplicates and enriches raw events, stores them in TimescaleDB and republishes them.',
      kind: 'kafka-worker',
      image: 'registry.gamemetrics.dev/gamemetrics/event-processor',
      resources: 'medium',
      scaling: { autoscale: { minReplicas: 2, maxReplicas: 12 } },
      // GDPR: deletes the player's event rows and records the `player-events` store as done.
      consumes: [{ topic: 'player.events.raw', deadLetter: 'player.events.raw.dlq' }, { topic: 'gdpr.deletion.requests', deadLetter: 'gdpr.deletion.requests.dlq' }],
      produces: ['player.events.processed'],
      // Exactly-once output: one transactional producer per partition of player.events.raw (prod has 12).
      transactionalIds: Array.from({ length: 16 }, (_, i) => `event-processor.tx-${i}`),
      datastores: [{ name: 'timescaledb' }, { name: 'redis' }],
      slos: [
        { name: 'availability', kind: 'availability', objective: 99.5, description: 'Processing keeps up: stats are fresh within a minute.' },
      ],
    },
    'analytics-api': {
      description: 'Serves player statistics, leaderboards and live per-game counters.',
      kind: 'http-api',
      image: 'registry.gamemetrics.dev/gamemetrics/analytics-api',
      scaling: { autoscale: { minReplicas: 2, maxReplicas: 8 } },
      datastores: [{ name: 'timescaledb', access: 'read' }, { name: 'redis', access: 'read' }],
      ingress: { host: 'analytics', path: '/v1' },
      slos: [
        { name: 'availability', kind: 'availability', objective: 99.9, description: 'Dashboards and game clients can read stats.' },
        { name: 'latency', kind: 'latency', objective: 99, thresholdMs: 300, description: 'Leaderboards render without a visible wait.' },
      ],
    },
    'recommendation-engine': {
      description: 'Turns processed events into per-player recommendations using vector similarity.',
      kind: 'kafka-worker',
      image: 'registry.gamemetrics.dev/gamemetrics/recommendation-engine',
      resources: 'large',
      scaling: { autoscale: { minReplicas: 2, maxReplicas: 6 } },
      consumes: [{ topic: 'player.events.processed', deadLetter: 'player.events.processed.dlq' }, { topic: 'gdpr.deletion.requests', deadLetter: 'gdpr.deletion.requests.dlq' }],
      produces: ['recommendations.generated'],
      // timescaledb: the GDPR audit row (`recommendations` store done); features and cache live in Redis, vectors in Qdrant.
      datastores: [{ name: 'qdrant' }, { name: 'redis' }, { name: 'timescaledb' }],
      config: { SIMILARITY_BACKEND: 'qdrant', RECOMMENDATION_CACHE_TTL_SECONDS: '300' },
    },
    'user-service': {
      description: 'Player accounts and consent; starts GDPR deletions and account notifications.',
      kind: 'http-api',
      image: 'registry.gamemetrics.dev/gamemetrics/user-service',
      scaling: { autoscale: { minReplicas: 2, maxReplicas: 6 } },
      produces: ['gdpr.deletion.requests', 'notifications.outbound'],
      datastores: [{ name: 'timescaledb' }],
      handlesPersonalData: true,
      // The stores a GDPR deletion must reach; each records its audit row (apps/user-service/README.md).
      config: { GDPR_STORES: 'profile,player-events,recommendations,archive' },
      slos: [{ name: 'availability', kind: 'availability', objective: 99.9, description: 'Players can sign in and manage consent.' }],
    },
    'notification-service': {
      description: 'Delivers recommendations and account messages to players.',
      kind: 'kafka-worker',
      image: 'registry.gamemetrics.dev/gamemetrics/notification-service',
      scaling: { replicas: 2 },
      consumes: ['recommendations.generated', { topic: 'notifications.outbound', deadLetter: 'notifications.outbound.dlq' }],
      calls: ['user-service'],
      datastores: [{ name: 'redis' }],
    },
    'admin-dashboard': {
      description: 'Web console for studio operators: analytics, players and GDPR requests.',
      kind: 'web-frontend',
      image: 'registry.gamemetrics.dev/gamemetrics/admin-dashboard',
      scaling: { replicas: 2 },
      calls: ['analytics-api', 'user-service'],
      ingress: { host: 'admin' },
    },
    'data-retention': {
      description: 'Every 30 minutes: archives events past retention to object storage, deletes them from TimescaleDB, and erases deleted players from the archive.',
      kind: 'cron-job',
      image: 'registry.gamemetrics.dev/gamemetrics/data-retention',
      // Twice an hour, so a GDPR deletion reaches the archive well within the hour the platform promises.
      schedule: '17,47 * * * *',
      datastores: [{ name: 'timescaledb' }, { name: 'minio' }],
      config: { RETENTION_DAYS: '395' },
    },
  },
} satisfies TenantSpec<GameMetricsService>;
