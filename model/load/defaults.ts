// Every default of the model, in one place; model/spec.ts documents each with @default.
import { FAST_SSD_STORAGE_CLASS } from '../platform-components.ts';

export const DEFAULT_TARGET_REVISION = 'main';
export const DEFAULT_ARGOCD_NAMESPACE = 'argocd';
export const DEFAULT_RESOURCE_PROFILE = 'small';
export const DEFAULT_HTTP_PORT = { name: 'http', port: 8080, protocol: 'TCP' } as const;
export const DEFAULT_PORT_PROTOCOL = 'TCP';
/** `autoscale`: 2 to 10 pods on CPU and memory; no requests-per-second metric unless `requestsPerSecond` is set. */
export const DEFAULT_AUTOSCALE = { minReplicas: 2, maxReplicas: 10, cpuUtilization: 70, memoryUtilization: 80, requestsPerSecond: null } as const;
/** `autoscale.behavior`: double (or add 4 pods) per 15 s on the way up; after 5 calm minutes, a fifth per minute down. */
export const DEFAULT_AUTOSCALE_BEHAVIOR = { scaleUpPercent: 100, scaleUpPods: 4, scaleDownStabilizationSeconds: 300, scaleDownPercent: 20 } as const;
export const DEFAULT_REPLICAS = 1;
export const DEFAULT_LIVENESS = '/healthz';
export const DEFAULT_READINESS = '/readyz';
export const DEFAULT_INITIAL_DELAY_SECONDS = 5;
export const DEFAULT_SLO_WINDOW = '30d';
/** `monitoring.traceSamplePercent`: every trace. */
export const DEFAULT_TRACE_SAMPLE_PERCENT = 100;
export const DEFAULT_DELIVERY = 'rolling';
export const DEFAULT_RATE_LIMIT_WHEN_REDIS_DOWN = 'open';
export const DEFAULT_TOPIC_RETENTION = '7d';
export const DEFAULT_CLEANUP_POLICY = 'delete';
export const DEFAULT_TOPIC_PURPOSE = 'events';
export const DEFAULT_CONSUMER_GROUPS = 'named';
export const DEFAULT_DATASTORE_ACCESS = 'read-write';
/** `externalEgress[].ports`: HTTPS. */
export const DEFAULT_EXTERNAL_EGRESS_PORTS = [443];
export const DEFAULT_QUOTA_PVCS = 0;
export const DEFAULT_QUOTA_STORAGE = '0Gi';
export const DEFAULT_INGRESS_PATH = '/';
export const DEFAULT_COMPONENT_NETWORK = { apiServer: false, ingressPorts: [], egressPorts: [] } as const;
export const DEFAULT_SECRET_REFRESH_INTERVAL = '1h';
export const DEFAULT_SECRET_ROTATION = '90d';
/** Stateful volumes (Kafka's node pools, datastores) that name no class. */
export const DEFAULT_STORAGE_CLASS = FAST_SSD_STORAGE_CLASS;
export const DEFAULT_DATASTORE_SIZING = { instances: 1, storage: '10Gi', recoveryWindow: '7d' } as const;
export const DEFAULT_BUCKET_VERSIONING = true;
/** A tenant's schema in a shared PostgreSQL datastore (`PostgresClusterSpec.tenantSchemas`). */
export function defaultTenantSchema(tenant: string): string {
  return tenant.replace(/-/g, '_');
}
export const DEFAULT_POD_SECURITY_LEVEL = 'restricted';
export const DEFAULT_INGRESS_CONTROLLER = 'istio.io/ingress-controller';
export const DEFAULT_RECLAIM_POLICY = 'Delete';
export const DEFAULT_BACKUP_SCHEDULES = { daily: '0 2 * * *', hourly: '0 * * * *' } as const;
/** The platform alert catalog's thresholds (model/spec.ts `AlertThresholdsSpec`). */
export const DEFAULT_ALERT_THRESHOLDS = {
  consumerLag: 10000,
  serviceErrorPercent: 5,
  serviceLatencyP95Ms: 1000,
  nodeCpuPercent: 90,
  nodeMemoryPercent: 90,
  containerMemoryPercent: 90,
  diskUsedPercent: 85,
  certificateExpiryDays: 14,
  postgresReplicationLagSeconds: 30,
  postgresConnectionsPercent: 80,
  postgresBackupMaxAge: '26h',
  redisMemoryPercent: 90,
  veleroBackupMaxAge: '26h',
} as const;
/** Where runbooks are browsed when `observability.runbookBaseUrl` is not set: the repository's web view at the tracked revision. */
export function defaultRunbookBaseUrl(git: { repoURL: string; targetRevision: string }): string {
  return `${git.repoURL.replace(/\.git$/, '')}/blob/${git.targetRevision}`;
}

/** Path Prometheus scrapes a component's metrics on (`ComponentSpec.metrics.path`). */
export const DEFAULT_METRICS_PATH = '/metrics';
export const DEFAULT_MESH_MTLS = 'STRICT';
/** Further regions of an environment that declares none: it runs in its primary region only. */
export const DEFAULT_REGIONS = [] as const;
export const DEFAULT_CHAOS_SCHEDULE = '0 10 * * 2';
export const DEFAULT_CHAOS_DURATION = '10m';
export const DEFAULT_HOURS_PER_MONTH = 730;
