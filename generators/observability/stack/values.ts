// Helm values of the observability charts that come from the model: sizes and retention from the environment's
// `monitoring`, the label Prometheus selects rules and monitors by, the Alertmanager configuration, the buckets,
// and the Secrets that hold credentials (never values). generators/platform/chart-values.ts merges them over
// the static values of model/components.ts.
import type { LoadedComponent, LoadedEnvironmentMonitoring, LoadedModel } from '../../../model/loaded.ts';
import { STANDARD_STORAGE_CLASS, LOG_COLLECTOR_COMPONENT, LOKI_COMPONENT, MONITORING_STACK_COMPONENT, OTEL_COLLECTOR_COMPONENT, TEMPO_COMPONENT, THANOS_COMPONENT } from '../../../model/platform-components.ts';
import { goDuration } from '../../../model/secrets.ts';
import { LABEL_COST_CENTRE, LABEL_TENANT } from '../../core/labels.ts';
import { alertmanagerConfig } from './alertmanager.ts';
import { ALERTMANAGER_RECEIVERS_SECRET, GRAFANA_ADMIN_KEYS, GRAFANA_ADMIN_SECRET, MONITOR_SELECTOR_LABELS, OBJECT_STORE_SECRET, THANOS_OBJSTORE_KEY, THANOS_OBJSTORE_SECRET, stackEndpoints } from './names.ts';

type Values = Record<string, unknown>;

const volume = (size: string) => ({ storageClass: STANDARD_STORAGE_CLASS, size });
const claimTemplate = (size: string) => ({ volumeClaimTemplate: { spec: { storageClassName: STANDARD_STORAGE_CLASS, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } } } });
/** Loki and Tempo read the bucket's key pair from the AWS SDK's environment variables. */
const objectStoreEnv = [{ secretRef: { name: OBJECT_STORE_SECRET } }];
const monitorLabels = () => ({ ...MONITOR_SELECTOR_LABELS });

/** A memory quantity in Prometheus' byte units, which are base 2 (`50Gi` → `50GB`, read as 50 × 2^30 bytes). */
export function prometheusBytes(quantity: string): string {
  return quantity.replace(/([KMGT])i$/, '$1B');
}

function prometheusStack(model: LoadedModel, m: LoadedEnvironmentMonitoring): Values {
  const endpoints = stackEndpoints(model);
  const everywhere = {};
  return {
    alertmanager: {
      config: alertmanagerConfig(model),
      alertmanagerSpec: {
        replicas: m.alertmanager.replicas,
        resources: m.alertmanager.resources,
        storage: claimTemplate(m.alertmanager.storage),
        // Mounted at /etc/alertmanager/secrets/<name>/: the receivers' routing keys and webhook URLs.
        secrets: [ALERTMANAGER_RECEIVERS_SECRET],
      },
    },
    prometheus: {
      prometheusSpec: {
        replicas: m.prometheus.replicas,
        retention: m.prometheus.retention,
        retentionSize: prometheusBytes(m.prometheus.retentionSize),
        resources: m.prometheus.resources,
        storageSpec: claimTemplate(m.prometheus.storage),
        externalLabels: { cluster: model.environment.cluster.name, environment: model.environment.name },
        // Rules and monitors of every namespace, chosen by the release label alone (contract 4).
        ruleSelectorNilUsesHelmValues: false,
        ruleSelector: { matchLabels: monitorLabels() },
        ruleNamespaceSelector: everywhere,
        serviceMonitorSelectorNilUsesHelmValues: false,
        serviceMonitorSelector: { matchLabels: monitorLabels() },
        serviceMonitorNamespaceSelector: everywhere,
        podMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelector: { matchLabels: monitorLabels() },
        podMonitorNamespaceSelector: everywhere,
        ...(m.thanos ? { thanos: { objectStorageConfig: { existingSecret: { name: THANOS_OBJSTORE_SECRET, key: THANOS_OBJSTORE_KEY } } } } : {}),
      },
      ...(m.thanos ? { thanosService: { enabled: true }, thanosServiceMonitor: { enabled: true } } : {}),
    },
    // Pod labels on kube_pod_labels, so the cost dashboard can join requests and usage to tenants and cost centres.
    'kube-state-metrics': { metricLabelsAllowlist: [`pods=[${LABEL_COST_CENTRE},${LABEL_TENANT}]`] },
    grafana: {
      replicas: m.grafana.replicas,
      resources: m.grafana.resources,
      admin: { existingSecret: GRAFANA_ADMIN_SECRET, userKey: GRAFANA_ADMIN_KEYS.user, passwordKey: GRAFANA_ADMIN_KEYS.password },
      sidecar: {
        dashboards: { enabled: true, label: 'grafana_dashboard', labelValue: '1', searchNamespace: model.platform.monitoring.namespace },
        // With Thanos, dashboards query the long-term view (same series, older history).
        datasources: { enabled: true, uid: 'prometheus', ...(m.thanos ? { url: endpoints.thanosQuery } : {}) },
      },
      additionalDataSources: [
        { name: 'Loki', uid: 'loki', type: 'loki', access: 'proxy', url: endpoints.loki },
        { name: 'Tempo', uid: 'tempo', type: 'tempo', access: 'proxy', url: endpoints.tempoQuery, jsonData: { tracesToLogsV2: { datasourceUid: 'loki' }, serviceMap: { datasourceUid: 'prometheus' } } },
      ],
    },
  };
}

function loki(model: LoadedModel, m: LoadedEnvironmentMonitoring): Values {
  const store = m.objectStore;
  const size = { replicas: m.loki.replicas, resources: m.loki.resources, persistence: volume(m.loki.storage) };
  return {
    global: { extraEnvFrom: objectStoreEnv },
    loki: {
      auth_enabled: false,
      commonConfig: { replication_factor: Math.min(3, m.loki.replicas) },
      schemaConfig: { configs: [{ from: '2025-01-01', store: 'tsdb', object_store: 's3', schema: 'v13', index: { prefix: 'index_', period: '24h' } }] },
      storage: { type: 's3', bucketNames: { chunks: store.buckets.logs, ruler: store.buckets.logs }, s3: { region: store.region, endpoint: store.endpoint } },
      // The compactor deletes chunks older than the retention.
      limits_config: { retention_period: goDuration(m.loki.retention), allow_structured_metadata: true },
      compactor: { retention_enabled: true, delete_request_store: 's3' },
    },
    write: size,
    read: { replicas: m.loki.replicas, resources: m.loki.resources },
    backend: size,
    monitoring: { serviceMonitor: { enabled: true, labels: monitorLabels() } },
  };
}

function tempo(m: LoadedEnvironmentMonitoring): Values {
  const store = m.objectStore;
  const size = { replicas: m.tempo.replicas, resources: m.tempo.resources };
  return {
    global: { extraEnvFrom: objectStoreEnv },
    storage: { trace: { backend: 's3', s3: { bucket: store.buckets.traces, endpoint: store.endpoint, region: store.region } } },
    traces: { otlp: { grpc: { enabled: true }, http: { enabled: true } } },
    ingester: { ...size, persistence: { enabled: true, ...volume(m.tempo.storage) } },
    distributor: size,
    querier: size,
    queryFrontend: { replicas: m.tempo.replicas },
    compactor: { replicas: 1, resources: m.tempo.resources, config: { compaction: { block_retention: goDuration(m.tempo.retention) } } },
    metaMonitoring: { serviceMonitor: { enabled: true, labels: monitorLabels() } },
  };
}

function collector(model: LoadedModel, m: LoadedEnvironmentMonitoring): Values {
  const endpoints = stackEndpoints(model);
  const processors = ['memory_limiter', 'batch'];
  return {
    replicaCount: m.otelCollector.replicas,
    resources: m.otelCollector.resources,
    config: {
      // Only OTLP in; the chart's default Jaeger, Zipkin and self-scrape receivers are removed.
      receivers: { jaeger: null, zipkin: null, prometheus: null },
      exporters: {
        'otlp/tempo': { endpoint: endpoints.tempoOtlpGrpc, tls: { insecure: true } },
        'otlphttp/loki': { endpoint: lokiOtlp(model) },
      },
      service: {
        pipelines: {
          traces: { receivers: ['otlp'], processors, exporters: ['otlp/tempo'] },
          logs: { receivers: ['otlp'], processors, exporters: ['otlphttp/loki'] },
          metrics: null,
        },
      },
    },
    serviceMonitor: { enabled: true, extraLabels: monitorLabels() },
  };
}

/** Loki's OTLP endpoint for logs (its gateway). */
const lokiOtlp = (model: LoadedModel) => `${stackEndpoints(model).loki}/otlp`;

/** The log agent: only the filelog receiver (the preset's), pod metadata, and Loki. */
function logAgent(model: LoadedModel, m: LoadedEnvironmentMonitoring): Values {
  return {
    resources: m.logCollector.resources,
    config: {
      receivers: { otlp: null, jaeger: null, zipkin: null, prometheus: null },
      exporters: { 'otlphttp/loki': { endpoint: lokiOtlp(model) } },
      service: {
        pipelines: {
          logs: { receivers: ['filelog'], processors: ['memory_limiter', 'k8sattributes', 'batch'], exporters: ['otlphttp/loki'] },
          traces: null,
          metrics: null,
        },
      },
    },
  };
}

function thanos(model: LoadedModel, m: LoadedEnvironmentMonitoring): Values {
  const t = m.thanos!;
  const size = { replicaCount: t.replicas, resources: t.resources };
  return {
    existingObjstoreSecret: THANOS_OBJSTORE_SECRET,
    query: { ...size, dnsDiscovery: { enabled: true, sidecarsService: stackEndpoints(model).thanosSidecars, sidecarsNamespace: model.platform.monitoring.namespace } },
    queryFrontend: { ...size },
    storegateway: { enabled: true, ...size, persistence: { enabled: true, ...volume(t.storage) } },
    compactor: {
      enabled: true,
      resources: t.resources,
      retentionResolutionRaw: t.retention.raw,
      retentionResolution5m: t.retention.fiveMinutes,
      retentionResolution1h: t.retention.oneHour,
      persistence: { enabled: true, ...volume(t.storage) },
    },
    metrics: { enabled: true, serviceMonitor: { enabled: true, labels: monitorLabels() } },
  };
}

/** Values of an observability chart component derived from the model; null for any other component. */
export function stackChartValues(model: LoadedModel, component: LoadedComponent): Values | null {
  const m = model.environment.monitoring;
  if (!m) return null;
  switch (component.name) {
    case MONITORING_STACK_COMPONENT:
      return prometheusStack(model, m);
    case LOKI_COMPONENT:
      return loki(model, m);
    case TEMPO_COMPONENT:
      return tempo(m);
    case OTEL_COLLECTOR_COMPONENT:
      return collector(model, m);
    case LOG_COLLECTOR_COMPONENT:
      return logAgent(model, m);
    case THANOS_COMPONENT:
      return m.thanos ? thanos(model, m) : null;
    default:
      return null;
  }
}
