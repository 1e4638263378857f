// Names of the platform components and storage classes that generators and other model files refer to,
// so that a rename is one edit (model/components.ts and model/storage-classes.ts declare them).

/** Upstream images the platform's own pods run (datastores, the mesh's sidecar) are mirrored here (an approved registry, see policies.ts). */
export const MIRROR_REGISTRY = 'registry.gamemetrics.dev/mirror';

/** StorageClasses (model/storage-classes.ts): SSD for latency-sensitive data, the general default, cold HDD for archives. */
export const FAST_SSD_STORAGE_CLASS = 'fast-ssd';
export const STANDARD_STORAGE_CLASS = 'standard';
export const ARCHIVE_STORAGE_CLASS = 'archive';

/** Folders under rendered/<env>/platform/ that generators write, one component each. */
export const STORAGE_CLASSES_COMPONENT = 'storage-classes';
export const INGRESS_CLASS_COMPONENT = 'ingress-class';
export const CLUSTER_ISSUERS_COMPONENT = 'cluster-issuers';
export const BACKUPS_COMPONENT = 'backups';
/** The SLO recording rules and burn-rate alerts (PrometheusRule objects in the monitoring namespace). */
export const SLO_RULES_COMPONENT = 'slo-rules';
/** Istio authentication and authorization of the enrolled namespaces (generators/mesh/). */
export const MESH_COMPONENT = 'mesh';
/** Human access: the tenants' owners' RoleBindings and the platform administrators' binding (generators/access/). */
export const ACCESS_COMPONENT = 'access';

/** Chart components whose values generators derive from the model. */
export const VELERO_COMPONENT = 'velero';
export const ISTIOD_COMPONENT = 'istiod';
export const INGRESS_GATEWAY_COMPONENT = 'istio-ingressgateway';
/** The Argo Rollouts controller: runs the Rollouts and AnalysisRuns of services delivered progressively. */
export const ARGO_ROLLOUTS_COMPONENT = 'argo-rollouts';

/** API group of the Prometheus operator's CRDs (PodMonitor, ServiceMonitor, PrometheusRule), installed by the monitoring stack. */
export const MONITORING_CRD_GROUP = 'monitoring.coreos.com';
/** The monitoring stack's components (model/components.ts): the chart Applications whose values generators derive. */
export const MONITORING_STACK_COMPONENT = 'kube-prometheus-stack';
export const LOKI_COMPONENT = 'loki';
export const TEMPO_COMPONENT = 'tempo';
export const OTEL_COLLECTOR_COMPONENT = 'otel-collector';
/** The node agent (a DaemonSet of the same collector chart) that ships every pod's log lines to Loki. */
export const LOG_COLLECTOR_COMPONENT = 'log-collector';
export const THANOS_COMPONENT = 'thanos';
/** Objects rendered from the model for the stack: monitors, alert routing secrets, dashboards, network access. */
export const OBSERVABILITY_COMPONENT = 'observability';
export const ISTIO_CNI_COMPONENT = 'istio-cni';
/** The gateway chart names its ServiceAccount after the release (the component). */
export const INGRESS_GATEWAY_SERVICE_ACCOUNT = INGRESS_GATEWAY_COMPONENT;

/**
 * The monitoring stack's Prometheus runs as the ServiceAccount `<release>-prometheus` (the release is the
 * component's name), the identity the mesh admits to every metrics port.
 */
export const PROMETHEUS_SERVICE_ACCOUNT = `${MONITORING_STACK_COMPONENT}-prometheus`;
/** The platform alert catalog's PrometheusRules (generators/observability/alerts/). */
export const ALERT_RULES_COMPONENT = 'alert-rules';
/** The Prometheus Adapter: serves the custom metrics API that HorizontalPodAutoscalers read requests per second from. */
export const PROMETHEUS_ADAPTER_COMPONENT = 'prometheus-adapter';
