/** dev: one small cluster, one Kafka broker, everything scaled down. */
import type { EnvironmentSpec } from '../../model/spec.ts';
import { images } from './images.ts';

export const dev: EnvironmentSpec = {
  name: 'dev',
  tier: 'development',
  cluster: { name: 'gm-dev', server: 'https://k8s.dev.gamemetrics.dev', region: 'eu-west-1', zones: ['eu-west-1a'] },
  kubernetesVersion: '1.34',
  domain: 'dev.gamemetrics.dev',
  images,
  // External Secrets reads gamemetrics/dev/* from AWS Secrets Manager in cluster.region with this role (IRSA).
  secretStore: { roleArn: 'arn:aws:iam::111111111111:role/gm-dev-external-secrets' },
  kafka: { brokers: 1, controllers: 'combined', replication: 1, minInsyncReplicas: 1, defaultPartitions: 2, storage: '20Gi' },
  autoscaling: { minReplicas: 1, maxReplicas: 3 },
  datastores: {
    timescaledb: { instances: 1, storage: '20Gi', recoveryWindow: '7d' },
    redis: { instances: 1, storage: '2Gi' },
    qdrant: { instances: 1, storage: '5Gi' },
    minio: { instances: 1, storage: '50Gi' },
  },
  backups: {
    bucket: 'gamemetrics-dev-velero',
    region: 'eu-west-1',
    replicaRegion: 'eu-central-1',
    roleArn: 'arn:aws:iam::111111111111:role/gm-dev-velero',
    daily: { retention: '7d' },
  },
  // Monthly budgets at list prices (npm run cost: 68–147 USD for gamemetrics, 7–34 for geo-climate); TenantCostOverBudget warns past them.
  budgets: { gamemetrics: 120, 'geo-climate': 30 },
  // Monitoring stack: one replica of each, a week of metrics, no Thanos. The buckets are AWS infrastructure, not created here.
  monitoring: {
    prometheus: { replicas: 1, retention: '7d', retentionSize: '16Gi', storage: '20Gi', resources: { requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } } },
    alertmanager: { replicas: 1, storage: '1Gi', resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } } },
    grafana: { replicas: 1, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } } },
    loki: { replicas: 1, retention: '7d', storage: '10Gi', resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } } },
    tempo: { replicas: 1, retention: '72h', storage: '10Gi', resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } } },
    otelCollector: { replicas: 1, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } } },
    logCollector: { resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } } },
    objectStore: {
      region: 'eu-west-1',
      endpoint: 's3.eu-west-1.amazonaws.com',
      buckets: { logs: 'gamemetrics-dev-logs', traces: 'gamemetrics-dev-traces', metrics: 'gamemetrics-dev-metrics' },
    },
  },
  // SSO groups (OIDC `groups` claim) of the tenants' owning teams and of the platform administrators.
  access: {
    platformAdmins: 'sso:platform-admins',
    teamGroups: { 'gamemetrics-core': 'sso:gamemetrics-core', 'geo-climate': 'sso:geo-climate' },
    tenantRole: 'edit',
  },
};
