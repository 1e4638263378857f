// The tiny platform's two environments: dev (one zone, one combined Kafka node, scaled down) and prod
// (three zones, dedicated controllers, mirrored to a DR cluster, another Kubernetes version).
import type { DatastoreSizing, EnvironmentSpec, ImageDigest, ServiceOverride, TenantQuota, Duration } from '../../model/spec.ts';

/** EnvironmentSpec over the tiny platform's own names (see tiny-platform.ts). */
export type TinyEnvironmentSpec = Omit<EnvironmentSpec, 'images' | 'services' | 'topics' | 'quotas' | 'datastores'> & {
  datastores?: Record<string, DatastoreSizing>;
  images: Record<string, ImageDigest>;
  services?: Record<string, ServiceOverride>;
  topics?: Record<string, { partitions?: number; replication?: number; retention?: Duration }>;
  quotas?: Record<string, Partial<TenantQuota>>;
};

const digest = (hex: string): ImageDigest => `sha256:${hex.repeat(64)}`;
const images = { 'score-api': digest('1'), 'rank-worker': digest('2'), 'scoreboard-web': digest('3'), 'nightly-rollup': digest('4'), 'forecast-api': digest('5') };

export const dev: TinyEnvironmentSpec = {
  name: 'dev',
  tier: 'development',
  cluster: { name: 'tiny-dev', server: 'https://k8s.dev.tiny.test', region: 'eu-west-1', zones: ['eu-west-1a'] },
  kubernetesVersion: '1.34',
  domain: 'dev.tiny.test',
  images,
  secretStore: { roleArn: 'arn:aws:iam::100000000001:role/tiny-dev-external-secrets' },
  kafka: { brokers: 1, controllers: 'combined', replication: 1, minInsyncReplicas: 1, defaultPartitions: 2, storage: '20Gi' },
  autoscaling: { minReplicas: 1, maxReplicas: 3 },
  services: { 'scoreboard-web': { scaling: { replicas: 1 } } },
  backups: { bucket: 'tiny-dev-backups', region: 'eu-west-1', replicaRegion: 'eu-central-1', roleArn: 'arn:aws:iam::000000000001:role/tiny-dev-velero', daily: { retention: '7d' } },
  monitoring: {
    prometheus: { replicas: 1, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } }, storage: '10Gi', retention: '7d', retentionSize: '8Gi' },
    alertmanager: { replicas: 1, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } }, storage: '1Gi' },
    grafana: { replicas: 1, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } } },
    loki: { replicas: 1, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } }, storage: '5Gi', retention: '14d' },
    tempo: { replicas: 1, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } }, storage: '5Gi', retention: '3d' },
    otelCollector: { replicas: 1, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } } },
    logCollector: { resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } } },
    objectStore: { region: 'eu-west-1', endpoint: 's3.eu-west-1.amazonaws.com', buckets: { logs: 'tiny-dev-logs', traces: 'tiny-dev-traces', metrics: 'tiny-dev-metrics' } },
  },
  mesh: { mtls: 'PERMISSIVE' },
  access: { platformAdmins: 'tiny-admins', teamGroups: { arcade: 'tiny-arcade', labs: 'tiny-labs' }, tenantRole: 'edit' },
};

export const prod: TinyEnvironmentSpec = {
  name: 'prod',
  tier: 'production',
  cluster: { name: 'tiny-prod', server: 'https://k8s.prod.tiny.test', region: 'eu-west-1', zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] },
  kubernetesVersion: '1.33',
  domain: 'tiny.test',
  images: { ...images, 'score-api': digest('6') },
  secretStore: { roleArn: 'arn:aws:iam::100000000002:role/tiny-prod-external-secrets' },
  kafka: {
    brokers: 3,
    controllers: 3,
    replication: 3,
    minInsyncReplicas: 2,
    defaultPartitions: 6,
    storage: '500Gi',
    disasterRecovery: { clusterAlias: 'tiny-dr', bootstrapServers: 'kafka-bootstrap.dr.tiny.test:9094' },
  },
  autoscaling: { minReplicas: 3, maxReplicas: 20, cpuUtilization: 70, memoryUtilization: 80 },
  topics: { 'scores.raw': { partitions: 12 } },
  datastores: { ledger: { instances: 3, storage: '200Gi', recoveryWindow: '21d' }, cache: { instances: 3, storage: '8Gi' } },
  services: {
    'rank-worker': { scaling: { replicas: 3 } },
    'score-api': { config: { MAX_BATCH_SCORES: '1000' } },
  },
  quotas: {
    arcade: { requests: { cpu: '16', memory: '32Gi' }, limits: { cpu: '64', memory: '64Gi' }, pods: 100 },
  },
  backups: {
    bucket: 'tiny-prod-backups',
    region: 'eu-west-1',
    replicaRegion: 'eu-central-1',
    roleArn: 'arn:aws:iam::000000000002:role/tiny-prod-velero',
    daily: { retention: '30d' },
    hourly: { retention: '48h', schedule: '15 * * * *' },
  },
  monitoring: {
    prometheus: { replicas: 2, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } }, storage: '10Gi', retention: '7d', retentionSize: '8Gi' },
    alertmanager: { replicas: 1, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } }, storage: '1Gi' },
    grafana: { replicas: 1, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } } },
    loki: { replicas: 1, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } }, storage: '5Gi', retention: '14d' },
    tempo: { replicas: 1, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } }, storage: '5Gi', retention: '3d' },
    otelCollector: { replicas: 1, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } } },
    logCollector: { resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } } },
    thanos: { replicas: 2, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } }, storage: '10Gi', retention: { raw: '30d', fiveMinutes: '90d', oneHour: '52w' } },
    objectStore: { region: 'eu-west-1', endpoint: 's3.eu-west-1.amazonaws.com', buckets: { logs: 'tiny-prod-logs', traces: 'tiny-prod-traces', metrics: 'tiny-prod-metrics' } },
  },
  access: { platformAdmins: 'tiny-admins', teamGroups: { arcade: 'tiny-arcade', labs: 'tiny-labs' }, tenantRole: 'view' },
};

export const tinyEnvironments = { dev, prod };
