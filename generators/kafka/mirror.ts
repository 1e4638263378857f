// MirrorMaker 2 between this cluster and another (generators/kafka/mirror-link.ts says which and where it runs):
// - pull (a further region): MirrorMaker 2 runs here and copies every platform topic of the region named in
//   `kafka.mirrorFrom` (as `<its cluster>.<topic>`) and the services' consumer-group offsets into this cluster;
// - push (`kafka.disasterRecovery`): MirrorMaker 2 runs here and copies this cluster to the external DR cluster.
// A cluster other regions mirror from renders a read-only user for them (and opens its inter-region listener,
// generators/kafka/cluster.ts).
//
// Credentials, none rendered:
// - on this cluster, a KafkaUser `<cluster>-mirror-maker-2`: read-only on the platform topics (push, and for the
//   regions that mirror from here), or allowed to create and write the mirrored topics (pull). It lives in the
//   namespace the user operator watches, which writes its password into a Secret of that name there; a Kyverno
//   rule keeps a copy in the Kafka namespace, where MirrorMaker 2 reads it (generators/secrets/secret-copies.ts);
// - on the remote cluster, the same user name with the password in Secret `<cluster>-mirror-maker-2-<alias>`
//   and the remote cluster's CA certificate in Secret `<alias>-cluster-ca-cert` (both External Secrets,
//   generators/secrets/external-secrets.ts).
import type { IKafkaMirrorMaker2 } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/KafkaMirrorMaker2';
import type { IKafkaUser } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/KafkaUser';
import { KAFKA_COMPONENT, kafkaServices } from '../../model/kafka.ts';
import { CLUSTER_CA_CERT_KEY, KAFKA_VERSION, SCRAM_SHA_512, USER_PASSWORD_KEY, clusterCaSecretName, exactNamesPattern, kafkaLabels, kafkaPath, kafkaUserNamespaces } from './common.ts';
import { customObject } from '../core/plain-object.ts';
import { type AclOperation, type AclRule, literalAcls } from './users.ts';
import { mirrorLink, mirroredBy } from './mirror-link.ts';
import { platformLabels } from '../core/labels.ts';
import type { Generator, OutputFile } from '../core/types.ts';

export function mirrorUserName(cluster: string): string {
  return `${cluster}-mirror-maker-2`;
}

export const kafkaMirror: Generator = ({ model }) => {
  const kafka = model.environment.kafka;
  const link = mirrorLink(model);
  const servesRegions = mirroredBy(model) !== null;
  if (!link && !servesRegions) return [];
  const cluster = kafka.clusterName;
  const user = mirrorUserName(cluster);
  const userNamespace = kafkaUserNamespaces(model)[0] ?? kafka.namespace;
  const topics = model.topics.map((t) => t.name);
  const groups = kafkaServices(model).flatMap((s) => (s.kafka.groupId ? [s.kafka.groupId] : []));
  const out: OutputFile[] = [];

  // Read-only for whoever copies this cluster away (push from here, or other regions pulling).
  const readOnly = link?.mode === 'push' || servesRegions;
  const name = link ? (link.mode === 'push' ? `${cluster}-to-${link.remote.alias}` : `${link.remote.alias}-to-${link.localAlias}`) : '';
  const acls = literalAcls([
    ...(readOnly ? topics.map((topic) => ({ type: 'topic' as const, name: topic, operations: ['Read', 'Describe', 'DescribeConfigs'] as AclOperation[] })) : []),
    ...(readOnly ? groups.map((group) => ({ type: 'group' as const, name: group, operations: ['Describe'] as AclOperation[] })) : []),
    ...(link?.mode === 'pull' ? pullTargetGrants(name, link.localAlias, groups) : []),
  ]);
  const prefixed: AclRule[] = link?.mode === 'pull'
    ? [{ type: 'allow', resource: { type: 'topic', name: `${link.remote.alias}.`, patternType: 'prefix' }, host: '*', operations: ['Read', 'Write', 'Create', 'Describe', 'AlterConfigs', 'DescribeConfigs'] }]
    : [];
  const userSource = link?.modelPath ?? 'environment.regions';
  out.push({ path: kafkaPath(userNamespace, 'KafkaUser', user), source: userSource, object: customObject<IKafkaUser>({ apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaUser', metadata: { name: user, namespace: userNamespace, labels: kafkaLabels(model) },
    spec: { authentication: { type: SCRAM_SHA_512 }, authorization: { type: 'simple', acls: [...acls, ...prefixed] } },
  }) });
  if (!link) return out;

  const scram = (secretName: string) => ({ type: SCRAM_SHA_512, username: user, passwordSecret: { secretName, password: USER_PASSWORD_KEY } });
  // Connect's internal topics and MirrorMaker's own topics on the target use its default replication.
  const brokerDefault = -1;
  const replicas = kafka.brokers > 1 ? 2 : 1;
  const local = { alias: link.localAlias, bootstrapServers: kafka.bootstrapServers, tls: { trustedCertificates: [{ secretName: clusterCaSecretName(cluster), certificate: CLUSTER_CA_CERT_KEY }] }, authentication: scram(user) };
  const remote = { alias: link.remote.alias, bootstrapServers: link.remote.bootstrapServers, tls: { trustedCertificates: [{ secretName: clusterCaSecretName(link.remote.alias), certificate: CLUSTER_CA_CERT_KEY }] }, authentication: scram(`${user}-${link.remote.alias}`) };
  const [source, target] = link.mode === 'push' ? [local, remote] : [remote, local];

  const mirror = customObject<IKafkaMirrorMaker2>({ apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaMirrorMaker2', metadata: { name, namespace: kafka.namespace, labels: platformLabels(model, KAFKA_COMPONENT) },
    spec: {
      version: KAFKA_VERSION,
      replicas,
      target: {
        alias: target.alias,
        bootstrapServers: target.bootstrapServers,
        groupId: `${name}-connect`,
        configStorageTopic: `${name}-connect-configs`,
        statusStorageTopic: `${name}-connect-status`,
        offsetStorageTopic: `${name}-connect-offsets`,
        tls: target.tls,
        authentication: target.authentication,
        config: {
          'config.storage.replication.factor': brokerDefault,
          'offset.storage.replication.factor': brokerDefault,
          'status.storage.replication.factor': brokerDefault,
        },
      },
      mirrors: [{
        source,
        sourceConnector: {
          tasksMax: replicas,
          config: {
            'replication.factor': brokerDefault,
            // Nothing is written to the source: offset syncs live on the target, ACLs are not copied.
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
  out.push({ path: kafkaPath(kafka.namespace, 'KafkaMirrorMaker2', name), source: link.modelPath, object: mirror });
  return out;
};

/**
 * What MirrorMaker 2 writes on this cluster when it pulls another region's (besides the `<alias>.` topics): Connect's
 * group and internal topics, the heartbeats topic, the offset-syncs topic (named after the target), and the services' groups, whose offsets it
 * translates (`sync.group.offsets.enabled`).
 */
function pullTargetGrants(name: string, targetAlias: string, groups: string[]) {
  const write: AclOperation[] = ['Read', 'Write', 'Create', 'Describe', 'DescribeConfigs'];
  return [
    ...['configs', 'status', 'offsets'].map((t) => ({ type: 'topic' as const, name: `${name}-connect-${t}`, operations: write })),
    { type: 'topic' as const, name: 'heartbeats', operations: write },
    { type: 'topic' as const, name: `mm2-offset-syncs.${targetAlias}.internal`, operations: write },
    { type: 'group' as const, name: `${name}-connect`, operations: ['Read', 'Describe'] as AclOperation[] },
    ...groups.map((group) => ({ type: 'group' as const, name: group, operations: ['Read', 'Describe'] as AclOperation[] })),
  ];
}
