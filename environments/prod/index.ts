/** prod: two regions (eu-west-1 primary, eu-central-1 its Kafka's disaster-recovery replica), three brokers with dedicated controllers; production sizing. */
import type { EnvironmentSpec } from '../../model/spec.ts';
import { images } from './images.ts';

export const prod: EnvironmentSpec = {
  name: 'prod',
  tier: 'production',
  cluster: {
    name: 'gm-prod',
    server: 'https://k8s.prod.gamemetrics.dev',
    region: 'eu-west-1',
    zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  },
  kubernetesVersion: '1.34',
  domain: 'gamemetrics.dev',
  images,
  // External Secrets reads gamemetrics/prod/* from AWS Secrets Manager in cluster.region with this role (IRSA).
  secretStore: { roleArn: 'arn:aws:iam::333333333333:role/gm-prod-external-secrets' },
  kafka: {
    brokers: 3,
    controllers: 3,
    replication: 3,
    minInsyncReplicas: 2,
    defaultPartitions: 6,
    storage: '500Gi',
  },
  autoscaling: { minReplicas: 3, maxReplicas: 20, cpuUtilization: 70, memoryUtilization: 80 },
  topics: {
    'player.events.raw': { partitions: 12 },
    'player.events.processed': { partitions: 6 },
    'recommendations.generated': { partitions: 6 },
  },
  services: {
    'event-ingestion': { resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2000m', memory: '2Gi' } } },
    'event-processor': { resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2000m', memory: '4Gi' } } },
    'recommendation-engine': { resources: { requests: { cpu: '1000m', memory: '2Gi' }, limits: { cpu: '4000m', memory: '8Gi' } } },
  },
  datastores: {
    timescaledb: { instances: 3, storage: '500Gi', recoveryWindow: '30d' },
    redis: { instances: 3, storage: '20Gi' },
    qdrant: { instances: 3, storage: '100Gi' },
    minio: { instances: 4, storage: '1000Gi' },
  },
  quotas: {
    gamemetrics: { requests: { cpu: '64', memory: '128Gi' }, limits: { cpu: '256', memory: '512Gi' }, pods: 300 },
    'geo-climate': { requests: { cpu: '16', memory: '32Gi' }, limits: { cpu: '64', memory: '128Gi' }, pods: 80 },
  },
  backups: {
    bucket: 'gamemetrics-prod-velero',
    region: 'eu-west-1',
    replicaRegion: 'eu-central-1',
    roleArn: 'arn:aws:iam::333333333333:role/gm-prod-velero',
    daily: { retention: '30d' },
    hourly: { retention: '48h' },
  },
  // Monthly budgets per cluster at list prices (npm run cost: 232–1,384 USD for gamemetrics, 20–145 for geo-climate per region); TenantCostOverBudget warns past them.
  budgets: { gamemetrics: 1000, 'geo-climate': 120 },
  // Monitoring stack: highly available, 90 days of logs, a year of downsampled metrics in Thanos. The buckets are AWS infrastructure, not created here.
  monitoring: {
    // Local TSDB bounded in time and size (control GEO-31: 30 days, 50 GB): 30 days cover the SLOs' 30-day windows;
    // whichever bound is hit first expires the oldest block, and Thanos keeps the history either way.
    prometheus: { replicas: 2, retention: '30d', retentionSize: '50Gi', storage: '500Gi', resources: { requests: { cpu: '2', memory: '8Gi' }, limits: { cpu: '4', memory: '16Gi' } } },
    alertmanager: { replicas: 3, storage: '5Gi', resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } } },
    grafana: { replicas: 2, resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } } },
    loki: { replicas: 3, retention: '90d', storage: '50Gi', resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '4Gi' } } },
    tempo: { replicas: 3, retention: '14d', storage: '50Gi', resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '4Gi' } } },
    otelCollector: { replicas: 3, resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2', memory: '1Gi' } } },
    // One trace in ten: Tempo and the collectors are sized for a tenth of prod's requests; dev and staging keep every trace.
    traceSamplePercent: 10,
    logCollector: { resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } } },
    thanos: { replicas: 2, resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '4Gi' } }, retention: { raw: '90d', fiveMinutes: '180d', oneHour: '365d' }, storage: '100Gi' },
    objectStore: {
      region: 'eu-west-1',
      endpoint: 's3.eu-west-1.amazonaws.com',
      buckets: { logs: 'gamemetrics-prod-logs', traces: 'gamemetrics-prod-traces', metrics: 'gamemetrics-prod-metrics' },
    },
  },
  // The second region: same release and sizes, its own cluster, secret store, backup bucket; its Kafka replicates gm-prod's.
  regions: [
    {
      cluster: {
        name: 'gm-prod-euc1',
        server: 'https://k8s.euc1.prod.gamemetrics.dev',
        region: 'eu-central-1',
        zones: ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'],
      },
      secretStore: { roleArn: 'arn:aws:iam::333333333333:role/gm-prod-euc1-external-secrets' },
      backups: {
        bucket: 'gamemetrics-prod-euc1-velero',
        region: 'eu-central-1',
        replicaRegion: 'eu-west-1',
        roleArn: 'arn:aws:iam::333333333333:role/gm-prod-euc1-velero',
      },
      kafka: { mirrorFrom: 'gm-prod' },
    },
  ],
  // SSO groups (OIDC `groups` claim) of the tenants' owning teams and of the platform administrators.
  access: {
    platformAdmins: 'sso:platform-admins',
    teamGroups: { 'gamemetrics-core': 'sso:gamemetrics-core', 'geo-climate': 'sso:geo-climate' },
    tenantRole: 'view',
  },
};
