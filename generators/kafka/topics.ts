// One KafkaTopic per model topic, in the Kafka namespace, managed by Strimzi's topic operator:
// partitions and replication as loaded for the environment, retention, cleanup policy and
// min.insync.replicas as topic configs. Dead-letter topics are ordinary topics with their own
// retention, labelled with their purpose.
import type { IKafkaTopic } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/KafkaTopic';
import type { LoadedTopic } from '../../model/loaded.ts';
import { topicResourceName } from '../../model/kafka.ts';
import { STRIMZI_CLUSTER_LABEL, kafkaPath } from './common.ts';
import { customObject } from '../core/plain-object.ts';
import { LABEL_COMPONENT } from '../core/kubernetes.ts';
import { tenantLabels } from '../core/labels.ts';
import type { Generator } from '../core/types.ts';

export const LABEL_TOPIC_PURPOSE = 'gamemetrics.dev/topic-purpose';

/** Topic configs rendered for a topic (Kafka config names). */
export function topicConfig(topic: LoadedTopic): Record<string, string | number> {
  return {
    'cleanup.policy': topic.cleanupPolicy,
    'min.insync.replicas': topic.minInsyncReplicas,
    'retention.ms': topic.retentionMs,
  };
}

export const kafkaTopics: Generator = ({ model }) => {
  const kafka = model.environment.kafka;
  return model.topics.map((topic) => {
    const owner = model.tenants.find((t) => t.name === topic.owner)!;
    const name = topicResourceName(topic.name);
    return {
      path: kafkaPath(kafka.namespace, 'KafkaTopic', name),
      source: topic.modelPath,
      object: customObject<IKafkaTopic>({ apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaTopic', metadata: {
          name,
          namespace: kafka.namespace,
          labels: {
            ...tenantLabels(model, owner),
            [LABEL_COMPONENT]: 'kafka-topic',
            [STRIMZI_CLUSTER_LABEL]: kafka.clusterName,
            [LABEL_TOPIC_PURPOSE]: topic.purpose,
          },
        },
        spec: {
          ...(name === topic.name ? {} : { topicName: topic.name }),
          partitions: topic.partitions,
          replicas: topic.replication,
          config: topicConfig(topic),
        },
      }),
    };
  });
};
