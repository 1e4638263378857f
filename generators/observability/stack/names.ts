// Names the monitoring stack's parts share: in-cluster addresses of the charts' Services, the label Prometheus
// selects its rules and monitors by (contract 4), the Secrets the stack reads. One constant per fact.
import type { LoadedModel } from '../../../model/loaded.ts';
import { LOKI_COMPONENT, MONITORING_CRD_GROUP, MONITORING_STACK_COMPONENT, OTEL_COLLECTOR_COMPONENT, TEMPO_COMPONENT, THANOS_COMPONENT } from '../../../model/platform-components.ts';

/** Whether the monitoring stack's CRDs are installed in this environment (some component provides them). */
export function monitoringInstalled(model: LoadedModel): boolean {
  return model.components.some((c) => c.crdGroups.includes(MONITORING_CRD_GROUP));
}

/** Prometheus selects PrometheusRules, ServiceMonitors and PodMonitors in every namespace by this label. */
export const MONITOR_SELECTOR_LABELS: Readonly<Record<string, string>> = { release: MONITORING_STACK_COMPONENT };

/** Grafana's sidecar loads every ConfigMap with this label as a dashboard. */
export const DASHBOARD_LABEL = { grafana_dashboard: '1' } as const;

/** Secrets in the monitoring namespace (each from an ExternalSecret, generators/secrets/). */
export const ALERTMANAGER_RECEIVERS_SECRET = 'alertmanager-receivers';
/** The S3 key pair of the stack's buckets, as the AWS SDK environment variables Loki and Tempo read. */
export const OBJECT_STORE_SECRET = 'observability-object-store';
export const OBJECT_STORE_KEYS = { accessKeyId: 'AWS_ACCESS_KEY_ID', secretAccessKey: 'AWS_SECRET_ACCESS_KEY' } as const;
/** Thanos' object store configuration (`objstore.yml`), templated from the same key pair. */
export const THANOS_OBJSTORE_SECRET = 'thanos-objstore';
export const THANOS_OBJSTORE_KEY = 'objstore.yml';
export const GRAFANA_ADMIN_SECRET = 'grafana-admin';
export const GRAFANA_ADMIN_KEYS = { user: 'admin-user', password: 'admin-password' } as const;

/** Where Alertmanager mounts the Secrets its spec lists (kube-prometheus-stack: alertmanagerSpec.secrets). */
export function alertmanagerSecretFile(key: string): string {
  return `/etc/alertmanager/secrets/${ALERTMANAGER_RECEIVERS_SECRET}/${key}`;
}

/** In-cluster addresses of the charts' Services (release names are the component names). */
export function stackEndpoints(model: LoadedModel) {
  const ns = model.platform.monitoring.namespace;
  const svc = (name: string) => `${name}.${ns}.svc`;
  return {
    prometheus: `http://${svc(`${MONITORING_STACK_COMPONENT}-prometheus`)}:9090`,
    alertmanager: `http://${svc(`${MONITORING_STACK_COMPONENT}-alertmanager`)}:9093`,
    /** The headless Service of the Prometheus pods' Thanos sidecars (thanosService). */
    thanosSidecars: `${MONITORING_STACK_COMPONENT}-thanos-discovery`,
    thanosQuery: `http://${svc(`${THANOS_COMPONENT}-query-frontend`)}:9090`,
    loki: `http://${svc(`${LOKI_COMPONENT}-gateway`)}`,
    tempoQuery: `http://${svc(`${TEMPO_COMPONENT}-query-frontend`)}:3200`,
    tempoOtlpGrpc: `${svc(`${TEMPO_COMPONENT}-distributor`)}:4317`,
    /** The collector's OTLP/HTTP receiver: what every service's OTEL_EXPORTER_OTLP_ENDPOINT names. */
    collectorOtlpHttp: `http://${svc(OTEL_COLLECTOR_COMPONENT)}:${OTLP_HTTP_PORT}`,
  };
}

export const OTLP_HTTP_PORT = 4318;
/** Pods of the collector (the chart's selector labels under fullnameOverride). */
export const COLLECTOR_POD_LABELS = { 'app.kubernetes.io/name': 'opentelemetry-collector', 'app.kubernetes.io/instance': OTEL_COLLECTOR_COMPONENT } as const;
