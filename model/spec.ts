/**
 * The platform model, version `gamemetrics.dev/v1`: the types you write in `model/` and `environments/`.
 *
 * Everything the platform runs is declared here once. `npm run render` loads it (model/loader.ts),
 * applies the defaults documented on each field below (`@default`), validates it, and renders
 * `rendered/<env>/`. Names are typed: the unions in `model/names.ts` make a misspelt service, topic,
 * datastore or tenant a `tsc` error, and the loader checks them again at run time.
 */
import type { DatastoreName, ServiceName, TenantName, TenantServices, TopicName } from './names.ts';

/*
 * Value types. Each is a plain string or number for `tsc`; the loader checks what a type cannot say
 * (`@format`, see model/schema/formats.ts), and model/schema/model.schema.json is generated from this file
 * (`npm run schema`).
 */

/** A Kubernetes CPU quantity: millicores `500m` or cores `2`. @format cpu */
export type CpuQuantity = `${number}m` | `${number}`;
/** A Kubernetes memory quantity: `512Mi`, `2Gi`. @format memory */
export type MemoryQuantity = `${number}${'Ki' | 'Mi' | 'Gi' | 'Ti'}`;
/** A duration, a whole number and a unit: `30s`, `15m`, `12h`, `7d`, `4w`. @format duration */
export type Duration = `${number}${'s' | 'm' | 'h' | 'd' | 'w'}`;
/** A calendar date, `YYYY-MM-DD` (UTC). @format date */
export type IsoDate = `${number}-${number}-${number}`;
/** An OCI image digest, `sha256:` followed by 64 lowercase hex digits. @format digest */
export type ImageDigest = `sha256:${string}`;
/** A Kubernetes minor version, `1.34`. @format kubernetes-version */
export type KubernetesVersion = `1.${number}`;
/** A cron schedule of five fields (minute hour day-of-month month day-of-week), e.g. `0 3 * * *`. @format cron */
export type CronSchedule = string;
/** A DNS label (RFC 1123): lowercase letters, digits and `-`, at most 63 characters. @format dns-label */
export type DnsLabel = string;
/** An IANA-style port name: a DNS label of at most 15 characters. @format port-name */
export type PortName = string;
/** An environment variable name, UPPER_SNAKE_CASE. @format env-var */
export type EnvVarName = string;
/** A percentage above 0 and at most 100. @format percentage */
export type Percentage = number;
/** An integer of at least 1. @format positive-integer */
export type PositiveInteger = number;
/** An integer of at least 0. @format non-negative-integer */
export type NonNegativeInteger = number;
/** A whole number, negative allowed. @format integer */
export type WholeNumber = number;
/** A TCP or UDP port number, 1 to 65535. @format port */
export type PortNumber = number;

export interface ResourceAmounts {
  cpu: CpuQuantity;
  memory: MemoryQuantity;
}

/** Container requests and limits. */
export interface Resources {
  requests: ResourceAmounts;
  limits: ResourceAmounts;
}

/** The root of the model: `model/platform.ts` exports one of these. */
export interface PlatformSpec {
  /** Spec version; the loader refuses any other. */
  apiVersion: 'gamemetrics.dev/v1';
  /** Short platform name, used in cluster-wide object names (`gamemetrics`). */
  name: string;
  /** Where Argo CD reads this repository from. */
  git: {
    /** Clone URL Argo CD is configured with. */
    repoURL: string;
    /** Branch, tag or commit every Application tracks. @default 'main' */
    targetRevision?: string;
  };
  /** Namespace Argo CD runs in. @default 'argocd' */
  argocdNamespace?: string;
  /**
   * The ingress gateway: services with `ingress` get an Ingress of this class, a TLS certificate from
   * this cert-manager ClusterIssuer, and accept traffic from the gateway's pods.
   */
  ingressGateway: {
    namespace: string;
    podSelector: Record<string, string>;
    ingressClassName: string;
    clusterIssuer: string;
    /** Controller of the rendered IngressClass. @default 'istio.io/ingress-controller' */
    controller?: string;
  };
  /** Where Prometheus runs and where alerts go (see `MonitoringSpec`, declared in model/monitoring.ts). */
  monitoring: MonitoringSpec;
  /** Named resource profiles that services refer to with `resources: '<name>'`. */
  resourceProfiles: Record<string, Resources>;
  /** Cluster-wide components owned by the platform team (operators, shared infrastructure). */
  components: Record<string, ComponentSpec>;
  /** The tenants and their services. */
  tenants: { [T in TenantName]: TenantSpec<TenantServices[T]> };
  /** Kafka topics. Each topic is written by the services that list it in `produces`. */
  topics: { [T in TopicName]: TopicSpec };
  /** Stateful backing services the platform provides (databases, caches, object storage). */
  datastores: { [D in DatastoreName]: DatastoreSpec };
  /** Platform policies: approved registries and waivers. */
  policies: PoliciesSpec;
  /** How Secrets reach the cluster: refresh and rotation defaults (see `SecretsSpec`). @default {} (all defaults) */
  secrets?: SecretsSpec;
  /** What the rendered objects rely on that this repository does not create (see ExternalSpec below). @default [] */
  externals?: ExternalSpec[];
  /** StorageClasses every PVC and volume claim template chooses from (see the platform components section). */
  storageClasses: Record<string, StorageClassSpec>;
  /** cert-manager ClusterIssuers; `ingressGateway.clusterIssuer` names one of them. */
  clusterIssuers: Record<string, ClusterIssuerSpec>;
  /** Exporters the alert rules read, alert thresholds and where runbooks live (see `ObservabilitySpec`). @default { exporters: {} } (no exporter, default thresholds) */
  observability?: ObservabilitySpec;
  /** List prices and the quotas of the namespaces no tenant owns (see `CapacitySpec`). */
  capacity: CapacitySpec;
  /** Chaos experiments, one per committed failure scenario (see `ChaosExperimentSpec`). @default [] */
  chaosExperiments?: ChaosExperimentSpec[];
}

/* ------------------------------------------------------------------------------------------------ */
/* Capacity and cost (issue #16): VPA recommendations, quotas that hold what is declared, list prices. */
/* ------------------------------------------------------------------------------------------------ */

/**
 * Capacity and cost. Every namespace the platform manages gets a ResourceQuota: a tenant's from its
 * `quota`, every other one (components', datastores', monitoring, the ingress gateway) from
 * `platformNamespaceQuota` or its entry in `namespaceQuotas`, with a LimitRange giving containers that
 * declare nothing `platformContainerDefaults`. `npm run cost` prices the declared requests with `prices`.
 */
export interface CapacitySpec {
  /** List prices of requested capacity, per hour, in `currency`. */
  prices: {
    /** ISO 4217 code, e.g. `USD`. */
    currency: string;
    /** Price of one requested CPU core for one hour. */
    cpuCoreHour: number;
    /** Price of one requested GiB of memory for one hour. */
    memoryGiBHour: number;
    /** Hours a month is priced at. @default 730 */
    hoursPerMonth?: PositiveInteger;
  };
  /** Quota of every non-tenant namespace that `namespaceQuotas` does not name. */
  platformNamespaceQuota: TenantQuota;
  /** Per-namespace quota of non-tenant namespaces (the data namespace holds the datastores' volumes). @default {} */
  namespaceQuotas?: Record<DnsLabel, TenantQuota>;
  /** Requests and limits a container in a non-tenant namespace gets when its chart sets none. @default the 'small' resource profile */
  platformContainerDefaults?: Resources;
}

/* ------------------------------------------------------------------------------------------------ */
/* Chaos experiments (issue #16): Chaos Mesh, weekly, only where the environment allows chaos.       */
/* ------------------------------------------------------------------------------------------------ */

/**
 * A failure scenario the platform committed to survive, and how it is injected (Chaos Mesh):
 * - `pod-kill`: one pod of the service is killed;
 * - `network-latency`: the service's pods get added latency on every packet they send;
 * - `cpu-stress`, `memory-stress`: stressors run inside the service's containers;
 * - `disk-io`: reads and writes under a volume path are delayed;
 * - `container-restart-loop`: the service's container is killed every few minutes for an hour;
 * - `service-unavailable`: every pod of the service fails for the duration;
 * - `database-failover`: the PostgreSQL primary of a datastore the service uses is killed, so a replica is promoted.
 */
/**
 * What an experiment does: kill one of the service's pods, delay its network, stress its CPU, memory or disk,
 * kill its container every five minutes, fail all its pods, fail over the PostgreSQL primary it uses
 * (`database-failover`, with `datastore`), or kill one Kafka broker while the service produces or consumes
 * (`broker-kill`: replication must carry it).
 */
export type ChaosScenario = 'pod-kill' | 'network-latency' | 'cpu-stress' | 'memory-stress' | 'disk-io' | 'container-restart-loop' | 'service-unavailable' | 'database-failover' | 'broker-kill';

export interface ChaosExperimentSpec {
  scenario: ChaosScenario;
  /** The service whose pods are targeted (scoped by its labels to its namespace); for `database-failover` and `broker-kill`, the service whose SLO the failure must not break. */
  service: ServiceName;
  /** The SLO (`slos[].name` of `service`) the experiment must not break; rendered as an annotation and checked by the loader. */
  slo: string;
  /** How long the fault lasts. @default '10m' */
  duration?: Duration;
  /** For `database-failover`: the PostgreSQL datastore whose primary is killed (one of the service's datastores). */
  datastore?: DatastoreName;
  /** Environments the experiment runs in; each must declare `chaos`. */
  environments: string[];
}

/**
 * A platform component: a folder `rendered/<env>/platform/<name>/` synced by its own Argo CD Application
 * in the `platform` project, or an upstream Helm chart installed by an Application.
 */
export interface ComponentSpec {
  description: string;
  /** Namespace the component's objects live in; the loader creates it. */
  namespace: DnsLabel;
  /**
   * Sync wave of the component's Application. Lower syncs first:
   * -3 namespaces and CRDs, -2 operators, -1 shared infrastructure; tenants sync at 0.
   */
  wave: WholeNumber;
  /** Install an upstream Helm chart (operators). Omit for components rendered from this model. */
  chart?: {
    repoURL: string;
    name: string;
    /** Exact chart version: upgrades are reviewed like any other change. */
    version: string;
    /** Helm values, kept small; the chart's defaults are the reference. */
    values?: Record<string, unknown>;
  };
  /** Kinds this component may create outside its namespace (its CRDs, webhooks, cluster roles). */
  clusterResources?: Array<{ group: string; kind: string }>;
  /**
   * Extra network access beyond the namespace's default deny, for operators:
   * `apiServer` allows egress to the Kubernetes API, `ingressPorts` admits traffic (webhooks, metrics) on these ports.
   * @default { apiServer: false, ingressPorts: [] }
   */
  network?: { apiServer?: boolean; ingressPorts?: PortNumber[]; egressPorts?: PortNumber[] };
  /**
   * API groups whose CustomResourceDefinitions this component's chart installs. Applications whose
   * objects use one of these groups sync in a later wave. @default []
   */
  crdGroups?: string[];
  /**
   * Pod Security Standard enforced on the component's namespace when `restricted` cannot hold, with why.
   * @default { level: 'restricted' }
   */
  podSecurity?: { level: 'baseline' | 'privileged'; reason: string };
  /**
   * Where Prometheus scrapes the component's own pods: a PodMonitor selecting `podSelector` on `port`
   * (the port must also be in `network.ingressPorts`, so the scrape is admitted). Omit for none.
   */
  metrics?: { podSelector: Record<string, string>; port: PortNumber; /** @default '/metrics' */ path?: string };
  /**
   * Install the component only in environments that set this part of `EnvironmentSpec`
   * (`monitoring.thanos`: long-term metrics where the environment declares them; `chaos`: Chaos Mesh where the
   * environment runs chaos experiments). @default always
   */
  installWhen?: 'monitoring.thanos' | 'chaos';
}

/** A tenant: a product team with its own namespaces, quota, cost centre and Argo CD project. */
export interface TenantSpec<S extends ServiceName = ServiceName> {
  /** Product name shown in docs and dashboards. */
  displayName: string;
  description: string;
  /** People and teams accountable for the tenant, and where their alerts go (see `AlertOwner`); at least one. */
  owners: AlertOwner[];
  /** Finance cost centre, stamped on every object as the `gamemetrics.dev/cost-centre` label. */
  costCentre: string;
  /** Namespaces the tenant owns; the first is the default for its services. At least one. */
  namespaces: DnsLabel[];
  /** ResourceQuota applied to each of the tenant's namespaces (environments may override). */
  quota: TenantQuota;
  /** Container defaults for the namespace's LimitRange. @default the 'small' resource profile */
  containerDefaults?: Resources;
  /** The tenant's services, by name. */
  services: { [K in S]: ServiceSpec };
  /**
   * The tenant's Schema Registry (an Apicurio Registry 3 service among `services`): after every sync an
   * Argo CD PostSync Job registers the schema of each topic the tenant owns, at its version in
   * model/topic-schemas.lock.json (docs/event-contracts.md). `registrar` is a service built from apps/
   * whose image runs the Job (service-kit's `register-schemas.ts` is in every such image). @default none
   */
  schemaRegistry?: { service: S; registrar: S };
}

export interface TenantQuota {
  requests: ResourceAmounts;
  limits: ResourceAmounts;
  /** Maximum number of pods. */
  pods: NonNegativeInteger;
  /** Maximum number of PersistentVolumeClaims. @default 0 */
  persistentVolumeClaims?: NonNegativeInteger;
  /** Total requested storage. @default '0Gi' */
  storage?: MemoryQuantity;
}

/**
 * What a service is, which decides the objects rendered for it:
 * - `http-api`: a Deployment behind a Service, probed over HTTP.
 * - `kafka-worker`: a Deployment that consumes topics; it still serves health and metrics over HTTP.
 * - `cron-job`: a CronJob; needs `schedule`, gets no Service, HPA or PodDisruptionBudget.
 * - `web-frontend`: like `http-api`, and reachable from the ingress gateway.
 */
export type ServiceKind = 'http-api' | 'kafka-worker' | 'cron-job' | 'web-frontend';

export interface ServicePort {
  /** Port name (IANA style, up to 15 characters): `http`, `grpc`, `metrics`. */
  name: PortName;
  port: PortNumber;
  /** @default 'TCP' */
  protocol?: 'TCP' | 'UDP';
}

/**
 * How many pods run.
 * - `{ replicas: n }`: a fixed count.
 * - `{ autoscale: {...} }`: a HorizontalPodAutoscaler on CPU and memory utilisation, and on requests per second
 *   where `requestsPerSecond` is set.
 * An environment's `autoscaling` overrides these bounds for every autoscaled service in that
 * environment, and its `services.<name>.scaling` overrides both.
 */
export type ScalingSpec =
  | { replicas: NonNegativeInteger }
  | {
      autoscale: {
        /** @default 2 */
        minReplicas?: PositiveInteger;
        /** @default 10 */
        maxReplicas?: PositiveInteger;
        /** Target average CPU utilisation, percent of requests. @default 70 */
        cpuUtilization?: Percentage;
        /** Target average memory utilisation, percent of requests. @default 80 */
        memoryUtilization?: Percentage;
        /** How fast pods are added and removed (see `AutoscaleBehavior`). @default {} (each field's default) */
        behavior?: AutoscaleBehavior;
        /**
         * Target average of user requests per second per pod: a custom (Pods) metric next to CPU and memory, so
         * the service gains pods as traffic rises, before its CPU shows it. The metric is
         * `http_requests_per_second`, the per-pod rate over 2 minutes of the `http_requests_total` counter that
         * service-kit exports, without the probe and `/metrics` routes; the Prometheus Adapter (component
         * `prometheus-adapter`) serves it through the custom metrics API from rules rendered for the services
         * that set this. HTTP services only. @default none (CPU and memory only)
         */
        requestsPerSecond?: PositiveInteger;
      };
    };

/**
 * How fast an autoscaled service gains and loses pods: the HorizontalPodAutoscaler's `behavior`, rendered in full
 * rather than left to Kubernetes' defaults. Pods are added at once when load rises (no stabilisation), as fast as
 * the larger of the two scale-up limits allows; they are removed only after the load has stayed lower for
 * `scaleDownStabilizationSeconds`, and then gradually, so a short dip or an oscillating load does not shed
 * capacity that the next burst needs.
 */
export interface AutoscaleBehavior {
  /** Most pods added per 15 seconds, as a percentage of the current count (200 triples). @default 100 */
  scaleUpPercent?: PositiveInteger;
  /** Most pods added per 15 seconds, as a count: lets a small deployment grow faster than its percentage. @default 4 */
  scaleUpPods?: PositiveInteger;
  /** Seconds the desired count must stay lower before any pod is removed. @default 300 */
  scaleDownStabilizationSeconds?: NonNegativeInteger;
  /** Most pods removed per minute, as a percentage of the current count. @default 20 */
  scaleDownPercent?: Percentage;
}

/** HTTP probes. Paths are on the service's first port unless `port` names another. */
export interface HealthSpec {
  /** Name of the port the probes use (a separate management port). @default the first port's name */
  port?: string;
  /** Liveness path: the process is alive. @default '/healthz' */
  liveness?: string;
  /** Readiness path: dependencies are connected and the pod can take traffic. @default '/readyz' */
  readiness?: string;
  /** Seconds before the first probe. @default 5 */
  initialDelaySeconds?: NonNegativeInteger;
}

/** A topic the service reads, optionally with the topic its poison messages go to. */
export type ConsumeSpec =
  | TopicName
  | {
      topic: TopicName;
      /** Dead-letter topic for messages that cannot be processed; the service gets Write on it. */
      deadLetter?: TopicName;
      /**
       * Consumer lag (messages behind the newest offset, summed over the topic's partitions) above which
       * the group's `KafkaConsumerGroupLagHigh` alert fires. @default `observability.alerts.consumerLag`
       */
      maxLag?: PositiveInteger;
    };

/** A datastore the service uses, and how. */
export interface DatastoreUse {
  name: DatastoreName;
  /** @default 'read-write' */
  access?: 'read' | 'read-write';
  /** How often the service's generated credential for this datastore is replaced (see `SecretsSpec`). @default '90d' */
  rotation?: Duration;
  /** MinIO only: the bucket the service works in (`S3_BUCKET`), one of the datastore's `chart.buckets`. @default the datastore's `database` */
  bucket?: string;
}

/** An environment variable taken from a Secret (provisioned by External Secrets, never rendered). */
export interface SecretEnv {
  /** Environment variable name, e.g. `API_KEYS`. */
  env: EnvVarName;
  /** Secret name in the service's namespace. */
  secret: string;
  /** Key in the Secret. */
  key: string;
  /** How often the owner of the value replaces it in the secret store (see `SecretsSpec`). @default '90d' */
  rotation?: Duration;
}

/**
 * A service level objective, measured from the service's `/metrics` (apps/lib/metrics.ts), Sloth-style: an
 * SLI is the share of bad events, the objective the share of good ones, and 100 − objective the error budget.
 * - `availability`: the share of HTTP requests that do not fail with 5xx (probe and `/metrics` requests aside).
 * - `latency`: the share of HTTP requests answered within `thresholdMs`, read from the
 *   `http_request_duration_seconds` histogram: the threshold must be one of its bucket boundaries
 *   (apps/lib/http-buckets.ts), or the model does not load.
 * - `freshness`: the share of time the service's consumer lag (`kafka_consumer_lag`, summed over the partitions
 *   it reads) stays at or below `maxConsumerLag` messages; for `kafka-worker` services, which serve no requests.
 * From each SLO come recording rules, multiwindow multi-burn-rate alerts and, for services delivered
 * progressively, the canary analysis (docs/slos.md).
 */
export interface SloSpec {
  /** Short name, unique within the service: `availability`, `ingest-latency`. */
  name: string;
  kind: 'availability' | 'latency' | 'freshness';
  /** Target percentage, strictly between 0 and 100: `99.9` (100 leaves no error budget). */
  objective: Percentage;
  /** Rolling window the objective holds over. @default '30d' */
  window?: Duration;
  /** For `latency` only: the threshold a good request is answered within; a bucket boundary of the request-duration histogram. */
  thresholdMs?: PositiveInteger;
  /** For `freshness` only: the consumer lag, in messages summed over partitions, above which the data counts as stale. */
  maxConsumerLag?: PositiveInteger;
  /** What users experience when this SLO is missed. */
  description: string;
}

/**
 * How a new version of a long-running HTTP service replaces the old one:
 * - `rolling`: a Deployment's rolling update.
 * - `canary`: an Argo Rollout shifting 10 % → 50 % → 100 % of the pods, each step gated by an analysis of
 *   the service's availability and latency SLIs; a breach of an objective aborts and rolls back.
 * - `blue-green`: an Argo Rollout with an active and a preview Service; the preview is promoted only after
 *   the same analysis passes.
 * `canary` and `blue-green` need an `http-api` or `web-frontend` service with an availability or latency SLO.
 */
export type DeliveryStrategy = 'rolling' | 'canary' | 'blue-green';

/** A request limit, or `'unlimited'` for none. */
export type RequestLimit = PositiveInteger | 'unlimited';

/**
 * One tier an API is sold in. Each API key (or signed-in user) of the tier gets a sliding window: a
 * request passes when fewer than `burst` requests fall in the last `burst / requestsPerMinute` minutes
 * (so `burst` may come at once, and over time the rate is `requestsPerMinute`), and a counter of
 * requests per UTC day capped at `dailyQuota`. The window and the counter live in Redis, so the limits
 * hold across every replica. A tier with every limit `'unlimited'` is never limited.
 */
export interface RateLimitTier {
  /** Tier name, a DNS label: `free`, `pro`. API keys and accounts are assigned one. */
  name: DnsLabel;
  /** Sustained rate: over time, this many requests per minute pass. */
  requestsPerMinute: RequestLimit;
  /** Requests per UTC day (the counter resets at 00:00 UTC). */
  dailyQuota: RequestLimit;
  /**
   * Most requests at once after a quiet spell: at most this many in any window of
   * `burst / requestsPerMinute` minutes. `'unlimited'` exactly when `requestsPerMinute` is. @default requestsPerMinute
   */
  burst?: RequestLimit;
}

/**
 * An extra limit on one endpoint, on top of the tier's (per key or user, every limited tier; an
 * unlimited tier is not limited here either). For costly endpoints such as batch predictions.
 */
export interface EndpointRateLimit {
  /** The route as the service declares it, `METHOD /path`: `POST /v1/predict/batch`. */
  route: string;
  /** Requests per minute on this endpoint. */
  requestsPerMinute: PositiveInteger;
  /** Most requests at once on this endpoint: at most this many in any window of `burst / requestsPerMinute` minutes. @default requestsPerMinute */
  burst?: PositiveInteger;
}

/** Tiered request limits for an API sold per tier (the prediction API); rendered into its ConfigMap. */
export interface RateLimitSpec {
  /** The tiers, at least one; names unique. */
  tiers: RateLimitTier[];
  /** Tier of a newly registered account. @default the first tier */
  defaultTier?: DnsLabel;
  /** Per-endpoint limits. @default [] */
  endpoints?: EndpointRateLimit[];
  /**
   * What the service does while the limiter's Redis is unreachable: `open` serves requests
   * unlimited, `closed` refuses them with 503. Either way it logs and counts it in a metric.
   * @default 'open'
   */
  whenRedisDown?: 'open' | 'closed';
}

export interface ServiceSpec {
  /** One sentence: what the service does. */
  description: string;
  kind: ServiceKind;
  /** Image repository without tag or digest; the digest comes from the environment (`images`). */
  image: string;
  /** Namespace the service runs in; one of its tenant's namespaces. @default the tenant's first namespace */
  namespace?: DnsLabel;
  /** Container ports. The first is the one probed and exposed. @default [{ name: 'http', port: 8080 }] (none for cron jobs) */
  ports?: ServicePort[];
  /** A resource profile name from `resourceProfiles`, or explicit requests and limits. @default 'small' */
  resources?: string | Resources;
  /** @default { replicas: 1 } for cron jobs and workers, { autoscale: {} } for HTTP services */
  scaling?: ScalingSpec;
  /** @default {} (all defaults) for long-running services; cron jobs are not probed */
  health?: HealthSpec;
  /** Cron schedule, required for `cron-job`, e.g. `'0 3 * * *'`. */
  schedule?: CronSchedule;
  /** Extra configuration, rendered into the service's ConfigMap. Keys are environment variable names. */
  config?: Record<EnvVarName, string>;
  /** Environment variables from Secrets. */
  secretEnv?: SecretEnv[];
  /** Services this one calls over HTTP; each allows egress from this service and ingress to the callee. */
  calls?: ServiceName[];
  /** Topics this service writes to. */
  produces?: TopicName[];
  /** Topics this service reads, as consumer group `<service name>`. */
  consumes?: ConsumeSpec[];
  /**
   * `named`: one consumer group, the service name (`KAFKA_GROUP_ID`). `prefixed`: groups whose names
   * start with `<service name>-` (`KAFKA_GROUP_PREFIX`), for clients that give each member a group of
   * its own so every replica reads everything (the Schema Registry's KafkaSQL storage). @default 'named'
   */
  consumerGroups?: 'named' | 'prefixed';
  /** Kafka transactional ids the service uses (exactly-once producers). @default [] */
  transactionalIds?: string[];
  /** Datastores this service connects to. */
  datastores?: DatastoreUse[];
  /** Mount a ServiceAccount token: only for services that call the Kubernetes API. @default false */
  kubernetesApiAccess?: boolean;
  /**
   * Connections to endpoints outside the cluster (a notification channel's webhooks, a partner's API). Each names
   * an `ExternalEndpoint` declared in `externals` (model/externals.ts, with the reason) and its TCP ports; the
   * service's NetworkPolicy gets one egress rule per entry to public addresses only (every address but the
   * private, shared, loopback and link-local ranges, so neither the cluster, the VPC nor the cloud's metadata
   * endpoint is reached this way). The mesh lets such traffic pass (Istio's default `ALLOW_ANY`): no ServiceEntry.
   * @default []
   */
  externalEgress?: ExternalEgressSpec[];
  /** Service level objectives. */
  slos?: SloSpec[];
  /** How new versions roll out (see `DeliveryStrategy`). @default 'rolling' */
  delivery?: DeliveryStrategy;
  /** Exposed through the ingress gateway at `<host>.<environment domain>` (`web-frontend` and public APIs). */
  ingress?: {
    /** The first DNS label of the host; the environment's domain is appended. */
    host: DnsLabel;
    /** @default '/' */
    path?: string;
  };
  /** Tiered rate limits enforced by the service (per API key or user); see `RateLimitSpec`. */
  rateLimits?: RateLimitSpec;
  /**
   * The service's own thresholds for its error-rate and latency alerts (ServiceHighErrorRate,
   * ServiceHighLatency), where its users need a stricter (or looser) line than the platform's
   * `observability.alerts.serviceErrorPercent` and `serviceLatencyP95Ms`. @default the platform's
   */
  alerts?: {
    /** Share of requests answered 5xx over 5 minutes above which it alerts. */
    errorPercent?: Percentage;
    /** 95th-percentile request duration over 5 minutes above which it alerts. */
    latencyP95Ms?: PositiveInteger;
  };
  /** Runs a privileged-data workflow that must be audited (GDPR deletion). @default false */
  handlesPersonalData?: boolean;
  /**
   * Serves a machine-learning model that it loads, version by version, from object storage, and exports the model
   * series of apps/prediction-api (`prediction_model_version_info`, `prediction_model_load_failures_total`). Its
   * model alerts follow: PredictionModelLoadFailed when it refuses a version (it keeps serving the one before),
   * PredictionModelVersionSkew when its replicas serve different versions for 30 minutes. Needs a `minio`
   * datastore, where the models are. @default false
   */
  servesModel?: boolean;
}

/** One external endpoint a service connects to (see `ServiceSpec.externalEgress`). */
export interface ExternalEgressSpec {
  /** The `name` of an external of kind `ExternalEndpoint` (model/externals.ts) that exists in the environment. */
  external: string;
  /** TCP ports it is reached on. @default [443] */
  ports?: PortNumber[];
}

export interface TopicSpec {
  description: string;
  /** Tenant that owns the topic's schema and lifecycle. */
  owner: TenantName;
  /** Partition count. @default the environment's `kafka.defaultPartitions` */
  partitions?: PositiveInteger;
  /** Replication factor. @default the environment's `kafka.replication` */
  replication?: PositiveInteger;
  /** How long records are kept. @default '7d' */
  retention?: Duration;
  /** @default 'delete' */
  cleanupPolicy?: 'delete' | 'compact' | 'compact,delete';
  /**
   * `dead-letter` topics hold messages a consumer could not process; `internal` ones hold one service's
   * own state (the Schema Registry's journal), read and written by it alone, in its own format. @default 'events'
   */
  purpose?: 'events' | 'dead-letter' | 'commands' | 'internal';
  /**
   * The JSON Schema (draft-07, the keywords of docs/event-contracts.md) every record value on the topic
   * validates against. Required unless `purpose` is `dead-letter` (a dead letter is the original record,
   * valid or not) or `internal` (its service's own format). Producers validate against it before sending (service-kit `contracts.ts`, from the
   * `KAFKA_SCHEMA_<TOPIC>` the rendered ConfigMap gives them); the Schema Registry gets it from here.
   * Changes are checked against the last accepted version in model/topic-schemas.lock.json: a
   * backward-incompatible one (a field removed or no longer required, a new required field, a type
   * narrowed) fails the render naming the topic and the field. @default none
   */
  schema?: EventSchema;
}

/** A JSON Schema object (draft-07) describing one record value. */
export type EventSchema = Record<string, unknown>;

/**
 * A datastore provided by the platform. `namespace` and `port` tell services where it is and give
 * NetworkPolicy egress; credentials reach services through External Secrets.
 */
export interface DatastoreSpec {
  description: string;
  engine: 'postgresql' | 'redis' | 'qdrant' | 'minio';
  /** Namespace the datastore runs in. */
  namespace: DnsLabel;
  /** Service host name inside that namespace. */
  host: string;
  port: PortNumber;
  /** Database name (PostgreSQL), bucket (MinIO) or collection prefix (Qdrant). */
  database?: string;
  /** Pod label selector of the datastore's pods, for NetworkPolicy egress. */
  podSelector: Record<string, string>;
  /** StorageClass of the datastore's volumes (rendered by the storage component). @default 'fast-ssd' */
  storageClass?: string;
  /** PostgreSQL only: the CloudNativePG Cluster that runs it (see "Datastores: how they run" below). */
  cluster?: PostgresClusterSpec;
  /** Redis, Qdrant and MinIO: the upstream Helm chart that runs it (see below). */
  chart?: DatastoreChartSpec;
}

export interface PoliciesSpec {
  /** Image references must start with one of these prefixes. */
  approvedRegistries: string[];
  /**
   * Who signs the platform's images: cosign keyless signing through an OIDC identity (the release workflow's
   * GitHub Actions token). Admission (Kyverno verifyImages) accepts exactly this issuer and subject.
   */
  imageSigning: {
    /** OIDC issuer of the signing certificate, e.g. `https://token.actions.githubusercontent.com`. */
    issuer: string;
    /** Certificate subject: for GitHub Actions, `https://github.com/<org>/<repo>/<workflow path>@<ref>`. */
    subject: string;
  };
  /** Accepted exceptions to policy rules. Each needs a reason and an expiry date; expired waivers fail the load. */
  waivers: WaiverSpec[];
}

export interface WaiverSpec {
  /** Policy rule id, e.g. `best-practices/replicas`. */
  rule: string;
  /** What is waived: a service, or `<kind>/<namespace>/<name>` of a rendered object. */
  target: ServiceName | string;
  /** Environments the waiver applies to. @default all */
  environments?: string[];
  /** Why the exception is acceptable, and what will end it. */
  reason: string;
  /** Last day (UTC) the waiver holds. */
  expires: IsoDate;
  /** Who accepted the risk. */
  approvedBy: string;
}

/* ------------------------------------------------------------------------------------------------ */
/* Externals: what the rendered objects rely on that nothing in this repository creates.              */
/* ------------------------------------------------------------------------------------------------ */

/**
 * Kinds of external: Kubernetes kinds (`Namespace`, `Secret`, `ServiceAccount`) that exist before the first sync or that
 * an upstream chart creates, and things
 * outside Kubernetes: `KubernetesCluster` (an API server URL Argo CD deploys to), `KafkaCluster` (bootstrap
 * servers of a cluster run elsewhere), `DnsZone` (a zone whose records resolve the hosts under it) and
 * `SecretStoreKey` (the keys an ExternalSecret may read from the secret store; `*` matches any text) and
 * `ExternalEndpoint` (endpoints outside the cluster that services connect to, named by `externalEgress`).
 */
export type ExternalKind = 'Namespace' | 'Secret' | 'ServiceAccount' | 'KubernetesCluster' | 'KafkaCluster' | 'DnsZone' | 'SecretStoreKey' | 'ExternalEndpoint';

/**
 * One thing the platform relies on and does not create, declared once with the reason. `npm run policy`
 * resolves every reference of the rendered objects against the rendered objects, what their operators
 * create, and these (rule platform/references-resolve); docs/externals.md lists them.
 */
export interface ExternalSpec {
  kind: ExternalKind;
  /** Its name: object name, API server URL, `host:port[,host:port]`, zone, or key pattern (`gamemetrics/prod/*`). */
  name: string;
  /** Namespace, for namespaced kinds (`Secret`, `ServiceAccount`) only. */
  namespace?: DnsLabel;
  /** Why it is not rendered here, and who provides it. */
  reason: string;
  /** Environments it exists in. @default all */
  environments?: string[];
}

/* ------------------------------------------------------------------------------------------------ */
/* Environments: thin deltas over the model.                                                          */
/* ------------------------------------------------------------------------------------------------ */

export interface EnvironmentSpec {
  /** `dev`, `staging` or `prod`: the folder name under `environments/` and `rendered/`. */
  name: string;
  /** Production environments get stricter policy checks (replicas, topic durability). */
  tier: 'development' | 'staging' | 'production';
  /** The cluster Argo CD deploys to. */
  cluster: {
    name: string;
    /** API server URL as registered in Argo CD. */
    server: string;
    region: string;
    /** Availability zones of the worker nodes, for topology spread and Kafka rack awareness. */
    zones: string[];
  };
  /** Kubernetes minor version of the cluster, `'1.34'`: schemas and API removals are checked against it. */
  kubernetesVersion: KubernetesVersion;
  /** DNS domain for ingress hosts: `<host>.<domain>`. */
  domain: string;
  /** Image digest per service; promotion copies these between environments. */
  images: { [S in ServiceName]: ImageDigest };
  kafka: EnvironmentKafka;
  /** Overrides for every autoscaled service (per-service overrides win). */
  autoscaling?: {
    minReplicas?: PositiveInteger;
    maxReplicas?: PositiveInteger;
    cpuUtilization?: Percentage;
    memoryUtilization?: Percentage;
    /** Field by field over each service's own (see `AutoscaleBehavior`). */
    behavior?: AutoscaleBehavior;
  };
  /** Per-service overrides. */
  services?: Partial<Record<ServiceName, ServiceOverride>>;
  /** Per-topic overrides. */
  topics?: Partial<Record<TopicName, { partitions?: PositiveInteger; replication?: PositiveInteger; retention?: Duration }>>;
  /** Per-tenant quota overrides. */
  quotas?: Partial<Record<TenantName, Partial<TenantQuota>>>;
  /**
   * Each tenant's monthly budget in this environment for the capacity its pods request, priced at the platform's
   * `capacity.prices` (in their `currency`). The TenantCostOverBudget alert warns the tenant's owners when the
   * requests of its running pods, priced, stay above the budget for 6 hours; render refuses a budget that the
   * tenant's services exceed at their minimum scale already. Omit a tenant for no budget alert.
   */
  budgets?: Partial<Record<TenantName, PositiveInteger>>;
  /** The environment's secret store: AWS Secrets Manager in `cluster.region`, read through this IAM role. */
  secretStore: EnvironmentSecretStore;
  /** How big each datastore runs here (see "Datastores: how they run" below). @default every field's default */
  datastores?: Partial<Record<DatastoreName, DatastoreSizing>>;
  /** Velero backups of the cluster's objects. */
  backups: EnvironmentBackups;
  /**
   * Chaos experiments run here: declaring it installs Chaos Mesh and admits the experiments of model/chaos.ts that list
   * this environment (the loader refuses the others); `schedule` is the weekly slot of the first experiment (five-field
   * cron), the others follow an hour apart. @default none (no chaos)
   */
  chaos?: { /** @default '0 10 * * 2' */ schedule?: CronSchedule };
  /**
   * Sizes of the monitoring, logging and tracing stack and its object storage (see "Observability" below).
   * Required when a component installs the monitoring stack. @default none
   */
  monitoring?: EnvironmentMonitoring;
  /** The Istio service mesh of the tenant and datastore namespaces. @default { mtls: 'STRICT' } */
  mesh?: EnvironmentMesh;
  /** Human access: which SSO groups the tenants' owners and the platform administrators are, and what owners may do. */
  access: EnvironmentAccess;
  /**
   * Further regions the environment runs in, besides the primary one (`cluster`, `secretStore`, `backups`). Each is a
   * cluster of its own running the same tenants, services and sizes, with the differences declared here. With one or
   * more, Argo CD deploys every region through one ApplicationSet (a cluster generator selecting the declared clusters
   * by label), the primary's tree stays in `rendered/<env>/` and each further region's is `rendered/<env>/regions/<region>/`;
   * a region's Kafka replicates the cluster named in its `kafka.mirrorFrom` with MirrorMaker 2 running in that region
   * (see "Regions" below and docs/regions.md). @default [] (one region: the primary)
   */
  regions?: EnvironmentRegion[];
}

/** The service mesh in one environment (generators/mesh/). */
export interface EnvironmentMesh {
  /**
   * Mutual TLS between the enrolled workloads. `STRICT` refuses plaintext; `PERMISSIVE` also accepts it,
   * for a development cluster where tools outside the mesh connect. Authorization still needs a principal,
   * which only mTLS carries. @default 'STRICT'
   */
  mtls?: 'STRICT' | 'PERMISSIVE';
}

/** SSO groups as the identity provider sends them in the OIDC `groups` claim (Argo CD and the API server). */
export interface EnvironmentAccess {
  /** The platform administrators: cluster-admin and Argo CD admin, the only group with either. */
  platformAdmins: string;
  /** The SSO group of each team that owns a tenant (`owners[].team`); every owning team needs one. */
  teamGroups: Record<string, string>;
  /**
   * What a tenant's owners may do in the tenant's own namespaces: `edit` (Kubernetes' edit ClusterRole:
   * change workloads and read Secrets) or `view` (read-only, no Secrets). In Argo CD they may get and sync
   * the tenant's Applications either way.
   */
  tenantRole: 'edit' | 'view';
}

export interface EnvironmentKafka {
  /** Number of broker nodes. */
  brokers: PositiveInteger;
  /** Controllers: `combined` runs the KRaft controller on the brokers; a number runs that many dedicated controllers. */
  controllers: 'combined' | PositiveInteger;
  /** Default replication factor for topics. */
  replication: PositiveInteger;
  /** Default `min.insync.replicas`. */
  minInsyncReplicas: PositiveInteger;
  /** Partition count for topics that set none. */
  defaultPartitions: PositiveInteger;
  /** Broker storage per node. */
  storage: MemoryQuantity;
  /**
   * An external disaster-recovery Kafka cluster MirrorMaker 2 copies this one to, for a single-region environment.
   * An environment with `regions` replicates between its own regions instead (`regions[].kafka.mirrorFrom`), and the
   * loader refuses both at once. @default none (no external DR cluster)
   */
  disasterRecovery?: { clusterAlias: DnsLabel; bootstrapServers: string };
  /** StorageClass of every node pool's volumes (one of `storageClasses`). @default 'fast-ssd' */
  storageClass?: DnsLabel;
}

export interface ServiceOverride {
  resources?: string | Resources;
  scaling?: ScalingSpec;
  config?: Record<EnvVarName, string>;
  schedule?: CronSchedule;
}

/* ------------------------------------------------------------------------------------------------ */
/* Secrets: where every Secret a rendered object references comes from (docs/secrets.md).             */
/* ------------------------------------------------------------------------------------------------ */

/** An IAM role ARN, `arn:aws:iam::<12-digit account>:role/<path and name>`. @format iam-role-arn */
export type IamRoleArn = string;

/**
 * Secrets, none of them rendered with a value. Two sources:
 * - generated: datastore credentials are generated in the cluster by External Secrets' Password
 *   generator and replaced every `rotation`;
 * - external: `secretEnv` Secrets, the image-signing key and the DR cluster's credentials are read from
 *   AWS Secrets Manager at `<platform>/<environment>/<namespace>/<secret>`, where their owner rotates them.
 */
export interface SecretsSpec {
  /** How often External Secrets re-reads values held in AWS Secrets Manager. @default '1h' */
  refreshInterval?: Duration;
  /** Rotation period of every Secret that sets none (`secretEnv[].rotation`, `datastores[].rotation`). @default '90d' */
  rotation?: Duration;
}

/** Per environment: the IAM role External Secrets assumes through IRSA to read AWS Secrets Manager. */
export interface EnvironmentSecretStore {
  /** Role whose trust policy admits the `external-secrets/external-secrets-aws` service account of this cluster's OIDC provider. */
  roleArn: IamRoleArn;
}

/* ------------------------------------------------------------------------------------------------ */
/* Regions: one environment in more than one cluster (issue #16).                                     */
/* ------------------------------------------------------------------------------------------------ */

/**
 * A further region of an environment: what differs from the primary region. Everything else (tenants, services,
 * sizes, topics, datastores, image digests) is the environment's, so both regions run the same release.
 */
export interface EnvironmentRegion {
  /**
   * The region's cluster, registered in the primary region's Argo CD under `name` with the labels the ApplicationSet
   * selects by (docs/regions.md). `name`, `server` and `region` must each differ from every other region's.
   */
  cluster: {
    name: DnsLabel;
    /** API server URL as registered in Argo CD. */
    server: string;
    /** Cloud region, e.g. `eu-central-1`: the folder `rendered/<env>/regions/<region>/` and the secret store's region. */
    region: DnsLabel;
    /** Availability zones of the worker nodes, for topology spread and Kafka rack awareness. */
    zones: string[];
  };
  /** The region's secret store: AWS Secrets Manager in `cluster.region` (holding replicas of the environment's keys), read through this role. */
  secretStore: EnvironmentSecretStore;
  /** Where the region's Velero backups go; the schedules and retention are the environment's (`backups.daily`, `backups.hourly`). */
  backups: {
    /** S3 bucket of the region's BackupStorageLocation (AWS infrastructure, not created here). */
    bucket: string;
    /** Region of the bucket. */
    region: string;
    /** Region the bucket replicates to (S3 cross-region replication, declared on the bucket). */
    replicaRegion: string;
    /** IAM role the region's Velero service account assumes (IRSA). */
    roleArn: string;
  };
  /** The region's Kafka: a disaster-recovery replica of another region's. */
  kafka: {
    /**
     * `cluster.name` of the region whose Kafka this region's MirrorMaker 2 replicates (every platform topic, as
     * `<that cluster>.<topic>`, and the services' consumer-group offsets). That region's Kafka then opens its
     * inter-region listener (TLS, SCRAM-SHA-512) at `kafka-bootstrap.<its cluster name>.<domain>:9094`.
     */
    mirrorFrom: DnsLabel;
  };
}

/* ------------------------------------------------------------------------------------------------ */
/* Datastores: how they run (issue #11). Declared in model/datastores.ts, sized per environment.      */
/* ------------------------------------------------------------------------------------------------ */

/**
 * The PostgreSQL datastore as a CloudNativePG `Cluster` (postgresql.cnpg.io/v1) with WAL archiving and
 * base backups to an S3-compatible object store (the in-tree `barmanObjectStore`), a `ScheduledBackup`,
 * a PodMonitor, one managed role per service that declares the datastore, and grants from each
 * service's `access` on `schema`.
 */
export interface PostgresClusterSpec {
  /** Operand image with PostgreSQL, TimescaleDB and barman-cloud, by exact tag and digest (`repo:tag@sha256:…`). */
  image: string;
  /**
   * The owner tenant's schema: the migrations create it and keep their ledger there. Every tenant whose
   * services use the datastore has a schema of its own (`tenantSchemas`); a service's grants are on its
   * tenant's schema only (`read` → SELECT, `read-write` → SELECT, INSERT, UPDATE, DELETE), and its
   * rendered PGOPTIONS puts that schema on its search path.
   */
  schema: string;
  /**
   * Schema of each other tenant whose services declare the datastore. The migrations create their tables
   * there (the runner creates the schema first); a tenant's services are refused on every other schema.
   * @default the tenant's name with `-` as `_` (`geo-climate` → `geo_climate`)
   */
  tenantSchemas?: Partial<Record<TenantName, string>>;
  /** Tenant whose Argo CD Application runs the migrations as a PreSync hook (in its first namespace). */
  owner: TenantName;
  /** Repository folder of the versioned migrations, `NNNN_name.sql` each (read by render/sources.ts). */
  migrations: string;
  /** Role that owns the database and the schema and runs the migrations (CloudNativePG's initdb owner). */
  migrator: string;
  /** Seconds after which a partly filled WAL segment is archived anyway: the bound on the archive's lag (RPO). */
  archiveTimeoutSeconds: PositiveInteger;
  /** The CloudNativePG operator's pods, which the instances' NetworkPolicy admits to their status port. */
  operator: { namespace: string; podSelector: Record<string, string> };
  backup: {
    /** `s3://bucket/prefix` the WAL archive and base backups go to. */
    destinationPath: string;
    /** S3 endpoint URL. */
    endpointURL: string;
    /** Secret (in the datastore's namespace) with `access-key-id` and `secret-access-key`, read from AWS Secrets Manager (the bucket's IAM user). */
    credentialsSecret: string;
    /** Base backup schedule, five-field cron in UTC. */
    schedule: CronSchedule;
  };
}

/** An upstream Helm chart that runs a datastore, installed by its own Argo CD Application. */
export interface DatastoreChartSpec {
  repoURL: string;
  name: string;
  /** Exact chart version. */
  version: string;
  /** Registry mirror the chart's images are pulled from (an approved registry). */
  imageRegistry: string;
  /** Secret (in the datastore's namespace) holding the server's own credential: Redis password, Qdrant API key, MinIO root user. */
  credentialsSecret: string;
  /** MinIO: the buckets, with versioning and lifecycle. @default [] */
  buckets?: BucketSpec[];
}

export interface BucketSpec {
  name: DnsLabel;
  /** Keep every version of every object. @default true */
  versioning?: boolean;
  /** Objects older than this expire (whole days). */
  expireAfterDays?: PositiveInteger;
  /** Non-current versions expire this many days after they were replaced. */
  noncurrentExpireAfterDays?: PositiveInteger;
  /**
   * Object lock (WORM): the bucket is created with locking enabled (the chart's `objectlocking`; it
   * needs versioning, which locking turns on) and every version written to it is locked for `days`
   * by the bucket's default retention. In `compliance` mode no user, root included, can delete or
   * shorten the lock of a version before it ends; in `governance` mode a user with the
   * `s3:BypassGovernanceRetention` permission can. Locking cannot be turned off once a bucket has it.
   * An expiry (`expireAfterDays`) only adds delete markers; locked versions stay until their lock ends.
   * @default no lock
   */
  objectLock?: BucketObjectLock;
}

/** A bucket's default object-lock retention (S3 Object Lock, as MinIO implements it). */
export interface BucketObjectLock {
  /** `compliance`: nobody can delete a locked version early; `governance`: a permitted user can. */
  mode: 'compliance' | 'governance';
  /** Whole days each new version stays locked. */
  days: PositiveInteger;
}

/** A datastore's size in one environment. */
export interface DatastoreSizing {
  /**
   * Pods: PostgreSQL instances (one primary, the rest streaming replicas, spread over zones), Redis nodes
   * (1 standalone, 3 or more replication with Sentinel), Qdrant nodes, MinIO nodes (1 standalone, 4 or more distributed).
   * @default 1
   */
  instances?: PositiveInteger;
  /** Volume size per pod. @default '10Gi' */
  storage?: MemoryQuantity;
  /** PostgreSQL: how far back point-in-time recovery reaches (base backups and WAL kept), whole days. @default '7d' */
  recoveryWindow?: `${number}d`;
}

/* ------------------------------------------------------------------------------------------------ */
/* Platform components and storage: storage classes, certificate issuers, backups.                   */
/* ------------------------------------------------------------------------------------------------ */

/** An EBS-backed StorageClass (provisioner `ebs.csi.aws.com`, always encrypted, expandable, bound at first consumer). */
export interface StorageClassSpec {
  description: string;
  /** EBS volume type. */
  volumeType: 'gp3' | 'gp2' | 'io2' | 'st1' | 'sc1';
  /** Provisioned IOPS (gp3, io2). */
  iops?: PositiveInteger;
  /** Provisioned throughput in MiB/s (gp3). */
  throughputMiBps?: PositiveInteger;
  /** What happens to the volume when its claim is deleted. @default 'Delete' */
  reclaimPolicy?: 'Delete' | 'Retain';
  /** The cluster's default class (at most one). @default false */
  default?: boolean;
}

/** An ACME ClusterIssuer; challenges are solved over HTTP-01 through the ingress gateway's class. */
export interface ClusterIssuerSpec {
  description: string;
  acme: {
    /** ACME directory URL. */
    server: string;
    /** Contact address registered with the ACME account (expiry notices). */
    email: string;
  };
}

/** Velero: where backups go and how long they are kept. */
export interface EnvironmentBackups {
  /** S3 bucket of the BackupStorageLocation (AWS infrastructure, not created here). */
  bucket: string;
  /** Region of the bucket. */
  region: string;
  /** Region the bucket replicates to (S3 cross-region replication, declared on the bucket). */
  replicaRegion: string;
  /** IAM role Velero's service account assumes (IRSA). */
  roleArn: string;
  /** Daily full backup. */
  daily: BackupScheduleSpec;
  /** Hourly backup; omit for none. */
  hourly?: BackupScheduleSpec;
}

export interface BackupScheduleSpec {
  /** How long each backup is kept (`30d`, `48h`). */
  retention: Duration;
  /** Cron schedule. @default '0 2 * * *' daily, '0 * * * *' hourly */
  schedule?: CronSchedule;
}

/* ------------------------------------------------------------------------------------------------ */
/* Observability: what the alert catalog reads (model/observability.ts).                              */
/* ------------------------------------------------------------------------------------------------ */

/** A Prometheus metric name, `[a-zA-Z_:][a-zA-Z0-9_:]*`. @format metric-name */
export type MetricName = string;

/**
 * The sources of Prometheus series besides the services' own `/metrics` (whose names come from
 * service-kit, apps/lib/metrics.ts), the platform alert catalog's thresholds, and where its runbooks are
 * published. Every metric name a rendered rule, dashboard or analysis uses must be a service metric, a
 * series a rule records, or belong to one of these exporters (policy-tests/alerting/metric-names.ts).
 */
export interface ObservabilitySpec {
  /**
   * Base URL the repository's files are browsed at: an alert's `runbook_url` is
   * `<runbookBaseUrl>/docs/runbooks/<alert>.md`. @default `git.repoURL` without `.git`, then `/blob/<git.targetRevision>`
   */
  runbookBaseUrl?: string;
  /** The exporters, by name (`kube-state-metrics`, `node-exporter`, …). */
  exporters: Record<string, ExporterSpec>;
  /** Thresholds of the platform alert catalog. @default every field's default */
  alerts?: AlertThresholdsSpec;
}

/** An exporter and the metric names it provides. At least one name or prefix. */
export interface ExporterSpec {
  description: string;
  /**
   * The platform component (model/components.ts) that runs it; omit for what runs outside the platform's
   * components (the kubelet, Argo CD itself). @default none
   */
  component?: string;
  /** Exact metric names. @default [] */
  metrics?: MetricName[];
  /** Metric name prefixes: a name starting with one belongs to the exporter (`kube_pod_`). @default [] */
  prefixes?: MetricName[];
}

/** Thresholds of the platform alert catalog (generators/observability/alerts/). */
export interface AlertThresholdsSpec {
  /** Consumer lag (messages) of a consumer group on one topic, for consumes that set no `maxLag`. @default 10000 */
  consumerLag?: PositiveInteger;
  /** Share of a service's requests answered with 5xx, over 5 minutes, above which it alerts. @default 5 */
  serviceErrorPercent?: Percentage;
  /** 95th-percentile request duration of a service, over 5 minutes, above which it alerts. @default 1000 */
  serviceLatencyP95Ms?: PositiveInteger;
  /** Busy CPU of a node (all cores, 5 minutes). @default 90 */
  nodeCpuPercent?: Percentage;
  /** Memory in use on a node. @default 90 */
  nodeMemoryPercent?: Percentage;
  /**
   * A container's working set as a share of its memory limit, held 15 minutes: the warning before the kernel
   * OOM-kills it at 100 %. @default 90
   */
  containerMemoryPercent?: Percentage;
  /** Used space of a node filesystem or a PersistentVolumeClaim. @default 85 */
  diskUsedPercent?: Percentage;
  /** A certificate expiring within this many days alerts (cert-manager renews 30 days ahead by default). @default 14 */
  certificateExpiryDays?: PositiveInteger;
  /** Seconds a PostgreSQL replica may lag behind the primary. @default 30 */
  postgresReplicationLagSeconds?: PositiveInteger;
  /** Client connections as a share of `max_connections`. @default 80 */
  postgresConnectionsPercent?: Percentage;
  /** Age of the newest PostgreSQL base backup above which it alerts (daily backups: a day plus slack). @default '26h' */
  postgresBackupMaxAge?: Duration;
  /** Redis memory used as a share of `maxmemory`. @default 90 */
  redisMemoryPercent?: Percentage;
  /** Age of a Velero schedule's newest successful backup above which it alerts. @default '26h' */
  veleroBackupMaxAge?: Duration;
}

/* ------------------------------------------------------------------------------------------------ */
/* Observability: the monitoring stack, alert routing, logs, traces, long-term metrics (issue #13).   */
/* ------------------------------------------------------------------------------------------------ */

/** People paged or told about an alert: the tenant's `owners`, or the platform's for `tenant="platform"`. */
export interface AlertOwner {
  team: string;
  email: string;
  /** Slack channel warnings and tickets go to (`#channel`). @default the platform's `alerting.defaultSlackChannel` */
  slack?: string;
  /**
   * The Opsgenie team that also responds to the owner's `critical` alerts: Alertmanager creates a P1 Opsgenie alert
   * with this team as responder next to the PagerDuty page (a team whose on-call rota lives in Opsgenie). The API
   * key of the tenant's Opsgenie integration is the `opsgenie-<tenant>` key of the `alertmanager-receivers` Secret
   * (an ExternalSecret), never a value in the model. @default none (PagerDuty and Slack only)
   */
  opsgenie?: string;
}

/**
 * Where Prometheus runs and how Alertmanager routes (model/monitoring.ts). Every alert carries `severity`
 * (critical | warning | info) and `tenant` (a tenant's name or `platform`): `critical` pages the owning
 * tenant's PagerDuty service, `warning` and `info` go to its owners' Slack channel.
 */
export interface MonitoringSpec {
  /** Namespace of Prometheus, Alertmanager, Grafana, Loki, Tempo, the collector and Thanos. */
  namespace: DnsLabel;
  /** Labels of the Prometheus pods: every scraped target admits them. */
  podSelector: Record<string, string>;
  /** Owners of alerts labelled `tenant="platform"` (operators, Kafka, datastores, nodes). At least one. */
  platformOwners: AlertOwner[];
  alerting: {
    /** Labels that make one notification out of several alerts. */
    groupBy: string[];
    /** How long a new group waits for more alerts before the first notification. */
    groupWait: Duration;
    /** How long before a group that changed is notified again. */
    groupInterval: Duration;
    /** How long before an unchanged, still-firing group is notified again. */
    repeatInterval: Duration;
    /** Slack channel of owners that name none. */
    defaultSlackChannel: string;
    /**
     * Alerts that silence others while they fire, with the labels both must share (e.g. a broker down
     * silences the lag alerts of the same cluster).
     */
    inhibitions: Array<{ source: string; targets: string[]; equal: string[]; reason: string }>;
  };
}

/** A workload's size: pod count and container resources. */
export interface StackWorkloadSize {
  replicas: PositiveInteger;
  resources: Resources;
}

/** A stateful workload's size: pods, resources and the volume of each pod. */
export interface StoredWorkloadSize {
  replicas: PositiveInteger;
  resources: Resources;
  storage: MemoryQuantity;
}

/** A stateful workload that keeps its data for `retention` (expired afterwards). */
export interface RetainedWorkloadSize {
  replicas: PositiveInteger;
  resources: Resources;
  storage: MemoryQuantity;
  retention: Duration;
}

/**
 * Prometheus: its samples stay on each pod's volume (`storage`) until they are older than `retention` or the
 * blocks together outgrow `retentionSize`, whichever comes first; the oldest block goes first (Thanos keeps
 * them longer where declared). Rendered as kube-prometheus-stack's `prometheusSpec.retention` and
 * `retentionSize`.
 */
export interface PrometheusSizing {
  replicas: PositiveInteger;
  resources: Resources;
  storage: MemoryQuantity;
  retention: Duration;
  /**
   * Most disk the TSDB may take on each pod's volume (blocks, WAL and head chunks): `50Gi`. Rendered in
   * Prometheus' base-2 unit (`50Gi` → `50GB`, which Prometheus reads as 50 × 2^30 bytes). At most `storage`
   * (the model refuses more); leave headroom below it for compaction, which writes a new block before
   * deleting the ones it replaces (about a fifth of the volume).
   */
  retentionSize: MemoryQuantity;
}

/** Thanos: query and store gateway `replicas`, one compactor; `storage` per store gateway and compactor pod. */
export interface ThanosSizing {
  replicas: PositiveInteger;
  resources: Resources;
  storage: MemoryQuantity;
  /** How long each resolution is kept (raw, 5-minute and 1-hour downsampled). */
  retention: { raw: Duration; fiveMinutes: Duration; oneHour: Duration };
}

/** The monitoring stack in one environment. Object storage buckets are AWS infrastructure, not created here. */
export interface EnvironmentMonitoring {
  /** Prometheus: samples stay on its volume for `retention` and within `retentionSize` (see `PrometheusSizing`). */
  prometheus: PrometheusSizing;
  alertmanager: StoredWorkloadSize;
  grafana: StackWorkloadSize;
  /** Loki (simple scalable: read, write and backend pods each `replicas`); logs expire after `retention`. */
  loki: RetainedWorkloadSize;
  /** Tempo (distributed); traces expire after `retention`. */
  tempo: RetainedWorkloadSize;
  /** The OpenTelemetry Collector the services send traces to over OTLP. */
  otelCollector: StackWorkloadSize;
  /**
   * The trace-sampling policy: the share of traces kept, decided once where a trace starts and followed by every
   * service it reaches (OpenTelemetry's parent-based trace-id-ratio sampler), so a kept trace is complete and a
   * dropped one costs nothing downstream. Rendered into every service's ConfigMap as
   * `OTEL_TRACES_SAMPLER=parentbased_traceidratio` and `OTEL_TRACES_SAMPLER_ARG` (the ratio, 0 to 1).
   * @default 100 (every trace)
   */
  traceSamplePercent?: Percentage;
  /**
   * The log agent: one collector pod per node (a DaemonSet, so no replica count) that tails every container's
   * log files under /var/log/pods, adds the pod's namespace, name and labels, and ships the lines to Loki.
   * Size it for the node with the most log lines.
   */
  logCollector: { resources: Resources };
  /** Thanos: sidecar beside Prometheus, query, store gateway and compactor on the metrics bucket. Omit for none. */
  thanos?: ThanosSizing;
  /** The S3 buckets of logs, traces and long-term metrics, and where they are. */
  objectStore: {
    region: string;
    /** S3 endpoint host, without scheme (`s3.eu-west-1.amazonaws.com`). */
    endpoint: string;
    buckets: { logs: string; traces: string; metrics: string };
  };
}
