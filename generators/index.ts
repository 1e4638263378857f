// All generators, composed: run each, set the config hash on pod templates (core/config-hash.ts), then the
// Argo CD generator over their output, and refuse conflicts (two files at one path, or one object rendered twice).
import type { LoadedModel } from '../model/loaded.ts';
import { withConfigHashes } from './core/config-hash.ts';
import { OutputIndex } from './core/conflicts.ts';
import { argocd } from './argocd/argocd.ts';
import { autoscalers } from './workloads/autoscalers.ts';
import { configMaps } from './workloads/config-maps.ts';
import { disruptionBudgets } from './workloads/disruption-budgets.ts';
import { ingresses } from './workloads/ingresses.ts';
import { datastoreCharts } from './data/charts.ts';
import { postgresClusters } from './data/cluster.ts';
import { datastoreNetworkPolicies } from './data/network-policies.ts';
import { schemaMigrations } from './data/migrations.ts';
import { schemaRegistration } from './schema-registry/registration.ts';
import { kyvernoPolicies } from './policies/kyverno-policies.ts';
import { kafkaCaTrust } from './kafka/ca-trust.ts';
import { kafkaCluster } from './kafka/cluster.ts';
import { kafkaMirror } from './kafka/mirror.ts';
import { kafkaNetwork } from './kafka/network.ts';
import { kafkaTopics } from './kafka/topics.ts';
import { kafkaUsers } from './kafka/users.ts';
import { namespaceGuardrails } from './namespaces/namespace-guardrails.ts';
import { namespaces } from './namespaces/namespaces.ts';
import { networkPolicies } from './workloads/network-policies.ts';
import { alertRules } from './observability/alerts/prometheus-rules.ts';
import { externalSecrets } from './secrets/external-secrets.ts';
import { secretCopiesPolicy } from './secrets/secret-copies.ts';
import { secretStore } from './secrets/secret-store.ts';
import { backups } from './platform/backups.ts';
import { clusterIssuers } from './platform/cluster-issuers.ts';
import { ingressClass } from './platform/ingress-class.ts';
import { storageClasses } from './storage/storage-classes.ts';
import { sloPrometheusRules } from './observability/slo/prometheus-rules.ts';
import { analysisTemplates } from './delivery/analysis-templates.ts';
import { previewServices } from './delivery/preview-services.ts';
import { rollouts } from './delivery/rollouts.ts';
import { monitors } from './observability/stack/monitors.ts';
import { monitoringNetwork } from './observability/stack/network.ts';
import { thanosObjstore } from './observability/stack/secrets.ts';
import { dashboardConfigMaps } from './observability/dashboards/config-maps.ts';
import { serviceAccounts } from './workloads/service-accounts.ts';
import { services } from './workloads/services.ts';
import type { Generator, OutputFile } from './core/types.ts';
import { workloads } from './workloads/workloads.ts';
import { platformQuotas } from './capacity/platform-quotas.ts';
import { verticalPodAutoscalers } from './capacity/vertical-pod-autoscalers.ts';
import { chaosSchedules } from './chaos/chaos-schedules.ts';
import { authorizationPolicies } from './mesh/authorization-policies.ts';
import { peerAuthentications } from './mesh/peer-authentication.ts';
import { argocdRbacConfig, roleBindings } from './access/role-bindings.ts';
import { auditPolicies } from './audit/audit-policy.ts';

export { RenderConflictError } from './core/conflicts.ts';

/** The generators of each concern (one folder each), in no particular order: output is sorted by path. */
export const concerns = {
  namespaces: { namespaces, namespaceGuardrails },
  workloads: { serviceAccounts, configMaps, workloads, services, autoscalers, disruptionBudgets, ingresses, networkPolicies },
  kafka: { kafkaCluster, kafkaNetwork, kafkaTopics, kafkaUsers, kafkaMirror, kafkaCaTrust },
  policies: { kyvernoPolicies },
  secrets: { secretStore, externalSecrets, secretCopiesPolicy },
  data: { postgresClusters, schemaMigrations, datastoreCharts, datastoreNetworkPolicies },
  platform: { clusterIssuers, ingressClass, backups },
  storage: { storageClasses },
  slos: { sloPrometheusRules },
  delivery: { rollouts, analysisTemplates, previewServices },
  schemaRegistry: { schemaRegistration },
  capacity: { verticalPodAutoscalers, platformQuotas },
  chaos: { chaosSchedules },
  observability: { monitors, monitoringNetwork, thanosObjstore, dashboardConfigMaps },
  mesh: { peerAuthentications, authorizationPolicies },
  access: { roleBindings, argocdRbacConfig },
  audit: { auditPolicies },
  alerts: { alertRules },
} satisfies Record<string, Record<string, Generator>>;

/** Every generator but Argo CD's (which runs over their output). */
export const generators: Record<string, Generator> = Object.assign({}, ...Object.values(concerns));

/** Every file of one environment, sorted by path; pod templates carry the hash of the ConfigMaps they read. */
export function generate(model: LoadedModel, selected: Record<string, Generator> = generators): OutputFile[] {
  const generated: OutputFile[] = [];
  for (const generator of Object.values(selected)) generated.push(...generator({ model }));
  const files = withConfigHashes(generated);
  const index = new OutputIndex();
  index.add(files);
  const applications = argocd({ model }, files);
  index.add(applications);
  files.push(...applications);
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
