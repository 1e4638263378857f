// Shared by the kafka-* generators: the component's folder, labels, names and listener facts.
import type { LoadedModel, LoadedService } from '../model/loaded.ts';
import { platformLabels } from './labels.ts';

/** The component (model/components.ts) whose Application syncs `platform/kafka/`. */
export const KAFKA_COMPONENT = 'kafka';
/** Label that ties node pools, topics and users to their Kafka cluster. */
export const STRIMZI_CLUSTER_LABEL = 'strimzi.io/cluster';
/** The one client listener: in-cluster, TLS, SCRAM-SHA-512 (the loader's bootstrap address uses this port). */
export const TLS_LISTENER = { name: 'tls', port: 9093 } as const;
/** Apache Kafka version of the cluster; Strimzi 1.0.0 (the pinned chart) supports 4.1.x and 4.2.0. */
export const KAFKA_VERSION = '4.2.0';
/** Node label the brokers' rack (zone) is read from. */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** Output path of an object synced by the kafka component's Application, in `namespace`. */
export function kafkaPath(namespace: string, kind: string, name: string): string {
  return `platform/${KAFKA_COMPONENT}/${namespace}/${kind.toLowerCase()}-${name}.yaml`;
}

/** Labels of the cluster's platform-owned objects. */
export function kafkaLabels(model: LoadedModel): Record<string, string> {
  return { ...platformLabels(model, KAFKA_COMPONENT), [STRIMZI_CLUSTER_LABEL]: model.environment.kafka.clusterName };
}

/** Services with a Kafka identity (a KafkaUser each). */
export function kafkaServices(model: LoadedModel): Array<LoadedService & { kafka: NonNullable<LoadedService['kafka']> }> {
  return model.services.filter((s): s is LoadedService & { kafka: NonNullable<LoadedService['kafka']> } => s.kafka !== null);
}

/** Namespaces holding KafkaUsers, sorted; the user operator can watch exactly one (model/checks/kafka.ts). */
export function kafkaUserNamespaces(model: LoadedModel): string[] {
  return [...new Set(kafkaServices(model).map((s) => s.namespace))].sort();
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

/** `a.b|c-d` style regex matching exactly these names (for MirrorMaker 2 and the Kafka Exporter). */
export function exactNamesPattern(names: readonly string[]): string {
  return names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
}
