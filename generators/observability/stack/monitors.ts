// What Prometheus scrapes, as ServiceMonitors and PodMonitors labelled for its selector (contract 4):
// - every service with a port: its Service's first port (the one apps/lib serves /metrics on), in the tenant's folder;
// - Kafka: the brokers', controllers' and Kafka Exporter's JMX/exporter port, the entity operator's metrics;
// - each operator component that declares `metrics` in model/components.ts.
// CloudNativePG's PodMonitor (generators/data/cluster.ts) and the charts' own monitors (Redis exporter, Loki,
// Tempo, the collector, Thanos, node-exporter, kube-prometheus-stack's parts) carry the same label.
// scrapeTargets() lists every target with its port, for the monitoring namespace's egress policy.
import type { IPodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import type { LoadedModel, LoadedService } from '../../../model/loaded.ts';
import { MONITORING_CRD_GROUP, OBSERVABILITY_COMPONENT } from '../../../model/platform-components.ts';
import { CNPG_CLUSTER_LABEL } from '../../data/cluster.ts';
import { CNPG_METRICS_PORT, REDIS_EXPORTER_PORT } from '../../data/network-policies.ts';
import { STRIMZI_CLUSTER_LABEL, STRIMZI_KIND_LABEL, kafkaLabels, kafkaPath } from '../../kafka/common.ts';
import { ROLLOUT_POD_HASH_LABEL, platformLabels, serviceLabels, selectorLabels } from '../../core/labels.ts';
import { tenantPath } from '../../core/paths.ts';
import { customObject } from '../../core/plain-object.ts';
import type { Generator, OutputFile } from '../../core/types.ts';
import { MONITOR_SELECTOR_LABELS, monitoringInstalled } from './names.ts';

const MONITORING_API = `${MONITORING_CRD_GROUP}/v1` as const;
/** Strimzi's ports: `tcp-prometheus` (9404) on brokers, controllers and the Kafka Exporter; the entity operator's `healthcheck`. */
const STRIMZI_METRICS = { port: 'tcp-prometheus', number: 9404 } as const;
const ENTITY_OPERATOR = { selector: { 'app.kubernetes.io/name': 'entity-operator' }, port: 'healthcheck', numbers: [8080, 8081] } as const;

/** One thing Prometheus scrapes: the pods (namespace and labels) and the ports it connects to. */
export interface ScrapeTarget {
  name: string;
  namespace: string;
  podSelector: Record<string, string>;
  ports: number[];
}

export function scrapeTargets(model: LoadedModel): ScrapeTarget[] {
  const kafka = model.environment.kafka;
  const targets: ScrapeTarget[] = [];
  for (const s of model.services) {
    if (s.kind !== 'cron-job' && s.ports.length > 0) targets.push({ name: s.name, namespace: s.namespace, podSelector: selectorLabels(s), ports: [s.ports[0].port] });
  }
  targets.push({ name: `${kafka.clusterName}-kafka`, namespace: kafka.namespace, podSelector: { [STRIMZI_CLUSTER_LABEL]: kafka.clusterName }, ports: [STRIMZI_METRICS.number, ...ENTITY_OPERATOR.numbers] });
  for (const store of model.datastores) {
    if (store.cluster) targets.push({ name: store.name, namespace: store.namespace, podSelector: { [CNPG_CLUSTER_LABEL]: store.name }, ports: [CNPG_METRICS_PORT] });
    if (store.engine === 'redis') targets.push({ name: store.name, namespace: store.namespace, podSelector: { ...store.podSelector }, ports: [REDIS_EXPORTER_PORT] });
  }
  for (const c of model.components) {
    if (c.metrics) targets.push({ name: c.name, namespace: c.namespace, podSelector: { ...c.metrics.podSelector }, ports: [c.metrics.port] });
  }
  return targets;
}

/**
 * Blue-green services have two Services over their pods, the active and the preview one, and the monitor selects
 * both: the preview pods would be scraped as `service="<name>-preview"`, out of reach of the pre-promotion analysis
 * and the SLIs, and after the switch every pod twice. The operator appends these relabelings after its own, so
 * every target of either Service carries the service's own name as `service` and `job`: the preview pods are
 * measured under the service's name (the analysis tells them apart by pod-template hash), and a pod both Services
 * reach is one target, since its two have the same labels and address.
 */
export function serviceNameRelabelings(service: LoadedService) {
  if (service.delivery !== 'blue-green') return {};
  return { relabelings: ['service', 'job'].map((targetLabel) => ({ action: 'replace' as const, targetLabel, replacement: service.name })) };
}

export const monitors: Generator = ({ model }) => {
  if (!monitoringInstalled(model)) return [];
  const out: OutputFile[] = [];
  for (const s of model.services) {
    if (s.kind === 'cron-job' || s.ports.length === 0) continue;
    out.push({
      path: tenantPath(s, 'ServiceMonitor', s.name),
      source: `${s.modelPath}.ports`,
      object: customObject<IServiceMonitor>({ apiVersion: MONITORING_API, kind: 'ServiceMonitor',
        metadata: { name: s.name, namespace: s.namespace, labels: { ...serviceLabels(model, s), ...MONITOR_SELECTOR_LABELS } },
        // The Rollout's pod-template hash on every series: a canary analysis judges the new pods alone.
        spec: { selector: { matchLabels: selectorLabels(s) }, podTargetLabels: [ROLLOUT_POD_HASH_LABEL], endpoints: [{ port: s.ports[0].name, path: '/metrics', interval: '30s', ...serviceNameRelabelings(s) }] },
      }),
    });
  }

  const kafka = model.environment.kafka;
  const kafkaMonitor = (name: string, spec: IPodMonitor['spec']): OutputFile => ({
    path: kafkaPath(kafka.namespace, 'PodMonitor', name),
    source: 'environment.kafka',
    object: customObject<IPodMonitor>({ apiVersion: MONITORING_API, kind: 'PodMonitor', metadata: { name, namespace: kafka.namespace, labels: { ...kafkaLabels(model), ...MONITOR_SELECTOR_LABELS } }, spec }),
  });
  // Brokers, controllers and the Kafka Exporter (consumer lag per group) all carry strimzi.io/kind=Kafka.
  out.push(kafkaMonitor(`${kafka.clusterName}-kafka`, {
    selector: { matchLabels: { [STRIMZI_CLUSTER_LABEL]: kafka.clusterName, [STRIMZI_KIND_LABEL]: 'Kafka' } },
    podMetricsEndpoints: [{ port: STRIMZI_METRICS.port, path: '/metrics', relabelings: [{ sourceLabels: ['__meta_kubernetes_pod_label_strimzi_io_name'], targetLabel: 'strimzi_io_name' }] }],
  }));
  out.push(kafkaMonitor(`${kafka.clusterName}-entity-operator`, {
    selector: { matchLabels: { [STRIMZI_CLUSTER_LABEL]: kafka.clusterName, ...ENTITY_OPERATOR.selector } },
    podMetricsEndpoints: [{ port: ENTITY_OPERATOR.port, path: '/metrics' }],
  }));

  for (const c of model.components) {
    if (!c.metrics) continue;
    out.push({
      path: `platform/${OBSERVABILITY_COMPONENT}/${c.namespace}/podmonitor-${c.name}.yaml`,
      source: `${c.modelPath}.metrics`,
      object: customObject<IPodMonitor>({ apiVersion: MONITORING_API, kind: 'PodMonitor',
        metadata: { name: c.name, namespace: c.namespace, labels: { ...platformLabels(model, OBSERVABILITY_COMPONENT), ...MONITOR_SELECTOR_LABELS } },
        spec: { selector: { matchLabels: { ...c.metrics.podSelector } }, podMetricsEndpoints: [{ portNumber: c.metrics.port, path: c.metrics.path }] },
      }),
    });
  }
  return out;
};
