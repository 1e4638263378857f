// Names of the platform components and storage classes that generators and other model files refer to,
// so that a rename is one edit (model/components.ts and model/storage-classes.ts declare them).

/** StorageClasses (model/storage-classes.ts): SSD for latency-sensitive data, the general default, cold HDD for archives. */
export const FAST_SSD_STORAGE_CLASS = 'fast-ssd';
export const STANDARD_STORAGE_CLASS = 'standard';
export const ARCHIVE_STORAGE_CLASS = 'archive';

/** Folders under rendered/<env>/platform/ that generators write, one component each. */
export const STORAGE_CLASSES_COMPONENT = 'storage-classes';
export const INGRESS_CLASS_COMPONENT = 'ingress-class';
export const CLUSTER_ISSUERS_COMPONENT = 'cluster-issuers';
export const BACKUPS_COMPONENT = 'backups';

/** Chart components whose values generators derive from the model. */
export const VELERO_COMPONENT = 'velero';
export const ISTIOD_COMPONENT = 'istiod';
export const INGRESS_GATEWAY_COMPONENT = 'istio-ingressgateway';

/** API group of the Prometheus operator's CRDs (PodMonitor, ServiceMonitor, PrometheusRule), installed by the monitoring stack. */
export const MONITORING_CRD_GROUP = 'monitoring.coreos.com';
/** The monitoring stack's components (model/components.ts): the chart Applications whose values generators derive. */
export const MONITORING_STACK_COMPONENT = 'kube-prometheus-stack';
/** The platform alert catalog's PrometheusRules (generators/observability/alerts/). */
export const ALERT_RULES_COMPONENT = 'alert-rules';
