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
  // Chaos Mesh runs here, and the experiments of model/chaos.ts weekly from Tuesday 10:00 UTC, an hour apart.
  chaos: { allowed: true, schedule: '0 10 * * 2' },
};
