// Shared by the Kafka generators: the component's folder, labels and Strimzi facts (model/kafka.ts has the model's).
import { KAFKA_COMPONENT, kafkaServices } from '../../model/kafka.ts';
import type { LoadedModel } from '../../model/loaded.ts';
import { platformLabels } from '../core/labels.ts';

/** Label that ties node pools, topics and users to their Kafka cluster. */
export const STRIMZI_CLUSTER_LABEL = 'strimzi.io/cluster';
/** Label Strimzi puts on the pods it runs: the kind of resource they belong to (`Kafka`, `KafkaMirrorMaker2`). */
export const STRIMZI_KIND_LABEL = 'strimzi.io/kind';
/** Pods of MirrorMaker 2 (in the Kafka namespace). */
export const MIRROR_MAKER_POD_LABELS = { [STRIMZI_KIND_LABEL]: 'KafkaMirrorMaker2' };
/** Apache Kafka version of the cluster; Strimzi 1.0.0 (the pinned chart) supports 4.1.x and 4.2.0. */
export const KAFKA_VERSION = '4.2.0';
/** The SASL mechanism of the client listener, of every KafkaUser and of the clients' configuration. */
export const SCRAM_SHA_512 = 'scram-sha-512' as const;
/** Key of the password in the Secret Strimzi's user operator writes for each KafkaUser. */
export const USER_PASSWORD_KEY = 'password';
/** Key of the CA certificate in a Strimzi cluster's `<cluster>-cluster-ca-cert` Secret. */
export const CLUSTER_CA_CERT_KEY = 'ca.crt';

/** Strimzi's Secret holding a cluster's CA certificate (ours, or the DR cluster's under its alias). */
export function clusterCaSecretName(cluster: string): string {
  return `${cluster}-cluster-ca-cert`;
}

/** Labels of the broker pods of `cluster`. */
export function brokerPodLabels(cluster: string): Record<string, string> {
  return { [STRIMZI_CLUSTER_LABEL]: cluster, [STRIMZI_KIND_LABEL]: 'Kafka' };
}

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

/** Strimzi labels each node pool's pods with the pool's name. */
export const STRIMZI_POOL_LABEL = 'strimzi.io/pool-name';
/** The node pool that runs the brokers: one pool with both roles, or brokers apart from dedicated controllers. */
export function brokerPoolName(controllers: number | 'combined'): string {
  return controllers === 'combined' ? 'combined' : 'brokers';
}
