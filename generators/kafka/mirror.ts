// MirrorMaker 2 to the disaster-recovery cluster, only where the environment names one
// (`kafka.disasterRecovery`): every platform topic and the services' consumer-group offsets are
// replicated to the DR cluster, which also hosts the Connect cluster's own topics.
//
// Credentials, none rendered:
// - on this cluster, a KafkaUser `<cluster>-mirror-maker-2` (read-only on the platform topics,
//   Describe on the services' groups). It must live in the namespace the user operator watches, which
//   writes its generated password into a Secret of that name there; a Kyverno rule keeps a copy in the
//   Kafka namespace, where MirrorMaker 2 reads it (generators/secrets/secret-copies.ts);
// - on the DR cluster, the same user name with the password in Secret `<cluster>-mirror-maker-2-<alias>`
//   and the DR cluster's CA certificate in Secret `<alias>-cluster-ca-cert` (both External Secrets,
//   generators/secrets/external-secrets.ts).
import type { IKafkaMirrorMaker2 } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/KafkaMirrorMaker2';
import type { IKafkaUser } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/KafkaUser';
import { KAFKA_COMPONENT, kafkaServices } from '../../model/kafka.ts';
import { CLUSTER_CA_CERT_KEY, KAFKA_VERSION, SCRAM_SHA_512, USER_PASSWORD_KEY, clusterCaSecretName, exactNamesPattern, kafkaLabels, kafkaPath, kafkaUserNamespaces } from './common.ts';
import { customObject } from '../core/plain-object.ts';
import { type AclOperation, literalAcls } from './users.ts';
import { platformLabels } from '../core/labels.ts';
import type { Generator } from '../core/types.ts';

export function mirrorUserName(cluster: string): string {
  return `${cluster}-mirror-maker-2`;
}

export const kafkaMirror: Generator = ({ model }) => {
  const kafka = model.environment.kafka;
  const dr = kafka.disasterRecovery;
  if (!dr) return [];
  const cluster = kafka.clusterName;
  const user = mirrorUserName(cluster);
  const userNamespace = kafkaUserNamespaces(model)[0] ?? kafka.namespace;
  const topics = model.topics.map((t) => t.name);
  const groups = kafkaServices(model).flatMap((s) => (s.kafka.groupId ? [s.kafka.groupId] : []));
  const source = 'environment.kafka.disasterRecovery';
  const name = `${cluster}-to-${dr.clusterAlias}`;
  const scram = (secretName: string) => ({ type: SCRAM_SHA_512, username: user, passwordSecret: { secretName, password: USER_PASSWORD_KEY } });
  // Connect's internal topics and MirrorMaker's own topics on the DR cluster use its default replication.
  const brokerDefault = -1;
  const replicas = kafka.brokers > 1 ? 2 : 1;

  const mirrorUser = customObject<IKafkaUser>({ apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaUser', metadata: { name: user, namespace: userNamespace, labels: kafkaLabels(model) },
    spec: {
      authentication: { type: SCRAM_SHA_512 },
      authorization: {
        type: 'simple',
        acls: literalAcls([
          ...topics.map((topic) => ({ type: 'topic' as const, name: topic, operations: ['Read', 'Describe', 'DescribeConfigs'] as AclOperation[] })),
          ...groups.map((group) => ({ type: 'group' as const, name: group, operations: ['Describe'] as AclOperation[] })),
        ]),
      },
    },
  });

  const mirror = customObject<IKafkaMirrorMaker2>({ apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaMirrorMaker2', metadata: { name, namespace: kafka.namespace, labels: platformLabels(model, KAFKA_COMPONENT) },
    spec: {
      version: KAFKA_VERSION,
      replicas,
      target: {
        alias: dr.clusterAlias,
        bootstrapServers: dr.bootstrapServers,
        groupId: `${name}-connect`,
        configStorageTopic: `${name}-connect-configs`,
        statusStorageTopic: `${name}-connect-status`,
        offsetStorageTopic: `${name}-connect-offsets`,
        tls: { trustedCertificates: [{ secretName: clusterCaSecretName(dr.clusterAlias), certificate: CLUSTER_CA_CERT_KEY }] },
        authentication: scram(`${user}-${dr.clusterAlias}`),
        config: {
          'config.storage.replication.factor': brokerDefault,
          'offset.storage.replication.factor': brokerDefault,
          'status.storage.replication.factor': brokerDefault,
        },
      },
      mirrors: [{
        source: {
          alias: cluster,
          bootstrapServers: kafka.bootstrapServers,
          tls: { trustedCertificates: [{ secretName: clusterCaSecretName(cluster), certificate: CLUSTER_CA_CERT_KEY }] },
          authentication: scram(user),
        },
        sourceConnector: {
          tasksMax: replicas,
          config: {
            'replication.factor': brokerDefault,
            // Nothing is written to this cluster: offset syncs live on the target, ACLs are not copied.
            'offset-syncs.topic.location': 'target',
            'offset-syncs.topic.replication.factor': brokerDefault,
            'sync.topic.acls.enabled': false,
          },
        },
        checkpointConnector: {
          tasksMax: 1,
          config: {
            'checkpoints.topic.replication.factor': brokerDefault,
            'offset-syncs.topic.location': 'target',
            'sync.group.offsets.enabled': true,
          },
        },
        topicsPattern: exactNamesPattern(topics),
        groupsPattern: exactNamesPattern(groups),
      }],
    },
  });

  return [
    { path: kafkaPath(userNamespace, 'KafkaUser', user), source, object: mirrorUser },
    { path: kafkaPath(kafka.namespace, 'KafkaMirrorMaker2', name), source, object: mirror },
  ];
};
