// Kafka clients verify the brokers' TLS certificates against the cluster CA, whose Secret Strimzi
// writes into the kafka namespace only. A Kyverno generate rule keeps a synchronised copy in every
// namespace with Kafka clients; workloads mount it (pod-template.ts) and read KAFKA_SSL_CA_FILE.
import type { LoadedModel } from '../../model/loaded.ts';
import { CLUSTER_CA_CERT_KEY, clusterCaSecretName, kafkaUserNamespaces } from './common.ts';
import { platformLabels, POLICIES_COMPONENT } from '../core/labels.ts';
import type { Generator } from '../core/types.ts';

/** Where workloads find the cluster CA certificate. */
export const KAFKA_CA_MOUNT = { volume: 'kafka-cluster-ca', directory: '/etc/kafka-ca', key: CLUSTER_CA_CERT_KEY } as const;

/** Strimzi's Secret holding the cluster CA certificate. */
export function clusterCaSecret(model: LoadedModel): string {
  return clusterCaSecretName(model.environment.kafka.clusterName);
}

export const kafkaCaTrust: Generator = ({ model }) => {
  const namespaces = kafkaUserNamespaces(model);
  if (namespaces.length === 0) return [];
  const secret = clusterCaSecret(model);
  return [{
    path: `platform/${POLICIES_COMPONENT}/clusterpolicy-sync-kafka-cluster-ca.yaml`,
    source: 'environment.kafka',
    object: {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: {
        name: 'sync-kafka-cluster-ca',
        labels: platformLabels(model, POLICIES_COMPONENT),
        annotations: {
          'policies.kyverno.io/title': 'Kafka cluster CA in client namespaces',
          'policies.kyverno.io/description': `Copies Secret ${model.environment.kafka.namespace}/${secret} into the namespaces of Kafka clients and keeps it in sync when Strimzi renews the CA.`,
        },
      },
      spec: {
        generateExisting: true,
        rules: [{
          name: 'clone-cluster-ca',
          match: { any: [{ resources: { kinds: ['Namespace'], names: namespaces } }] },
          generate: {
            apiVersion: 'v1',
            kind: 'Secret',
            name: secret,
            namespace: '{{request.object.metadata.name}}',
            synchronize: true,
            clone: { namespace: model.environment.kafka.namespace, name: secret },
          },
        }],
      },
    },
  }];
};

