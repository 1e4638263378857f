// The environment's own settings: cluster, Kafka sizing, and environment-wide autoscaling checked once here,
// so that a wrong environment-wide value is reported at the environment's line, not at every service.
import { KAFKA_NAMESPACE, TLS_LISTENER } from '../kafka.ts';
import type { LoadedEnvironment } from '../loaded.ts';
import { type LoadContext, report } from './context.ts';

export function loadEnvironment(context: LoadContext): LoadedEnvironment {
  const { env, envPath } = context;
  const kafka = env.kafka;
  if (env.cluster.zones.length === 0) report(context, [...envPath, 'cluster', 'zones'], 'at least one zone is required');
  const autoscaling = env.autoscaling ?? {};
  if (autoscaling.minReplicas !== undefined && autoscaling.maxReplicas !== undefined && autoscaling.minReplicas > autoscaling.maxReplicas) {
    report(context, [...envPath, 'autoscaling'], `HPA minReplicas ${autoscaling.minReplicas} is greater than maxReplicas ${autoscaling.maxReplicas}`, 'raise maxReplicas or lower minReplicas');
  }
  const clusterName = context.platform.name;
  return {
    name: env.name,
    tier: env.tier,
    cluster: { ...env.cluster, zones: [...env.cluster.zones] },
    kubernetesVersion: env.kubernetesVersion,
    domain: env.domain,
    kafka: {
      clusterName,
      namespace: KAFKA_NAMESPACE,
      brokers: kafka.brokers,
      controllers: kafka.controllers,
      replication: kafka.replication,
      minInsyncReplicas: kafka.minInsyncReplicas,
      defaultPartitions: kafka.defaultPartitions,
      storage: kafka.storage,
      bootstrapServers: `${clusterName}-kafka-bootstrap.${KAFKA_NAMESPACE}.svc:${TLS_LISTENER.port}`,
      disasterRecovery: kafka.disasterRecovery ? { ...kafka.disasterRecovery } : null,
    },
  };
}
