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
  kafka: { brokers: 1, controllers: 'combined', replication: 1, minInsyncReplicas: 1, defaultPartitions: 2, storage: '20Gi' },
  autoscaling: { minReplicas: 1, maxReplicas: 3 },
  services: {
    'notification-service': { scaling: { replicas: 1 } },
    'admin-dashboard': { scaling: { replicas: 1 } },
  },
  backups: {
    bucket: 'gamemetrics-dev-velero',
    region: 'eu-west-1',
    replicaRegion: 'eu-central-1',
    roleArn: 'arn:aws:iam::111111111111:role/gm-dev-velero',
    daily: { retention: '7d' },
  },
};
