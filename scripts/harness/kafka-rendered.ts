// Reads the Kafka resources back out of rendered output (rendered/<env>/ files, or an in-memory
// render from render/render.ts): what the broker tests and benchmarks apply, so they prove the
// YAML that Argo CD would sync, not the model.
import type { IKafkaTopic } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/KafkaTopic';
import type { IKafkaUser } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/KafkaUser';
import { parse } from 'yaml';

export interface RenderedKafka {
  /** KafkaTopics, by rendered path order. */
  topics: Array<IKafkaTopic & { path: string }>;
  /** KafkaUsers, by rendered path order. */
  users: Array<IKafkaUser & { path: string }>;
}

/** The KafkaTopics and KafkaUsers among rendered files (relative path → YAML content). */
export function renderedKafka(files: ReadonlyMap<string, string>): RenderedKafka {
  const out: RenderedKafka = { topics: [], users: [] };
  for (const [path, content] of files) {
    if (!/\/kafka(topic|user)-[^/]+\.yaml$/.test(path)) continue;
    const object = parse(content) as (IKafkaTopic | IKafkaUser) | null;
    if (object?.apiVersion !== 'kafka.strimzi.io/v1') continue;
    if (object.kind === 'KafkaTopic') out.topics.push({ ...object, path });
    else if (object.kind === 'KafkaUser') out.users.push({ ...object, path });
  }
  return out;
}

/** The Kafka topic name of a KafkaTopic: `spec.topicName`, else the object name. */
export function topicNameOf(topic: IKafkaTopic): string {
  return topic.spec.topicName ?? topic.metadata?.name ?? '';
}

/** A KafkaTopic as a topic to create: name, partitions, replication and configs as strings. */
export function topicToCreate(topic: IKafkaTopic): { topic: string; numPartitions: number; replicationFactor: number; configEntries: Array<{ name: string; value: string }> } {
  const config = (topic.spec.config ?? {}) as Record<string, string | number | boolean>;
  return {
    topic: topicNameOf(topic),
    numPartitions: topic.spec.partitions ?? -1,
    replicationFactor: topic.spec.replicas ?? -1,
    configEntries: Object.entries(config).map(([name, value]) => ({ name, value: String(value) })).sort((a, b) => (a.name < b.name ? -1 : 1)),
  };
}
