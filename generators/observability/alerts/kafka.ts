// Kafka: brokers and controller, replication (under-replicated, offline, below min ISR, ISR shrinking), and
// from the model: lag of each consumer group on each topic it consumes (limit from the consume's `maxLag`),
// a group that stopped consuming, and growth of each topic declared with purpose `dead-letter`.
import type { LoadedModel } from '../../../model/loaded.ts';
import { type AlertingRule, PLATFORM_TENANT, type RuleGroup, alertingRule } from './rules.ts';

export function kafkaAlerts(model: LoadedModel): RuleGroup {
  const { brokers } = model.environment.kafka;
  const platform = PLATFORM_TENANT;
  const consumers = model.services.flatMap((s) => (s.kafka?.groupId ? s.consumes.map((c) => ({ service: s, group: s.kafka!.groupId!, ...c })) : []));
  const deadLetters = model.topics.filter((t) => t.purpose === 'dead-letter');
  const group = (c: (typeof consumers)[number]) => `consumergroup="${c.group}", topic="${c.topic}"`;
  return {
    name: 'kafka',
    rules: [
      alertingRule(model, {
        alert: 'KafkaBrokerDown', tenant: platform, severity: 'critical', for: '5m',
        expr: `kafka_brokers < ${brokers}`,
        summary: 'A Kafka broker is missing from the cluster.',
        description: `The cluster reports {{ $value }} broker(s); ${brokers} are declared.`,
      }),
      alertingRule(model, {
        alert: 'KafkaNoActiveController', tenant: platform, severity: 'critical', for: '5m',
        expr: 'sum(kafka_controller_kafkacontroller_activecontrollercount) != 1',
        summary: 'The Kafka cluster does not have exactly one active controller.',
        description: '{{ $value }} active controllers are reported; metadata changes (leader elections, topic changes) stall without one.',
      }),
      alertingRule(model, {
        alert: 'KafkaOfflinePartitions', tenant: platform, severity: 'critical', for: '1m',
        expr: 'sum(kafka_controller_kafkacontroller_offlinepartitionscount) > 0',
        summary: 'Kafka partitions have no leader.',
        description: '{{ $value }} partition(s) are offline: nobody can write to or read from them.',
      }),
      alertingRule(model, {
        alert: 'KafkaUnderReplicatedPartitions', tenant: platform, severity: 'warning', for: '10m',
        expr: 'sum by (pod) (kafka_server_replicamanager_underreplicatedpartitions) > 0',
        summary: 'A Kafka broker leads under-replicated partitions.',
        description: 'Broker {{ $labels.pod }} leads {{ $value }} partition(s) whose followers are not all in sync.',
      }),
      alertingRule(model, {
        alert: 'KafkaUnderMinIsrPartitions', tenant: platform, severity: 'critical', for: '5m',
        expr: 'sum by (topic) (kafka_cluster_partition_underminisr) > 0',
        summary: 'Kafka partitions are below min.insync.replicas.',
        description: '{{ $value }} partition(s) of topic {{ $labels.topic }} have fewer in-sync replicas than min.insync.replicas: producers with acks=all are refused.',
      }),
      alertingRule(model, {
        alert: 'KafkaIsrShrinking', tenant: platform, severity: 'warning', for: '10m',
        expr: 'sum by (pod) (rate(kafka_server_replicamanager_isrshrinkspersec[5m])) > 0',
        summary: 'In-sync replica sets keep shrinking on a Kafka broker.',
        description: 'Broker {{ $labels.pod }} has dropped followers from in-sync replica sets for 10 minutes (slow disks, network or a broker restarting).',
      }),
      ...consumers.map((c): AlertingRule => alertingRule(model, {
        alert: 'KafkaConsumerGroupLagHigh', tenant: c.service.tenant, severity: 'warning', for: '10m',
        labels: { service: c.service.name, consumergroup: c.group, topic: c.topic },
        expr: `sum(kafka_consumergroup_lag{${group(c)}}) > ${c.maxLag}`,
        summary: `Consumer group ${c.group} is more than ${c.maxLag} messages behind on ${c.topic}.`,
        description: `${c.service.name} (group ${c.group}) has been {{ $value }} messages behind on ${c.topic} for 10 minutes; its limit is ${c.maxLag} (${c.service.modelPath}.consumes).`,
      })),
      ...consumers.map((c): AlertingRule => alertingRule(model, {
        alert: 'KafkaConsumerGroupNotConsuming', tenant: c.service.tenant, severity: 'critical', for: '15m',
        labels: { service: c.service.name, consumergroup: c.group, topic: c.topic },
        expr: `sum(kafka_consumergroup_lag{${group(c)}}) > 0 and sum(rate(kafka_consumergroup_current_offset{${group(c)}}[10m])) == 0`,
        summary: `Consumer group ${c.group} has stopped consuming ${c.topic}.`,
        description: `${c.service.name} has committed no progress on ${c.topic} for 15 minutes while {{ $value }} messages wait.`,
      })),
      ...deadLetters.map((topic): AlertingRule => alertingRule(model, {
        alert: 'KafkaDeadLetterTopicGrowing', tenant: topic.owner, severity: 'warning',
        labels: { topic: topic.name },
        expr: `sum(delta(kafka_topic_partition_current_offset{topic="${topic.name}"}[10m])) > 0`,
        summary: `Messages are arriving on the dead-letter topic ${topic.name}.`,
        description: `{{ $value }} message(s) reached ${topic.name} in the last 10 minutes; its producers (${topic.producers.join(', ') || 'none declared'}) could not process them.`,
      })),
    ],
  };
}
