/** staging: production-shaped (three brokers, three zones) at a smaller scale. */
import type { EnvironmentSpec } from '../../model/spec.ts';
import { images } from './images.ts';

export const staging: EnvironmentSpec = {
  name: 'staging',
  tier: 'staging',
  cluster: {
    name: 'gm-staging',
    server: 'https://k8s.staging.gamemetrics.dev',
    region: 'eu-west-1',
    zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  },
  kubernetesVersion: '1.34',
  domain: 'staging.gamemetrics.dev',
  images,
  // External Secrets reads gamemetrics/staging/* from AWS Secrets Manager in cluster.region with this role (IRSA).
  secretStore: { roleArn: 'arn:aws:iam::222222222222:role/gm-staging-external-secrets' },
  kafka: { brokers: 3, controllers: 'combined', replication: 3, minInsyncReplicas: 2, defaultPartitions: 3, storage: '100Gi' },
  autoscaling: { minReplicas: 2, maxReplicas: 6 },
  topics: { 'player.events.raw': { partitions: 6 } },
  datastores: {
    timescaledb: { instances: 2, storage: '100Gi', recoveryWindow: '14d' },
    redis: { instances: 3, storage: '10Gi' },
    qdrant: { instances: 2, storage: '20Gi' },
    minio: { instances: 4, storage: '100Gi' },
  },
  backups: {
    bucket: 'gamemetrics-staging-velero',
    region: 'eu-west-1',
    replicaRegion: 'eu-central-1',
    roleArn: 'arn:aws:iam::222222222222:role/gm-staging-velero',
    daily: { retention: '14d' },
  },
  // Monthly budgets at list prices (npm run cost: 106–262 USD for gamemetrics, 13–54 for geo-climate); TenantCostOverBudget warns past them.
  budgets: { gamemetrics: 200, 'geo-climate': 40 },
  // Monitoring stack: production-shaped at a smaller scale, Thanos keeps 90 days. The buckets are AWS infrastructure, not created here.
  monitoring: {
    prometheus: { replicas: 2, retention: '15d', retentionSize: '80Gi', storage: '100Gi', resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' } } },
    alertmanager: { replicas: 2, storage: '2Gi', resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } } },
    grafana: { replicas: 1, resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } } },
    loki: { replicas: 2, retention: '30d', storage: '20Gi', resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } } },
    tempo: { replicas: 2, retention: '7d', storage: '20Gi', resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } } },
    otelCollector: { replicas: 2, resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } } },
    logCollector: { resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } } },
    thanos: { replicas: 1, resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } }, retention: { raw: '30d', fiveMinutes: '90d', oneHour: '90d' }, storage: '20Gi' },
    objectStore: {
      region: 'eu-west-1',
      endpoint: 's3.eu-west-1.amazonaws.com',
      buckets: { logs: 'gamemetrics-staging-logs', traces: 'gamemetrics-staging-traces', metrics: 'gamemetrics-staging-metrics' },
    },
  },
  // SSO groups (OIDC `groups` claim) of the tenants' owning teams and of the platform administrators.
  access: {
    platformAdmins: 'sso:platform-admins',
    teamGroups: { 'gamemetrics-core': 'sso:gamemetrics-core', 'geo-climate': 'sso:geo-climate' },
    tenantRole: 'view',
  },
  // Chaos Mesh runs here, and the experiments of model/chaos.ts weekly from Tuesday 10:00 UTC, an hour apart.
  chaos: { schedule: '0 10 * * 2' },
};
