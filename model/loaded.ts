/**
 * The loaded model: model/spec.ts with every default applied, references resolved and the
 * environment's deltas merged, for one environment. Produced by `loadModel()` and deeply frozen.
 * Generators read only this. `npm run model -- --env <env>` prints it.
 */
import type { AlertOwner, AutoscaleBehavior, BucketObjectLock, BucketSpec, ChaosScenario, ComponentSpec, DatastoreChartSpec, DeliveryStrategy, EnvironmentMonitoring, EventSchema, ExternalKind, MonitoringSpec, PostgresClusterSpec, RateLimitTier, Resources, SecretEnv, ServiceKind, TenantQuota } from './spec.ts';

export interface LoadedModel {
  apiVersion: 'gamemetrics.dev/v1';
  platform: {
    name: string;
    git: { repoURL: string; targetRevision: string };
    argocdNamespace: string;
    ingressGateway: { namespace: string; podSelector: Record<string, string>; ingressClassName: string; clusterIssuer: string; controller: string };
    /** Where Prometheus runs and how alerts are routed; owners' Slack channels filled in. */
    monitoring: Omit<MonitoringSpec, 'platformOwners'> & { platformOwners: LoadedAlertOwner[] };
  };
  environment: LoadedEnvironment;
  /** Sorted by name. */
  components: LoadedComponent[];
  /** Sorted by name. */
  tenants: LoadedTenant[];
  /** Sorted by name. */
  services: LoadedService[];
  /** Sorted by name. */
  topics: LoadedTopic[];
  /** Sorted by name. */
  datastores: LoadedDatastore[];
  policies: { approvedRegistries: string[]; imageSigning: { issuer: string; subject: string }; waivers: LoadedWaiver[] };
  secrets: LoadedSecrets;
  /** Every declared external, of all environments (externalsIn() in model/load/externals.ts picks one's). */
  externals: LoadedExternal[];
  /** Sorted by name. */
  storageClasses: LoadedStorageClass[];
  /** Sorted by name. */
  clusterIssuers: LoadedClusterIssuer[];
  observability: LoadedObservability;
  capacity: LoadedCapacity;
  /** The chaos experiments that run in this environment, in declaration order (empty where chaos is not allowed). */
  chaosExperiments: LoadedChaosExperiment[];
}

/** List prices and the quota of every namespace no tenant owns (model/spec.ts `CapacitySpec`). */
export interface LoadedCapacity {
  prices: { currency: string; cpuCoreHour: number; memoryGiBHour: number; hoursPerMonth: number };
  /** Quota of every non-tenant namespace `namespaceQuotas` does not name. */
  platformNamespaceQuota: Required<TenantQuota>;
  /** Non-tenant namespace → its own quota. */
  namespaceQuotas: Record<string, Required<TenantQuota>>;
  platformContainerDefaults: Resources;
}

export interface LoadedChaosExperiment {
  /** `<service>-<scenario>`. */
  name: string;
  scenario: ChaosScenario;
  service: string;
  tenant: string;
  namespace: string;
  slo: string;
  duration: string;
  /** `database-failover`: the PostgreSQL datastore (its namespace and CloudNativePG cluster name). */
  datastore: { name: string; namespace: string } | null;
  /** Five-field cron of its weekly run. */
  schedule: string;
  modelPath: string;
}

/** model/spec.ts `ObservabilitySpec` with its defaults applied. */
export interface LoadedObservability {
  /** `runbook_url` of an alert is `<runbookBaseUrl>/docs/runbooks/<alert>.md`. */
  runbookBaseUrl: string;
  /** Sorted by name. */
  exporters: LoadedExporter[];
  alerts: LoadedAlertThresholds;
}

export interface LoadedExporter {
  name: string;
  description: string;
  /** The component that runs it, or null (the cluster itself). */
  component: string | null;
  /** Sorted. */
  metrics: string[];
  /** Sorted. */
  prefixes: string[];
  modelPath: string;
}

export interface LoadedAlertThresholds {
  consumerLag: number;
  serviceErrorPercent: number;
  serviceLatencyP95Ms: number;
  nodeCpuPercent: number;
  nodeMemoryPercent: number;
  containerMemoryPercent: number;
  diskUsedPercent: number;
  certificateExpiryDays: number;
  postgresReplicationLagSeconds: number;
  postgresConnectionsPercent: number;
  postgresBackupMaxAge: string;
  redisMemoryPercent: number;
  veleroBackupMaxAge: string;
}

/** Where Secrets come from in this environment (model/spec.ts `SecretsSpec`, `EnvironmentSecretStore`). */
export interface LoadedSecrets {
  /** How often values held in AWS Secrets Manager are re-read. */
  refreshInterval: string;
  /** Rotation period of Secrets that set none. */
  rotation: string;
  /** AWS Secrets Manager in the cluster's region, read through IRSA with this role. */
  store: { provider: 'aws-secrets-manager'; region: string; roleArn: string };
}

export interface LoadedEnvironment {
  name: string;
  tier: 'development' | 'staging' | 'production';
  cluster: { name: string; server: string; region: string; zones: string[] };
  kubernetesVersion: string;
  domain: string;
  kafka: {
    /** Name of the Strimzi Kafka cluster. */
    clusterName: string;
    /** Namespace of the Kafka cluster. */
    namespace: string;
    brokers: number;
    controllers: 'combined' | number;
    replication: number;
    minInsyncReplicas: number;
    defaultPartitions: number;
    storage: string;
    /** In-cluster bootstrap address of the TLS + SCRAM-SHA-512 listener. */
    bootstrapServers: string;
    disasterRecovery: { clusterAlias: string; bootstrapServers: string } | null;
    /** StorageClass of the node pools' volumes. */
    storageClass: string;
  };
  backups: LoadedBackups;
  /** The monitoring stack's sizes and object storage, or null where the environment declares none. */
  monitoring: LoadedEnvironmentMonitoring | null;
  /** Istio: mTLS mode of the enrolled namespaces. */
  mesh: { mtls: 'STRICT' | 'PERMISSIVE' };
  access: LoadedAccess;
  /** Whether chaos experiments (and Chaos Mesh) run here: the environment declares `chaos`. */
  chaos: { allowed: boolean };
  /** The region this model renders: the primary's as loaded; model/regions.ts `regionModels()` gives one model per region. */
  region: LoadedRegion;
  /** Every region of the environment, the primary first, then as declared (model/spec.ts `regions`). */
  regions: LoadedRegion[];
}

/** One region of an environment, its own cluster (model/spec.ts `EnvironmentRegion`; the primary from `cluster`). */
export interface LoadedRegion {
  /** Cloud region, `eu-west-1`. */
  name: string;
  primary: boolean;
  cluster: { name: string; server: string; region: string; zones: string[] };
  /** Folder of its tree inside rendered/<env>/: `''` for the primary, `regions/<region>/` for the others. */
  folder: string;
  secretStore: { roleArn: string };
  backups: { bucket: string; region: string; replicaRegion: string; roleArn: string };
  kafka: {
    /** The region whose Kafka this region's MirrorMaker 2 replicates, by its cluster name and inter-region address; null for none. */
    mirrorFrom: { cluster: string; bootstrapServers: string } | null;
    /** Where other regions reach this region's Kafka (its inter-region listener), when one mirrors from it; else null. */
    interRegionBootstrap: string | null;
  };
  /** `environments.<env>.regions.<i>`, or `environments.<env>.cluster` for the primary. */
  modelPath: string;
}

/** Human access in this environment (model/spec.ts `EnvironmentAccess`). */
export interface LoadedAccess {
  platformAdmins: string;
  tenantRole: 'edit' | 'view';
  /** Per tenant, sorted by name: the SSO groups of its owning teams, sorted. */
  tenants: Array<{ tenant: string; groups: string[] }>;
}

/** model/spec.ts `EnvironmentMonitoring`, Thanos null where the environment has none. */
export type LoadedEnvironmentMonitoring = Omit<EnvironmentMonitoring, 'thanos' | 'traceSamplePercent'> & { thanos: NonNullable<EnvironmentMonitoring['thanos']> | null; traceSamplePercent: number };

/** An alert owner with its Slack channel resolved (the platform's default when it names none), and its Opsgenie team or null. */
export interface LoadedAlertOwner {
  team: string;
  email: string;
  slack: string;
  opsgenie: string | null;
}

export interface LoadedComponent extends Omit<ComponentSpec, 'chart' | 'clusterResources' | 'network' | 'crdGroups' | 'podSecurity' | 'metrics' | 'installWhen'> {
  name: string;
  chart: ComponentSpec['chart'] | null;
  clusterResources: Array<{ group: string; kind: string }>;
  network: { apiServer: boolean; ingressPorts: number[]; egressPorts: number[] };
  /** API groups whose CRDs the component's chart installs, sorted. */
  crdGroups: string[];
  /** Pod Security Standard for the component's namespace; `reason` is null for `restricted`. */
  podSecurity: { level: 'restricted' | 'baseline' | 'privileged'; reason: string | null };
  /** Where Prometheus scrapes the component's pods, or null. */
  metrics: { podSelector: Record<string, string>; port: number; path: string } | null;
  modelPath: string;
}

export interface LoadedTenant {
  name: string;
  displayName: string;
  description: string;
  owners: AlertOwner[];
  costCentre: string;
  namespaces: string[];
  quota: Required<TenantQuota>;
  /** Monthly budget for requested capacity in this environment (environment `budgets`), or null for none. */
  monthlyBudget: number | null;
  containerDefaults: Resources;
  /** Names of the tenant's services, sorted. */
  services: string[];
  /** Its Schema Registry service and the service whose image registers the schemas, or null. */
  schemaRegistry: { service: string; registrar: string } | null;
  modelPath: string;
}

export type LoadedScaling =
  | { mode: 'fixed'; replicas: number }
  | { mode: 'autoscale'; minReplicas: number; maxReplicas: number; cpuUtilization: number; memoryUtilization: number; behavior: Required<AutoscaleBehavior>; /** Target user requests per second per pod, or null for none. */ requestsPerSecond: number | null };

export interface LoadedService {
  name: string;
  tenant: string;
  namespace: string;
  kind: ServiceKind;
  description: string;
  image: { repository: string; digest: string; /** `repository@digest` */ reference: string };
  ports: Array<{ name: string; port: number; protocol: 'TCP' | 'UDP' }>;
  resources: Resources;
  scaling: LoadedScaling;
  /** null for cron jobs. */
  health: { liveness: string; readiness: string; initialDelaySeconds: number; port: string } | null;
  schedule: string | null;
  /** The service's own configuration (model, then environment overrides). */
  config: Record<string, string>;
  /** Secret-backed variables, each with its rotation period. */
  secretEnv: Array<Required<SecretEnv>>;
  calls: string[];
  /** Services that call this one (derived). */
  calledBy: string[];
  produces: string[];
  /** `maxLag`: the consumer group's lag limit on the topic (the consume's own, else `observability.alerts.consumerLag`). */
  consumes: Array<{ topic: string; deadLetter: string | null; maxLag: number }>;
  /** Kafka identity and permissions (null when the service touches no topic). */
  kafka: {
    /** KafkaUser name; its Strimzi Secret has the same name. */
    user: string;
    /** Consumer group, named after the service (null when it consumes nothing or its groups are prefixed). */
    groupId: string | null;
    /** With `consumerGroups: 'prefixed'`: the prefix of its groups, `<service>-` (else null). */
    groupPrefix: string | null;
    /** Topics it may write: `produces` plus the dead-letter topics of its `consumes`. */
    write: string[];
    /** Topics it may read. */
    read: string[];
    transactionalIds: string[];
  } | null;
  /** Datastores used, with the rotation period of the service's generated credential for each. */
  datastores: Array<{ name: string; access: 'read' | 'read-write'; rotation: string; bucket: string | null }>;
  kubernetesApiAccess: boolean;
  /** Endpoints outside the cluster it connects to: the `ExternalEndpoint` external's name and the TCP ports. */
  externalEgress: Array<{ external: string; ports: number[] }>;
  slos: LoadedSlo[];
  /** How new versions roll out: a Deployment (`rolling`) or an Argo Rollout. */
  delivery: DeliveryStrategy;
  /** Fully qualified ingress host, or null. */
  ingress: { host: string; path: string } | null;
  /** Tiered rate limits, defaults applied; null when the service declares none. */
  rateLimits: LoadedRateLimits | null;
  /** Thresholds of its error-rate and latency alerts: its own, or the platform's. */
  alerts: { errorPercent: number; latencyP95Ms: number };
  /** Serves a model loaded from object storage (its model alerts follow). */
  servesModel: boolean;
  handlesPersonalData: boolean;
  /** In-cluster URL other services use to call it (null for cron jobs). */
  url: string | null;
  modelPath: string;
}

/** A limit as loaded: a count, or null for unlimited. */
export type LoadedLimit = number | null;

export interface LoadedRateLimits {
  tiers: Array<{ name: string; requestsPerMinute: LoadedLimit; dailyQuota: LoadedLimit; burst: LoadedLimit }>;
  defaultTier: string;
  endpoints: Array<{ method: string; path: string; requestsPerMinute: number; burst: number }>;
  whenRedisDown: 'open' | 'closed';
}

export interface LoadedSlo {
  name: string;
  kind: 'availability' | 'latency' | 'freshness';
  objective: number;
  window: string;
  /** Latency SLOs only. */
  thresholdMs: number | null;
  /** Freshness SLOs only. */
  maxConsumerLag: number | null;
  description: string;
}

export interface LoadedTopic {
  name: string;
  description: string;
  owner: string;
  partitions: number;
  replication: number;
  minInsyncReplicas: number;
  retention: string;
  retentionMs: number;
  cleanupPolicy: 'delete' | 'compact' | 'compact,delete';
  purpose: 'events' | 'dead-letter' | 'commands' | 'internal';
  /** The JSON Schema of its records; null for a dead-letter or internal topic. */
  schema: EventSchema | null;
  /** The schema's version in model/topic-schemas.lock.json (1 when loaded without the lock). */
  schemaVersion: number;
  /** Services that write it (including as a dead-letter topic), sorted. */
  producers: string[];
  /** Services that read it, sorted. */
  consumers: string[];
  modelPath: string;
}

export interface LoadedDatastore {
  name: string;
  description: string;
  engine: 'postgresql' | 'redis' | 'qdrant' | 'minio';
  namespace: string;
  host: string;
  port: number;
  database: string | null;
  podSelector: Record<string, string>;
  storageClass: string;
  /** Sizing in this environment. */
  instances: number;
  storage: string;
  /** PostgreSQL: point-in-time-recovery window in whole days. */
  recoveryWindowDays: number;
  /**
   * Services that declare the datastore, sorted by name, with their database role (PostgreSQL naming) and,
   * for a CloudNativePG cluster, the schema of their tenant (the only one they are granted on); null otherwise.
   */
  clients: Array<{ service: string; tenant: string; namespace: string; access: 'read' | 'read-write'; role: string; schema: string | null }>;
  cluster: (Omit<PostgresClusterSpec, 'owner' | 'tenantSchemas'> & {
    owner: { tenant: string; namespace: string };
    /** Every tenant schema the migrations create: the owner's (`schema`) first, then the clients' tenants' by tenant name. */
    schemas: Array<{ tenant: string; schema: string }>;
    migrationFiles: MigrationFile[];
  }) | null;
  chart: (Omit<DatastoreChartSpec, 'buckets'> & { buckets: Array<Required<Pick<BucketSpec, 'name' | 'versioning'>> & Pick<BucketSpec, 'expireAfterDays' | 'noncurrentExpireAfterDays'> & { objectLock: BucketObjectLock | null }> }) | null;
  modelPath: string;
}

/** One versioned migration, read from the repository by render/sources.ts. */
export interface MigrationFile {
  /** The number the file name starts with. */
  version: number;
  /** The file name, `0001_event_store.sql`. */
  file: string;
  sql: string;
}

export interface LoadedWaiver {
  rule: string;
  target: string;
  environments: string[] | null;
  reason: string;
  expires: string;
  approvedBy: string;
  modelPath: string;
}

export interface LoadedExternal {
  kind: ExternalKind;
  name: string;
  namespace?: string;
  reason: string;
  /** null: every environment. */
  environments: string[] | null;
  modelPath: string;
}

export interface LoadedStorageClass {
  name: string;
  description: string;
  volumeType: 'gp3' | 'gp2' | 'io2' | 'st1' | 'sc1';
  iops: number | null;
  throughputMiBps: number | null;
  reclaimPolicy: 'Delete' | 'Retain';
  default: boolean;
  modelPath: string;
}

export interface LoadedClusterIssuer {
  name: string;
  description: string;
  acme: { server: string; email: string };
  modelPath: string;
}

export interface LoadedBackups {
  bucket: string;
  region: string;
  replicaRegion: string;
  roleArn: string;
  /** Daily first, then hourly where the environment has it. */
  schedules: Array<{ name: 'daily' | 'hourly'; schedule: string; retention: string; /** Retention in hours, as Velero's TTL wants it. */ ttlHours: number }>;
}
