/**
 * GameMetrics Pro: real-time game analytics. Players' events enter through event-ingestion, flow
 * through Kafka to the processor and the recommendation engine, and are served by analytics-api.
 */
import { AUDIT_BUCKET } from '../datastores.ts';
import type { GameMetricsService } from '../names.ts';
import type { TenantSpec } from '../spec.ts';

export const gamemetrics = {
  displayName: 'GameMetrics Pro',
  description: 'Real-time player analytics, recommendations and notifications for game studios.',
  owners: [{ team: 'gamemetrics-core', email: 'gamemetrics-core@gamemetrics.dev', slack: '#gamemetrics-core' }],
  costCentre: 'cc-1001-gamemetrics',
  namespaces: ['gamemetrics'],
  // The topics' schemas are registered in the tenant's own registry after every sync.
  schemaRegistry: { service: 'schema-registry', registrar: 'admin-dashboard' },
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
      delivery: 'canary',
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
        { name: 'freshness', kind: 'freshness', objective: 99.5, maxConsumerLag: 10000, description: 'Processing keeps up: stats are fresh within a minute.' },
      ],
    },
    'analytics-api': {
      description: 'Serves player statistics, leaderboards and live per-game counters.',
      kind: 'http-api',
      image: 'registry.gamemetrics.dev/gamemetrics/analytics-api',
      scaling: { autoscale: { minReplicas: 2, maxReplicas: 8 } },
      datastores: [{ name: 'timescaledb', access: 'read' }, { name: 'redis', access: 'read' }],
      ingress: { host: 'analytics', path: '/v1' },
      // Its callers' keys (`<caller>:<sha256 of the key>`, like event-ingestion's): player statistics are personal data.
      secretEnv: [{ env: 'API_KEYS', secret: 'analytics-api-keys', key: 'api-keys' }],
      delivery: 'canary',
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
      // The player's account messages (the erasure confirmation) go to notification-service's `email` channel.
      config: { GDPR_STORES: 'profile,player-events,recommendations,archive', ACCOUNT_NOTIFICATION_CHANNEL: 'email' },
      slos: [{ name: 'availability', kind: 'availability', objective: 99.9, description: 'Players can sign in and manage consent.' }],
    },
    'notification-service': {
      description: 'Delivers recommendations and account messages to players.',
      kind: 'kafka-worker',
      image: 'registry.gamemetrics.dev/gamemetrics/notification-service',
      // Deliveries are idempotent by notification id and partitions spread over the group: it scales out.
      scaling: { autoscale: { minReplicas: 2, maxReplicas: 6 } },
      // Recommendations that cannot be delivered are undelivered notifications: one DLQ for both.
      consumes: [
        { topic: 'recommendations.generated', deadLetter: 'notifications.outbound.dlq' },
        { topic: 'notifications.outbound', deadLetter: 'notifications.outbound.dlq' },
      ],
      calls: ['user-service'],
      datastores: [{ name: 'redis' }],
      // Channel webhook URLs carry their receivers' tokens: a Secret, `<channel>=<URL>,…`.
      secretEnv: [{ env: 'NOTIFY_WEBHOOKS', secret: 'notification-service-webhooks', key: 'webhooks' }],
      // Delivers to those webhooks over HTTPS (443, the default port).
      externalEgress: [{ external: 'notification channel webhooks' }],
    },
    'admin-dashboard': {
      description: 'Web console for studio operators: analytics, players and GDPR requests.',
      kind: 'web-frontend',
      image: 'registry.gamemetrics.dev/gamemetrics/admin-dashboard',
      scaling: { autoscale: { minReplicas: 2, maxReplicas: 4 } },
      // analytics-api's live stream and user-service's GDPR API; the others' /readyz and /metrics for the health panel.
      calls: ['analytics-api', 'user-service', 'event-ingestion', 'event-processor', 'notification-service'],
      ingress: { host: 'admin' },
      // The operators who may sign in (the page can erase players): `<operator>:<sha256 of the token>` entries, owned
      // by the platform team in AWS Secrets Manager.
      secretEnv: [
        { env: 'OPERATOR_TOKENS', secret: 'admin-dashboard-operators', key: 'operator-tokens' },
        // Its own key for analytics-api's live stream; its digest is an entry of analytics-api-keys.
        { env: 'ANALYTICS_API_KEY', secret: 'admin-dashboard-analytics-api-key', key: 'api-key' },
      ],
      delivery: 'blue-green',
      slos: [{ name: 'availability', kind: 'availability', objective: 99.5, description: 'Studio operators can open the console.' }],
    },
    'data-retention': {
      description: 'Every 30 minutes: archives events past retention to object storage, deletes them from TimescaleDB, and erases deleted players from the archive.',
      kind: 'cron-job',
      image: 'registry.gamemetrics.dev/gamemetrics/data-retention',
      // Twice an hour, so a GDPR deletion reaches the archive well within the hour the platform promises.
      schedule: '17,47 * * * *',
      datastores: [{ name: 'timescaledb' }, { name: 'minio' }],
      config: { RETENTION_DAYS: '395', AUDIT_BUCKET },
    },
    'schema-registry': {
      description: 'Apicurio Registry with KafkaSQL storage: the topic schemas of the model, registered after every sync, for clients and tools to fetch.',
      kind: 'http-api',
      // apicurio/apicurio-registry 3.0.x, mirrored (an approved registry, model/policies.ts).
      image: 'registry.gamemetrics.dev/mirror/apicurio-registry',
      // A JVM (Quarkus): the medium profile's 512Mi limit is too tight.
      resources: 'large',
      // Fixed, not autoscaled: every replica replays the whole KafkaSQL journal when it starts.
      scaling: { replicas: 2 },
      // Quarkus serves health on its management interface (9000), the API on 8080.
      ports: [{ name: 'http', port: 8080 }, { name: 'management', port: 9000 }],
      health: { port: 'management', liveness: '/health/live', readiness: '/health/ready', initialDelaySeconds: 20 },
      produces: ['schemas.journal', 'schemas.snapshots'],
      consumes: ['schemas.journal', 'schemas.snapshots'],
      // Each replica reads the whole journal in a group of its own (prefix + a random id).
      consumerGroups: 'prefixed',
      // Apicurio's own names for what the contract's variables carry (Quarkus expands ${...} from the environment).
      // SASL is configured as plain Kafka client properties (apicurio.kafka.common.*): Apicurio's own
      // apicurio.kafkasql.security.sasl.* settings only produce OAuth logins.
      config: {
        APICURIO_STORAGE_KIND: 'kafkasql',
        APICURIO_KAFKASQL_BOOTSTRAP_SERVERS: '${KAFKA_BROKERS}',
        APICURIO_KAFKASQL_TOPIC: 'schemas.journal',
        APICURIO_KAFKASQL_SNAPSHOTS_TOPIC: 'schemas.snapshots',
        APICURIO_KAFKASQL_TOPIC_AUTO_CREATE: 'false',
        APICURIO_KAFKASQL_CONSUMER_GROUP_PREFIX: '${KAFKA_GROUP_PREFIX}',
        APICURIO_KAFKA_COMMON_SECURITY_PROTOCOL: 'SASL_SSL',
        APICURIO_KAFKA_COMMON_SASL_MECHANISM: 'SCRAM-SHA-512',
        APICURIO_KAFKA_COMMON_SASL_JAAS_CONFIG: 'org.apache.kafka.common.security.scram.ScramLoginModule required username="${KAFKA_USERNAME}" password="${KAFKA_PASSWORD}";',
        APICURIO_KAFKA_COMMON_SSL_TRUSTSTORE_TYPE: 'PEM',
        APICURIO_KAFKA_COMMON_SSL_TRUSTSTORE_LOCATION: '${KAFKA_SSL_CA_FILE}',
      },
    },
  },
} satisfies TenantSpec<GameMetricsService>;
