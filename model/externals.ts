/**
 * What the rendered objects rely on and this repository does not create, each declared once with the reason.
 * `npm run policy` (rule platform/references-resolve) resolves every reference in rendered/<env>/ against the
 * rendered objects, what their operators create, and these; `npm run render` lists them in docs/externals.md.
 * An entry without `environments` exists in every environment.
 */
import { INGRESS_GATEWAY_SERVICE_ACCOUNT, PROMETHEUS_SERVICE_ACCOUNT } from './platform-components.ts';
import type { ExternalSpec } from './spec.ts';

const environments = ['dev', 'staging', 'prod'] as const;
const clusterServer = { dev: 'https://k8s.dev.gamemetrics.dev', staging: 'https://k8s.staging.gamemetrics.dev', prod: 'https://k8s.prod.gamemetrics.dev' };
const dnsZone = { dev: 'dev.gamemetrics.dev', staging: 'staging.gamemetrics.dev', prod: 'gamemetrics.dev' };

export const externals: ExternalSpec[] = [
  {
    kind: 'Namespace',
    name: 'argocd',
    reason: 'Argo CD is installed by hand before the first sync (README "Argo CD"); the bootstrap Application and every Application live in its namespace.',
  },
  ...environments.map((env): ExternalSpec => ({
    kind: 'KubernetesCluster',
    name: clusterServer[env],
    environments: [env],
    reason: `The ${env} cluster's API server: the cluster is provisioned outside this repository and registered in Argo CD before the first sync.`,
  })),
  ...environments.map((env): ExternalSpec => ({
    kind: 'DnsZone',
    name: dnsZone[env],
    environments: [env],
    reason: `The ${env} domain's DNS zone, hosted outside the cluster: ingress hosts are records under it.`,
  })),
  ...environments.map((env): ExternalSpec => ({
    kind: 'SecretStoreKey',
    name: `gamemetrics/${env}/*`,
    environments: [env],
    reason: `Secret values live in AWS Secrets Manager under gamemetrics/${env}/, written by the platform team or rotated by the store; External Secrets reads them, Git never holds them.`,
  })),
  {
    kind: 'KubernetesCluster',
    name: 'https://k8s.euc1.prod.gamemetrics.dev',
    environments: ['prod'],
    reason: "prod's second region's API server (cluster gm-prod-euc1, eu-central-1): provisioned outside this repository and registered in the primary region's Argo CD, with the labels the prod-root ApplicationSet selects by (docs/regions.md), before the first sync.",
  },
  ...['gm-prod', 'gm-prod-euc1'].map((cluster): ExternalSpec => ({
    kind: 'Secret',
    name: `cluster-${cluster}`,
    namespace: 'argocd',
    environments: ['prod'],
    reason: `Argo CD's registration of cluster ${cluster} (argocd.argoproj.io/secret-type: cluster, labels gamemetrics.dev/environment: prod and gamemetrics.dev/cluster: ${cluster}), made by the platform team with the cluster's API credentials when it is provisioned; the prod-root ApplicationSet's cluster generator selects it by those labels (docs/regions.md).`,
  })),
  {
    kind: 'KafkaCluster',
    name: 'kafka-bootstrap.gm-prod.gamemetrics.dev:9094',
    environments: ['prod'],
    reason: "The primary region's Kafka (cluster gm-prod) as the other regions reach it: its inter-region listener, rendered in rendered/prod/platform/kafka/. Each region's tree is checked on its own, so eu-central-1's MirrorMaker 2 names it as outside its cluster.",
  },
  {
    kind: 'ExternalEndpoint',
    name: 'notification channel webhooks',
    reason: "The receivers of notification-service's channels (e-mail and push providers, studios' own endpoints), run by third parties on the internet; their URLs carry tokens and live in the Secret notification-service-webhooks, so only HTTPS to public addresses is allowed, not the hosts.",
  },
  {
    kind: 'ExternalEndpoint',
    name: 'transactional mail relay',
    reason: "The e-mail provider's HTTPS API through which prediction-api sends password-reset tokens, run by a third party on the internet; its URL and bearer secret live in the Secret prediction-api-mail-relay, so only HTTPS to public addresses is allowed, not the host.",
  },
  {
    kind: 'ServiceAccount',
    name: INGRESS_GATEWAY_SERVICE_ACCOUNT,
    namespace: 'istio-ingress',
    reason: "Created by Istio's gateway chart (component istio-ingressgateway); the services' AuthorizationPolicies admit the gateway by this identity.",
  },
  {
    kind: 'ServiceAccount',
    name: PROMETHEUS_SERVICE_ACCOUNT,
    namespace: 'monitoring',
    reason: "Created by the kube-prometheus-stack chart for its Prometheus; every AuthorizationPolicy admits it to the metrics port.",
  },
];
