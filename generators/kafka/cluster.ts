// The platform's Kafka cluster: a Strimzi `Kafka` (KRaft) with its KafkaNodePools and the Prometheus
// JMX exporter rules it references. Sized from the environment's `kafka` values only:
// `controllers: 'combined'` runs the KRaft controller on the brokers, a number adds a dedicated
// controller pool; more than one zone (and broker) turns on rack awareness.
import type { IKafka } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/Kafka';
import type { IKafkaNodePool } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/KafkaNodePool';
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import { emitYaml } from '../core/yaml-emitter.ts';
import type { LoadedModel } from '../../model/loaded.ts';
import { INTER_REGION_LISTENER, KAFKA_COMPONENT, TLS_LISTENER, kafkaServices } from '../../model/kafka.ts';
import { mirrorLink, mirroredBy } from './mirror-link.ts';
import { KAFKA_VERSION, MIRROR_MAKER_POD_LABELS, SCRAM_SHA_512, STRIMZI_CLUSTER_LABEL, STRIMZI_POOL_LABEL, brokerPoolName, exactNamesPattern, kafkaLabels, kafkaPath, kafkaUserNamespaces } from './common.ts';
import { ZONE_LABEL } from '../core/kubernetes.ts';
import { namespacePeer } from '../core/network-policy.ts';
import { customObject } from '../core/plain-object.ts';
import { platformLabels, selectorLabels } from '../core/labels.ts';
import { typedObject } from '../core/typed-object.ts';
import type { Generator, OutputFile } from '../core/types.ts';

/** Disk of each dedicated KRaft controller: metadata only, small. */
export const CONTROLLER_STORAGE = '20Gi';
export const METRICS_CONFIG_KEY = 'kafka-metrics-config.yml';
/** Peers of the inter-region listener: the other regions' addresses, outside the cluster. */
const ANYWHERE = '0.0.0.0/0';
const RACK_AWARE_REPLICA_SELECTOR = 'org.apache.kafka.common.replica.RackAwareReplicaSelector';

export function metricsConfigMapName(cluster: string): string {
  return `${cluster}-kafka-metrics`;
}

/** Whether brokers are spread over zones (and told their zone as `broker.rack`). */
export function rackAware(model: LoadedModel): boolean {
  return model.environment.cluster.zones.length > 1 && model.environment.kafka.brokers > 1;
}

/**
 * Prometheus JMX exporter rules: broker, request, log, controller and JVM metrics, lowercased,
 * with topic/partition/client labels where the MBean carries them.
 */
function jmxExporterRules(): string {
  const rule = (pattern: string, name: string, type: 'GAUGE' | 'COUNTER', labels?: Record<string, string>) => ({ pattern, name, type, ...(labels ? { labels } : {}) });
  return emitYaml({
    lowercaseOutputName: true,
    lowercaseOutputLabelNames: true,
    rules: [
      // Per topic and partition (log sizes, offsets, under-replication).
      rule('kafka.(\\w+)<type=(.+), name=(.+), topic=(.+), partition=(.*)><>Value', 'kafka_$1_$2_$3', 'GAUGE', { topic: '$4', partition: '$5' }),
      // Per topic rates (bytes in/out, messages in), cumulative counts.
      rule('kafka.server<type=BrokerTopicMetrics, name=(.+), topic=(.+)><>Count', 'kafka_server_brokertopicmetrics_$1_total', 'COUNTER', { topic: '$2' }),
      rule('kafka.server<type=BrokerTopicMetrics, name=(.+)><>Count', 'kafka_server_brokertopicmetrics_$1_total', 'COUNTER'),
      // Requests by type: rates and latency percentiles.
      rule('kafka.network<type=RequestMetrics, name=(.+), request=(.+)><>Count', 'kafka_network_requestmetrics_$1_total', 'COUNTER', { request: '$2' }),
      rule('kafka.network<type=RequestMetrics, name=(.+), request=(.+)><>(\\d+)thPercentile', 'kafka_network_requestmetrics_$1', 'GAUGE', { request: '$2', quantile: '0.$3' }),
      // Per-client quotas and throttling.
      rule('kafka.server<type=(.+), user=(.+), client-id=(.+)><>([a-z-]+)', 'kafka_server_quota_$4', 'GAUGE', { resource: '$1', user: '$2', clientId: '$3' }),
      rule('kafka.server<type=(.+), user=(.+)><>([a-z-]+)', 'kafka_server_quota_$3', 'GAUGE', { resource: '$1', user: '$2' }),
      // KRaft controller and broker state.
      rule('kafka.controller<type=(.+), name=(.+)><>(Count|Value)', 'kafka_controller_$1_$2', 'GAUGE'),
      rule('kafka.server<type=raft-metrics><>([a-z-]+)', 'kafka_server_raftmetrics_$1', 'GAUGE'),
      // Everything else with a single value, and JVM basics.
      rule('kafka.(\\w+)<type=(.+), name=(.+)><>(Count|Value)', 'kafka_$1_$2_$3', 'GAUGE'),
      rule('java.lang<type=(.+), name=(.+)><(.+)>(\\w+)', 'java_lang_$1_$4_$3', 'GAUGE', { name: '$2' }),
      rule('java.lang<type=(.+)><>(\\w+)', 'java_lang_$1_$2', 'GAUGE'),
    ],
  });
}

export const kafkaCluster: Generator = ({ model }) => {
  const kafka = model.environment.kafka;
  const cluster = kafka.clusterName;
  const namespace = kafka.namespace;
  const labels = kafkaLabels(model);
  const ownLabels = platformLabels(model, KAFKA_COMPONENT);
  const source = 'environment.kafka';
  const out: OutputFile[] = [];
  const rack = rackAware(model);

  out.push({
    path: kafkaPath(namespace, 'ConfigMap', metricsConfigMapName(cluster)),
    source,
    object: typedObject<ConfigMap>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: metricsConfigMapName(cluster), namespace, labels: ownLabels },
      data: { [METRICS_CONFIG_KEY]: jmxExporterRules() },
    }),
  });

  // Node pools: brokers (combined with the controller role, or apart from dedicated controllers).
  const pool = (name: string, roles: Array<'broker' | 'controller'>, replicas: number, size: string, brokerStorage: boolean) => {
    const spread = rack
      ? {
          template: {
            pod: {
              topologySpreadConstraints: [{
                maxSkew: 1,
                topologyKey: ZONE_LABEL,
                whenUnsatisfiable: 'DoNotSchedule' as const,
                labelSelector: { matchLabels: { [STRIMZI_CLUSTER_LABEL]: cluster, [STRIMZI_POOL_LABEL]: name } },
              }],
            },
          },
        }
      : {};
    out.push({
      path: kafkaPath(namespace, 'KafkaNodePool', name),
      source,
      object: customObject<IKafkaNodePool>({ apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaNodePool', metadata: { name, namespace, labels },
        spec: {
          replicas,
          roles,
          storage: brokerStorage
            ? { type: 'jbod', volumes: [{ id: 0, type: 'persistent-claim', size, class: kafka.storageClass, deleteClaim: false, kraftMetadata: 'shared' }] }
            : { type: 'persistent-claim', size, class: kafka.storageClass, deleteClaim: false },
          ...spread,
        },
      }),
    });
  };
  if (kafka.controllers === 'combined') {
    pool(brokerPoolName(kafka.controllers), ['controller', 'broker'], kafka.brokers, kafka.storage, true);
  } else {
    pool('controllers', ['controller'], kafka.controllers, CONTROLLER_STORAGE, false);
    pool(brokerPoolName(kafka.controllers), ['broker'], kafka.brokers, kafka.storage, true);
  }

  // Clients may reach the listener only from their own pods (and MirrorMaker 2 in this namespace).
  const clientPeers = kafkaServices(model).map((service) => namespacePeer(service.namespace, selectorLabels(service)));
  if (mirrorLink(model)) clientPeers.push(namespacePeer(namespace, MIRROR_MAKER_POD_LABELS));
  const interRegion = mirroredBy(model);
  const userNamespaces = kafkaUserNamespaces(model);
  const groups = kafkaServices(model).flatMap((s) => (s.kafka.groupId ? [s.kafka.groupId] : []));

  out.push({
    path: kafkaPath(namespace, 'Kafka', cluster),
    source,
    object: customObject<IKafka>({ apiVersion: 'kafka.strimzi.io/v1', kind: 'Kafka', metadata: { name: cluster, namespace, labels: ownLabels },
      spec: {
        kafka: {
          version: KAFKA_VERSION,
          listeners: [{
            name: TLS_LISTENER.name,
            port: TLS_LISTENER.port,
            type: 'internal',
            tls: true,
            authentication: { type: SCRAM_SHA_512 },
            networkPolicyPeers: clientPeers,
          },
          // Other regions' MirrorMaker 2, from outside the cluster, behind a load balancer under the environment's domain.
          ...(interRegion ? [{
            name: INTER_REGION_LISTENER.name,
            port: INTER_REGION_LISTENER.port,
            type: 'loadbalancer' as const,
            tls: true,
            authentication: { type: SCRAM_SHA_512 },
            configuration: { bootstrap: { alternativeNames: [interRegion.slice(0, interRegion.lastIndexOf(':'))] } },
            networkPolicyPeers: [{ ipBlock: { cidr: ANYWHERE } }],
          }] : [])],
          authorization: { type: 'simple' },
          ...(rack ? { rack: { topologyKey: ZONE_LABEL } } : {}),
          config: {
            'auto.create.topics.enable': false,
            'default.replication.factor': kafka.replication,
            'min.insync.replicas': kafka.minInsyncReplicas,
            'num.partitions': kafka.defaultPartitions,
            'offsets.topic.replication.factor': kafka.replication,
            'transaction.state.log.replication.factor': kafka.replication,
            'transaction.state.log.min.isr': kafka.minInsyncReplicas,
            ...(rack ? { 'replica.selector.class': RACK_AWARE_REPLICA_SELECTOR } : {}),
          },
          metricsConfig: {
            type: 'jmxPrometheusExporter',
            valueFrom: { configMapKeyRef: { name: metricsConfigMapName(cluster), key: METRICS_CONFIG_KEY } },
          },
        },
        entityOperator: {
          topicOperator: { watchedNamespace: namespace },
          // One namespace per cluster; model/checks/kafka.ts refuses users spread over several.
          userOperator: { watchedNamespace: userNamespaces[0] ?? namespace },
        },
        // Consumer lag and topic offsets for Prometheus, for the platform's own topics and groups.
        kafkaExporter: {
          topicRegex: exactNamesPattern(model.topics.map((t) => t.name)) || '.*',
          groupRegex: exactNamesPattern(groups) || '.*',
        },
      },
    }),
  });
  return out;
};
