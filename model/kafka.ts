// Facts about the platform's Kafka cluster that the loader, the model checks and the generators share.
import type { LoadedModel, LoadedService } from './loaded.ts';

/** The component (model/components.ts) whose Application syncs `platform/kafka/`. */
export const KAFKA_COMPONENT = 'kafka';
/** Namespace the Kafka cluster runs in. */
export const KAFKA_NAMESPACE = 'kafka';
/** The one client listener: in-cluster, TLS, SCRAM-SHA-512. Services reach the cluster on this port. */
export const TLS_LISTENER = { name: 'tls', port: 9093 } as const;
/** The listener other regions' MirrorMaker 2 reads through (TLS + SCRAM-SHA-512 behind a load balancer), opened only where a region mirrors from. */
export const INTER_REGION_LISTENER = { name: 'regions', port: 9094 } as const;

/** The DNS name other regions reach a region's Kafka at: `kafka-bootstrap.<cluster>.<domain>:<port>`. */
export function interRegionBootstrap(cluster: string, domain: string): string {
  return `kafka-bootstrap.${cluster}.${domain}:${INTER_REGION_LISTENER.port}`;
}

/** Services with a Kafka identity (a KafkaUser each). */
export function kafkaServices(model: LoadedModel): Array<LoadedService & { kafka: NonNullable<LoadedService['kafka']> }> {
  return model.services.filter((s): s is LoadedService & { kafka: NonNullable<LoadedService['kafka']> } => s.kafka !== null);
}

/**
 * The Kubernetes name of a topic's KafkaTopic: the topic name when it is a valid object name
 * (lowercase, digits, `.` and `-`), otherwise a lowercased, sanitised form (then `spec.topicName`
 * carries the real name).
 */
export function topicResourceName(topic: string): string {
  if (isObjectName(topic)) return topic;
  return topic.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '').slice(0, 253) || 'topic';
}

function isObjectName(name: string): boolean {
  return name.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name);
}
