/**
 * Platform components: each is one Argo CD Application in the `platform` project. Waves order the sync:
 * -3 namespaces and guardrails, -2 operators (with their CRDs), -1 shared infrastructure, 0 tenants.
 */
import type { ComponentSpec } from './spec.ts';

const operatorClusterResources = [
  { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
  { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' },
];

export const components = {
  namespaces: {
    description: 'Every namespace with its Pod Security labels, quota, limits and default-deny network policy.',
    namespace: 'kube-system',
    wave: -3,
    clusterResources: [{ group: '', kind: 'Namespace' }],
  },
  'strimzi-operator': {
    description: 'Strimzi cluster operator: runs Kafka, topics and users from kafka.strimzi.io/v1 resources.',
    namespace: 'strimzi',
    wave: -2,
    chart: {
      repoURL: 'https://strimzi.io/charts/',
      name: 'strimzi-kafka-operator',
      version: '1.0.0',
      values: {
        watchAnyNamespace: true,
        // The operator's pods and the Kafka pods it creates run in namespaces that enforce the restricted Pod Security Standard.
        extraEnvs: [{ name: 'STRIMZI_POD_SECURITY_PROVIDER_CLASS', value: 'restricted' }],
      },
    },
    clusterResources: operatorClusterResources,
    network: { apiServer: true, ingressPorts: [8080] },
  },
  kafka: {
    description: 'The platform Kafka cluster (Strimzi, KRaft): node pools, topics, metrics, exporter and, where set, MirrorMaker 2 to the DR cluster.',
    namespace: 'kafka',
    wave: -1,
    // The entity operator (topic and user operators) talks to the Kubernetes API.
    network: { apiServer: true },
  },
  datastores: {
    description: 'The platform datastores run by operators: the TimescaleDB CloudNativePG Cluster with its backups, monitoring and database roles (Redis, Qdrant and MinIO are chart Applications of their own).',
    namespace: 'data',
    wave: -1,
  },
  kyverno: {
    description: 'Kyverno admission controller: enforces the policy catalog in the cluster.',
    namespace: 'kyverno',
    wave: -2,
    chart: {
      repoURL: 'https://kyverno.github.io/kyverno/',
      name: 'kyverno',
      version: '3.5.2',
      values: {
        // The background controller keeps the Kafka cluster CA Secret in sync in client namespaces (generators/kafka/ca-trust.ts).
        backgroundController: {
          rbac: { clusterRole: { extraResources: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch', 'create', 'update', 'delete'] }] } },
        },
      },
    },
    clusterResources: operatorClusterResources,
    network: { apiServer: true, ingressPorts: [9443, 8000] },
  },
  policies: {
    description: 'Kyverno ClusterPolicies rendered from the policy catalog, so admission enforces what CI checks, and the Kafka CA copied to client namespaces.',
    namespace: 'kyverno',
    wave: -1,
    clusterResources: [{ group: 'kyverno.io', kind: 'ClusterPolicy' }],
  },
  'external-secrets': {
    description: 'External Secrets Operator: materialises service credentials from the secret store.',
    namespace: 'external-secrets',
    wave: -2,
    chart: { repoURL: 'https://charts.external-secrets.io', name: 'external-secrets', version: '0.20.4' },
    clusterResources: operatorClusterResources,
    network: { apiServer: true, ingressPorts: [10250, 8080] },
  },
  secrets: {
    description: 'Where Secrets come from (generators/secrets/): the AWS Secrets Manager ClusterSecretStore, ExternalSecrets and password generators, and the copies of datastore credentials into their consumers\' namespaces.',
    namespace: 'external-secrets',
    wave: -1,
    clusterResources: [{ group: 'external-secrets.io', kind: 'ClusterSecretStore' }, { group: 'kyverno.io', kind: 'ClusterPolicy' }],
  },
} satisfies Record<string, ComponentSpec>;
