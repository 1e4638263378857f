// Shared by the Kafka generators: the component's folder, labels and Strimzi facts (model/kafka.ts has the model's).
import { KAFKA_COMPONENT, kafkaServices } from '../../model/kafka.ts';
import type { LoadedModel } from '../../model/loaded.ts';
import { platformLabels } from '../core/labels.ts';

/** Label that ties node pools, topics and users to their Kafka cluster. */
export const STRIMZI_CLUSTER_LABEL = 'strimzi.io/cluster';
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

/** Namespaces holding KafkaUsers, sorted; the user operator can watch exactly one (model/checks/kafka.ts). */
export function kafkaUserNamespaces(model: LoadedModel): string[] {
  return [...new Set(kafkaServices(model).map((s) => s.namespace))].sort();
}

/** `a.b|c-d` style regex matching exactly these names (for MirrorMaker 2 and the Kafka Exporter). */
export function exactNamesPattern(names: readonly string[]): string {
  return names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
}
