/**
 * The model loader: spec (model/ + one environment delta) in, a normalised, validated, frozen
 * LoadedModel out. Every default of the spec is applied here and nowhere else. All problems are
 * collected and thrown together as a ModelError.
 */
import { checks } from './checks/index.ts';
import { KAFKA_NAMESPACE, TLS_LISTENER } from './kafka.ts';
import type {
  LoadedComponent,
  LoadedDatastore,
  LoadedEnvironment,
  LoadedModel,
  LoadedScaling,
  LoadedService,
  LoadedSlo,
  LoadedTenant,
  LoadedTopic,
  LoadedWaiver,
} from './loaded.ts';
import { ModelError, type PathSegment, type Problem, unknownNameHint } from './problems.ts';
import { parseCpu, parseDuration, parseMemory } from './quantities.ts';
import type { ConsumeSpec, EnvironmentSpec, PlatformSpec, Resources, ServiceSpec, TenantQuota } from './spec.ts';

export interface LoadOptions {
  /** Today's date (UTC, `YYYY-MM-DD`) for waiver expiry; defaults to the clock. */
  today?: string;
}

/* Defaults, one per field (the spec documents each with @default). */
const DEFAULT_TARGET_REVISION = 'main';
const DEFAULT_ARGOCD_NAMESPACE = 'argocd';
const DEFAULT_RESOURCE_PROFILE = 'small';
const DEFAULT_HTTP_PORT = { name: 'http', port: 8080, protocol: 'TCP' as const };
const DEFAULT_AUTOSCALE = { minReplicas: 2, maxReplicas: 10, cpuUtilization: 70, memoryUtilization: 80 };
const DEFAULT_REPLICAS = 1;
const DEFAULT_LIVENESS = '/healthz';
const DEFAULT_READINESS = '/readyz';
const DEFAULT_INITIAL_DELAY_SECONDS = 5;
const DEFAULT_SLO_WINDOW = '30d';
const DEFAULT_TOPIC_RETENTION = '7d';
const DEFAULT_CLEANUP_POLICY = 'delete';
const DEFAULT_TOPIC_PURPOSE = 'events';
const DEFAULT_DATASTORE_ACCESS = 'read-write';
const DEFAULT_QUOTA_PVCS = 0;
const DEFAULT_QUOTA_STORAGE = '0Gi';

const serviceKinds = ['http-api', 'kafka-worker', 'cron-job', 'web-frontend'];
const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const digestPattern = /^sha256:[0-9a-f]{64}$/;
const cronPattern = /^(\S+\s+){4}\S+$/;
const envVarPattern = /^[A-Z_][A-Z0-9_]*$/;

/** Load one environment's model from the platform spec and that environment's delta, or throw a ModelError listing every problem. */
export function loadSpec(spec: PlatformSpec, env: EnvironmentSpec, options: LoadOptions = {}): LoadedModel {
  const result = tryLoadSpec(spec, env, options);
  if ('problems' in result) throw new ModelError(result.problems);
  return result.model;
}

/** Like loadSpec, returning the problems instead of throwing. */
export function tryLoadSpec(spec: PlatformSpec, env: EnvironmentSpec, options: LoadOptions = {}): { model: LoadedModel } | { problems: Problem[] } {
  const loader = new Loader(structuredClone(spec), structuredClone(env), options.today ?? new Date().toISOString().slice(0, 10));
  const model = loader.load();
  if (loader.problems.length > 0) return { problems: loader.problems };
  const frozen = deepFreeze(model);
  const problems = checks.flatMap((check) => check(frozen));
  return problems.length > 0 ? { problems } : { model: frozen };
}

class Loader {
  readonly problems: Problem[] = [];
  private readonly spec: PlatformSpec;
  private readonly env: EnvironmentSpec;
  private readonly today: string;
  private readonly envPath: PathSegment[];

  constructor(spec: PlatformSpec, env: EnvironmentSpec, today: string) {
    this.spec = spec;
    this.env = env;
    this.today = today;
    this.envPath = ['environments', env.name];
  }

  private problem(path: PathSegment[], message: string, hint?: string): void {
    this.problems.push(hint ? { path, message, hint } : { path, message });
  }

  load(): LoadedModel {
    const spec = this.spec;
    if (spec.apiVersion !== 'gamemetrics.dev/v1') {
      this.problem(['apiVersion'], `unsupported model version "${spec.apiVersion}"`, 'use "gamemetrics.dev/v1"');
    }
    const environment = this.loadEnvironment();
    const tenants = this.loadTenants();
    const serviceEntries = this.collectServices();
    const topicNames = Object.keys(spec.topics ?? {});
    const serviceNames = serviceEntries.map((e) => e.name);
    const services = serviceEntries.map((entry) => this.loadService(entry.name, entry.tenant, entry.spec, topicNames, serviceNames));
    this.deriveCalledBy(services);
    const topics = this.loadTopics(services, environment);
    const datastores = this.loadDatastores();
    const components = this.loadComponents();
    this.checkEnvironmentReferences(serviceEntries.map((e) => e.name), topicNames);
    this.checkNamespaces(tenants, components);
    this.checkQuotas(tenants, services);
    return {
      apiVersion: 'gamemetrics.dev/v1',
      platform: {
        name: spec.name,
        git: { repoURL: spec.git.repoURL, targetRevision: spec.git.targetRevision ?? DEFAULT_TARGET_REVISION },
        argocdNamespace: spec.argocdNamespace ?? DEFAULT_ARGOCD_NAMESPACE,
        ingressGateway: spec.ingressGateway,
        monitoring: spec.monitoring,
      },
      environment,
      components,
      tenants,
      services: sortByName(services),
      topics,
      datastores,
      policies: { approvedRegistries: [...spec.policies.approvedRegistries], waivers: this.loadWaivers(serviceEntries.map((e) => e.name)) },
    };
  }

  private loadEnvironment(): LoadedEnvironment {
    const env = this.env;
    const kafka = env.kafka;
    const path = [...this.envPath, 'kafka'];
    if (!['development', 'staging', 'production'].includes(env.tier)) {
      this.problem([...this.envPath, 'tier'], `unknown tier "${env.tier}"`, 'expected development, staging or production');
    }
    if (!/^1\.\d+$/.test(env.kubernetesVersion)) {
      this.problem([...this.envPath, 'kubernetesVersion'], `"${env.kubernetesVersion}" is not a Kubernetes minor version`, 'write it like "1.34"');
    }
    if (env.cluster.zones.length === 0) this.problem([...this.envPath, 'cluster', 'zones'], 'at least one zone is required');
    this.positiveInteger([...path, 'brokers'], kafka.brokers);
    this.positiveInteger([...path, 'defaultPartitions'], kafka.defaultPartitions);
    this.positiveInteger([...path, 'replication'], kafka.replication);
    this.positiveInteger([...path, 'minInsyncReplicas'], kafka.minInsyncReplicas);
    if (kafka.replication > kafka.brokers) {
      this.problem([...path, 'replication'], `replication ${kafka.replication} is higher than the ${kafka.brokers} broker(s)`, `use at most ${kafka.brokers}, or add brokers`);
    }
    if (kafka.minInsyncReplicas > kafka.replication) {
      this.problem([...path, 'minInsyncReplicas'], `min.insync.replicas ${kafka.minInsyncReplicas} is higher than replication ${kafka.replication}: no write could ever succeed`, `use at most ${kafka.replication}`);
    }
    if (kafka.controllers !== 'combined') this.positiveInteger([...path, 'controllers'], kafka.controllers);
    const clusterName = this.spec.name;
    return {
      name: env.name,
      tier: env.tier,
      cluster: { ...env.cluster, zones: [...env.cluster.zones] },
      kubernetesVersion: env.kubernetesVersion,
      domain: env.domain,
      kafka: {
        clusterName,
        namespace: KAFKA_NAMESPACE,
        brokers: kafka.brokers,
        controllers: kafka.controllers,
        replication: kafka.replication,
        minInsyncReplicas: kafka.minInsyncReplicas,
        defaultPartitions: kafka.defaultPartitions,
        storage: kafka.storage,
        bootstrapServers: `${clusterName}-kafka-bootstrap.${KAFKA_NAMESPACE}.svc:${TLS_LISTENER.port}`,
        disasterRecovery: kafka.disasterRecovery ? { ...kafka.disasterRecovery } : null,
      },
    };
  }

  private loadTenants(): LoadedTenant[] {
    const tenants: LoadedTenant[] = [];
    for (const [name, tenant] of Object.entries(this.spec.tenants)) {
      const path = ['tenants', name];
      if (!dnsLabel.test(name)) this.problem(path, `tenant name "${name}" is not a DNS label`, 'use lowercase letters, digits and "-"');
      if (tenant.owners.length === 0) this.problem([...path, 'owners'], 'a tenant needs at least one owner', 'add { team, email }');
      if (tenant.namespaces.length === 0) this.problem([...path, 'namespaces'], 'a tenant needs at least one namespace');
      tenant.namespaces.forEach((ns, i) => {
        if (!dnsLabel.test(ns)) this.problem([...path, 'namespaces', i], `"${ns}" is not a valid namespace name`, 'use lowercase letters, digits and "-"');
      });
      const quotaOverride = this.env.quotas?.[name as keyof typeof this.spec.tenants] ?? {};
      const quota: Required<TenantQuota> = {
        persistentVolumeClaims: DEFAULT_QUOTA_PVCS,
        storage: DEFAULT_QUOTA_STORAGE,
        ...tenant.quota,
        ...quotaOverride,
      };
      this.checkResources([...path, 'quota'], quota);
      tenants.push({
        name,
        displayName: tenant.displayName,
        description: tenant.description,
        owners: tenant.owners.map((o) => ({ ...o })),
        costCentre: tenant.costCentre,
        namespaces: [...tenant.namespaces],
        quota,
        containerDefaults: tenant.containerDefaults ?? this.spec.resourceProfiles[DEFAULT_RESOURCE_PROFILE],
        services: Object.keys(tenant.services).sort(),
        modelPath: `tenants.${name}`,
      });
    }
    return sortByName(tenants);
  }

  private collectServices(): Array<{ name: string; tenant: string; spec: ServiceSpec }> {
    const seen = new Map<string, string>();
    const entries: Array<{ name: string; tenant: string; spec: ServiceSpec }> = [];
    for (const [tenant, tenantSpec] of Object.entries(this.spec.tenants)) {
      for (const [name, spec] of Object.entries(tenantSpec.services as Record<string, ServiceSpec>)) {
        const other = seen.get(name);
        if (other !== undefined) {
          this.problem(['tenants', tenant, 'services', name], `service "${name}" is also declared by tenant "${other}"`, 'service names are global: rename one of them');
          continue;
        }
        if (!dnsLabel.test(name) || name.length > 52) {
          this.problem(['tenants', tenant, 'services', name], `service name "${name}" is not a DNS label of at most 52 characters`);
        }
        seen.set(name, tenant);
        entries.push({ name, tenant, spec });
      }
    }
    return entries;
  }

  private loadService(name: string, tenantName: string, spec: ServiceSpec, topicNames: string[], serviceNames: string[]): LoadedService {
    const path: PathSegment[] = ['tenants', tenantName, 'services', name];
    const tenant = this.spec.tenants[tenantName as keyof PlatformSpec['tenants']];
    const override = this.env.services?.[name as keyof NonNullable<EnvironmentSpec['services']>] ?? {};
    const overridePath = [...this.envPath, 'services', name];

    if (!serviceKinds.includes(spec.kind)) this.problem([...path, 'kind'], `unknown kind "${spec.kind}"`, unknownNameHint(spec.kind, serviceKinds));
    const isCron = spec.kind === 'cron-job';

    if (/[@]|:[^/]*$/.test(spec.image)) {
      this.problem([...path, 'image'], `image "${spec.image}" carries a tag or digest`, 'give the repository only; digests are pinned per environment in environments/<env>/images.ts');
    }
    const digest = this.env.images?.[name as keyof EnvironmentSpec['images']];
    if (digest === undefined) {
      this.problem([...this.envPath, 'images', name], `no image digest for service "${name}"`, `add '${name}': 'sha256:…' to environments/${this.env.name}/images.ts`);
    } else if (!digestPattern.test(digest)) {
      this.problem([...this.envPath, 'images', name], `"${digest}" is not a sha256 digest`, 'expected sha256: followed by 64 lowercase hex digits');
    }

    const namespace = spec.namespace ?? tenant.namespaces[0];
    if (!tenant.namespaces.includes(namespace)) {
      this.problem([...path, 'namespace'], `namespace "${namespace}" is not one of tenant "${tenantName}"'s namespaces`, unknownNameHint(namespace, tenant.namespaces));
    }

    const ports = (spec.ports ?? (isCron ? [] : [DEFAULT_HTTP_PORT])).map((p) => ({ name: p.name, port: p.port, protocol: p.protocol ?? 'TCP' as const }));
    ports.forEach((p, i) => {
      if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) this.problem([...path, 'ports', i, 'port'], `port ${p.port} is outside 1–65535`);
      if (!dnsLabel.test(p.name) || p.name.length > 15) this.problem([...path, 'ports', i, 'name'], `port name "${p.name}" must be a DNS label of at most 15 characters`);
    });
    if (!isCron && ports.length === 0) this.problem([...path, 'ports'], 'a long-running service needs at least one port (health and metrics are served on it)');

    const resources = this.resolveResources(override.resources !== undefined ? overridePath : path, override.resources ?? spec.resources ?? DEFAULT_RESOURCE_PROFILE);
    const scaling = this.resolveScaling(path, overridePath, spec, override.scaling);

    const schedule = override.schedule ?? spec.schedule ?? null;
    if (isCron && schedule === null) this.problem([...path, 'schedule'], 'a cron-job service needs a schedule', "add schedule: '0 3 * * *' (minute hour day month weekday)");
    if (!isCron && schedule !== null) this.problem([...path, 'schedule'], `only cron-job services have a schedule; this one is "${spec.kind}"`, 'remove schedule, or change kind to cron-job');
    if (schedule !== null && !cronPattern.test(schedule.trim())) this.problem([...path, 'schedule'], `"${schedule}" is not a five-field cron schedule`, "e.g. '0 3 * * *'");

    const health = isCron || ports.length === 0 ? null : {
      liveness: spec.health?.liveness ?? DEFAULT_LIVENESS,
      readiness: spec.health?.readiness ?? DEFAULT_READINESS,
      initialDelaySeconds: spec.health?.initialDelaySeconds ?? DEFAULT_INITIAL_DELAY_SECONDS,
      port: ports[0].name,
    };

    const calls = [...(spec.calls ?? [])];
    calls.forEach((callee, i) => {
      if (!serviceNames.includes(callee)) this.problem([...path, 'calls', i], `unknown service "${callee}"`, unknownNameHint(callee, serviceNames));
      else if (callee === name) this.problem([...path, 'calls', i], 'a service cannot call itself through the network policy', 'remove it');
    });
    const produces = [...(spec.produces ?? [])];
    produces.forEach((topic, i) => {
      if (!topicNames.includes(topic)) this.problem([...path, 'produces', i], `unknown topic "${topic}"`, unknownNameHint(topic, topicNames));
    });
    const consumes = (spec.consumes ?? []).map((c: ConsumeSpec, i) => {
      const entry = typeof c === 'string' ? { topic: c, deadLetter: null } : { topic: c.topic, deadLetter: c.deadLetter ?? null };
      const entryPath = typeof c === 'string' ? [...path, 'consumes', i] : [...path, 'consumes', i, 'topic'];
      if (!topicNames.includes(entry.topic)) this.problem(entryPath, `unknown topic "${entry.topic}"`, unknownNameHint(entry.topic, topicNames));
      if (entry.deadLetter !== null) {
        const dlqPath = [...path, 'consumes', i, 'deadLetter'];
        if (!topicNames.includes(entry.deadLetter)) this.problem(dlqPath, `unknown topic "${entry.deadLetter}"`, unknownNameHint(entry.deadLetter, topicNames));
        else if ((this.spec.topics as Record<string, { purpose?: string }>)[entry.deadLetter].purpose !== 'dead-letter') {
          this.problem(dlqPath, `topic "${entry.deadLetter}" is not a dead-letter topic`, "declare it with purpose: 'dead-letter'");
        }
        if (entry.deadLetter === entry.topic) this.problem(dlqPath, 'a topic cannot be its own dead-letter topic');
      }
      return entry;
    });
    this.noDuplicates([...path, 'produces'], produces);
    this.noDuplicates([...path, 'consumes'], consumes.map((c) => c.topic));
    this.noDuplicates([...path, 'calls'], calls);
    if (isCron && consumes.length > 0) this.problem([...path, 'consumes'], 'a cron job cannot hold a consumer group', 'consume from a kafka-worker service instead');

    const transactionalIds = [...(spec.transactionalIds ?? [])];
    const write = unique([...produces, ...consumes.flatMap((c) => (c.deadLetter ? [c.deadLetter] : []))]);
    const read = unique(consumes.map((c) => c.topic));
    const touchesKafka = write.length > 0 || read.length > 0;
    if (transactionalIds.length > 0 && produces.length === 0) {
      this.problem([...path, 'transactionalIds'], 'transactional ids are only for services that produce', 'remove them, or declare produces');
    }

    const datastoreNames = Object.keys(this.spec.datastores);
    const datastores = (spec.datastores ?? []).map((d, i) => {
      if (!datastoreNames.includes(d.name)) this.problem([...path, 'datastores', i, 'name'], `unknown datastore "${d.name}"`, unknownNameHint(d.name, datastoreNames));
      return { name: d.name, access: d.access ?? DEFAULT_DATASTORE_ACCESS };
    });
    this.noDuplicates([...path, 'datastores'], datastores.map((d) => d.name));

    const config = { ...(spec.config ?? {}), ...(override.config ?? {}) };
    for (const key of Object.keys(config)) {
      if (!envVarPattern.test(key)) this.problem([...path, 'config', key], `"${key}" is not an environment variable name`, 'use UPPER_SNAKE_CASE');
    }
    const secretEnv = (spec.secretEnv ?? []).map((s) => ({ ...s }));
    secretEnv.forEach((s, i) => {
      if (!envVarPattern.test(s.env)) this.problem([...path, 'secretEnv', i, 'env'], `"${s.env}" is not an environment variable name`, 'use UPPER_SNAKE_CASE');
    });

    const slos = this.loadSlos([...path, 'slos'], spec.slos ?? [], isCron);
    let ingress: LoadedService['ingress'] = null;
    if (spec.ingress) {
      if (!dnsLabel.test(spec.ingress.host)) this.problem([...path, 'ingress', 'host'], `"${spec.ingress.host}" is not a DNS label`, 'the environment domain is appended: give the first label only');
      if (isCron) this.problem([...path, 'ingress'], 'a cron job cannot be exposed through the ingress gateway');
      ingress = { host: `${spec.ingress.host}.${this.env.domain}`, path: spec.ingress.path ?? '/' };
    }
    (spec.rateLimits ?? []).forEach((tier, i) => this.positiveInteger([...path, 'rateLimits', i, 'requestsPerMinute'], tier.requestsPerMinute));

    return {
      name,
      tenant: tenantName,
      namespace,
      kind: spec.kind,
      description: spec.description,
      image: { repository: spec.image, digest: digest ?? '', reference: `${spec.image}@${digest ?? ''}` },
      ports,
      resources,
      scaling,
      health,
      schedule,
      config,
      secretEnv,
      calls,
      calledBy: [],
      produces,
      consumes,
      kafka: touchesKafka ? { user: name, groupId: read.length > 0 ? name : null, write, read, transactionalIds } : null,
      datastores,
      kubernetesApiAccess: spec.kubernetesApiAccess ?? false,
      slos,
      ingress,
      rateLimits: (spec.rateLimits ?? []).map((t) => ({ ...t })),
      handlesPersonalData: spec.handlesPersonalData ?? false,
      url: ports.length > 0 && !isCron ? `http://${name}.${namespace}.svc.cluster.local:${ports[0].port}` : null,
      modelPath: `tenants.${tenantName}.services.${name}`,
    };
  }

  private resolveResources(path: PathSegment[], value: string | Resources): Resources {
    if (typeof value === 'string') {
      const profile = this.spec.resourceProfiles[value];
      if (!profile) {
        this.problem([...path, 'resources'], `unknown resource profile "${value}"`, unknownNameHint(value, Object.keys(this.spec.resourceProfiles)));
        return this.spec.resourceProfiles[DEFAULT_RESOURCE_PROFILE];
      }
      return profile;
    }
    this.checkResources([...path, 'resources'], value);
    return value;
  }

  private checkResources(path: PathSegment[], value: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } }): void {
    for (const side of ['requests', 'limits'] as const) {
      if (parseCpu(value[side].cpu) === undefined) this.problem([...path, side, 'cpu'], `"${value[side].cpu}" is not a CPU quantity`, 'e.g. "500m" or "2"');
      if (parseMemory(value[side].memory) === undefined) this.problem([...path, side, 'memory'], `"${value[side].memory}" is not a memory quantity`, 'e.g. "512Mi" or "2Gi"');
    }
    if ((parseCpu(value.requests.cpu) ?? 0) > (parseCpu(value.limits.cpu) ?? Infinity)) {
      this.problem([...path, 'requests', 'cpu'], `CPU request ${value.requests.cpu} exceeds the limit ${value.limits.cpu}`);
    }
    if ((parseMemory(value.requests.memory) ?? 0) > (parseMemory(value.limits.memory) ?? Infinity)) {
      this.problem([...path, 'requests', 'memory'], `memory request ${value.requests.memory} exceeds the limit ${value.limits.memory}`);
    }
  }

  private resolveScaling(path: PathSegment[], overridePath: PathSegment[], spec: ServiceSpec, override: ServiceSpec['scaling']): LoadedScaling {
    const isHttp = spec.kind === 'http-api' || spec.kind === 'web-frontend';
    const chosen = override ?? spec.scaling ?? (isHttp ? { autoscale: {} } : { replicas: DEFAULT_REPLICAS });
    const at = [...(override ? overridePath : path), 'scaling'];
    if ('replicas' in chosen) {
      if (!Number.isInteger(chosen.replicas) || chosen.replicas < (spec.kind === 'cron-job' ? 1 : 0)) {
        this.problem([...at, 'replicas'], `replicas must be a non-negative integer, got ${chosen.replicas}`);
      }
      return { mode: 'fixed', replicas: chosen.replicas };
    }
    if (spec.kind === 'cron-job') this.problem(at, 'cron jobs cannot autoscale', 'remove scaling');
    const declared = chosen.autoscale;
    if (declared.minReplicas !== undefined && declared.maxReplicas !== undefined && declared.minReplicas > declared.maxReplicas) {
      this.problem([...at, 'autoscale'], `HPA minReplicas ${declared.minReplicas} is greater than maxReplicas ${declared.maxReplicas}`, 'raise maxReplicas or lower minReplicas');
    }
    const envWide = this.env.autoscaling ?? {};
    const merged = { ...DEFAULT_AUTOSCALE, ...chosen.autoscale, ...envWide, ...(override && 'autoscale' in override ? override.autoscale : {}) };
    if (!Number.isInteger(merged.minReplicas) || merged.minReplicas < 1) this.problem([...at, 'autoscale', 'minReplicas'], `minReplicas must be at least 1, got ${merged.minReplicas}`);
    if (merged.minReplicas > merged.maxReplicas && !(declared.minReplicas! > declared.maxReplicas!)) {
      this.problem([...at, 'autoscale'], `HPA minReplicas ${merged.minReplicas} is greater than maxReplicas ${merged.maxReplicas}`, 'raise maxReplicas or lower minReplicas');
    }
    for (const key of ['cpuUtilization', 'memoryUtilization'] as const) {
      if (!(merged[key] > 0 && merged[key] <= 100)) this.problem([...at, 'autoscale', key], `${key} must be a percentage in (0, 100], got ${merged[key]}`);
    }
    return { mode: 'autoscale', ...merged };
  }

  private loadSlos(path: PathSegment[], slos: NonNullable<ServiceSpec['slos']>, isCron: boolean): LoadedSlo[] {
    this.noDuplicates(path, slos.map((s) => s.name));
    return slos.map((slo, i) => {
      if (!(slo.objective > 0 && slo.objective < 100)) {
        this.problem([...path, i, 'objective'], `objective ${slo.objective} is outside (0, 100)`, 'an objective is a percentage such as 99.9; 100 leaves no error budget');
      }
      const window = slo.window ?? DEFAULT_SLO_WINDOW;
      if (parseDuration(window) === undefined) this.problem([...path, i, 'window'], `"${window}" is not a duration`, 'e.g. "30d" or "4w"');
      if (slo.kind === 'latency' && !(slo.thresholdMs !== undefined && slo.thresholdMs > 0)) {
        this.problem([...path, i, 'thresholdMs'], 'a latency SLO needs a positive thresholdMs');
      }
      if (slo.kind === 'availability' && slo.thresholdMs !== undefined) this.problem([...path, i, 'thresholdMs'], 'only latency SLOs have a threshold');
      if (isCron) this.problem([...path, i], 'cron jobs serve no requests to measure', 'remove the SLO');
      return { name: slo.name, kind: slo.kind, objective: slo.objective, window, thresholdMs: slo.thresholdMs ?? null, description: slo.description };
    });
  }

  private deriveCalledBy(services: LoadedService[]): void {
    const callers = new Map<string, LoadedService[]>();
    for (const caller of services) {
      for (const callee of caller.calls) {
        if (!callers.has(callee)) callers.set(callee, []);
        callers.get(callee)!.push(caller);
      }
    }
    for (const service of services) {
      service.calledBy = (callers.get(service.name) ?? []).map((s) => s.name).sort();
      const callee = service;
      if (callee.calledBy.length > 0 && callee.url === null) {
        for (const callerService of callers.get(callee.name)!) {
          const caller = callerService.name;
          this.problem(['tenants', callerService.tenant, 'services', caller, 'calls', callerService.calls.indexOf(callee.name)], `"${callee.name}" is a ${callee.kind} and serves no requests`, 'only call long-running services');
        }
      }
    }
  }

  private loadTopics(services: LoadedService[], environment: LoadedEnvironment): LoadedTopic[] {
    const tenantNames = Object.keys(this.spec.tenants);
    const topics: LoadedTopic[] = [];
    for (const [name, topic] of Object.entries(this.spec.topics)) {
      const path = ['topics', name];
      const override = this.env.topics?.[name as keyof NonNullable<EnvironmentSpec['topics']>] ?? {};
      if (!/^[a-zA-Z0-9._-]{1,249}$/.test(name) || name === '.' || name === '..') {
        this.problem(path, `"${name}" is not a valid Kafka topic name`, 'use letters, digits, ".", "_" and "-", at most 249 characters');
      }
      if (!tenantNames.includes(topic.owner)) this.problem([...path, 'owner'], `unknown tenant "${topic.owner}"`, unknownNameHint(topic.owner, tenantNames));
      const partitions = override.partitions ?? topic.partitions ?? environment.kafka.defaultPartitions;
      const replication = override.replication ?? topic.replication ?? environment.kafka.replication;
      const retention = override.retention ?? topic.retention ?? DEFAULT_TOPIC_RETENTION;
      const partitionsPath = override.partitions !== undefined ? [...this.envPath, 'topics', name, 'partitions'] : [...path, 'partitions'];
      const replicationPath = override.replication !== undefined ? [...this.envPath, 'topics', name, 'replication'] : [...path, 'replication'];
      this.positiveInteger(partitionsPath, partitions);
      this.positiveInteger(replicationPath, replication);
      if (replication > environment.kafka.brokers) {
        this.problem(replicationPath, `replication ${replication} is higher than the ${environment.kafka.brokers} broker(s) of ${this.env.name}`, `use at most ${environment.kafka.brokers}`);
      }
      const minInsyncReplicas = Math.min(environment.kafka.minInsyncReplicas, replication);
      const retentionMs = parseDuration(retention);
      if (retentionMs === undefined) this.problem([...path, 'retention'], `"${retention}" is not a duration`, 'e.g. "7d"');
      const producers = services.filter((s) => s.kafka?.write.includes(name)).map((s) => s.name).sort();
      const consumers = services.filter((s) => s.kafka?.read.includes(name)).map((s) => s.name).sort();
      if (consumers.length > 0 && producers.length === 0) {
        for (const consumer of consumers) {
          const service = services.find((s) => s.name === consumer)!;
          this.problem(['tenants', service.tenant, 'services', consumer, 'consumes', service.consumes.findIndex((c) => c.topic === name)],
            `consumes "${name}", which no service produces`, `add "${name}" to a producer's produces, or remove this consume`);
        }
      }
      topics.push({
        name,
        description: topic.description,
        owner: topic.owner,
        partitions,
        replication,
        minInsyncReplicas,
        retention,
        retentionMs: retentionMs ?? 0,
        cleanupPolicy: topic.cleanupPolicy ?? DEFAULT_CLEANUP_POLICY,
        purpose: topic.purpose ?? DEFAULT_TOPIC_PURPOSE,
        producers,
        consumers,
        modelPath: `topics['${name}']`,
      });
    }
    return sortByName(topics);
  }

  private loadDatastores(): LoadedDatastore[] {
    return sortByName(Object.entries(this.spec.datastores).map(([name, d]) => {
      if (!Number.isInteger(d.port) || d.port < 1 || d.port > 65535) this.problem(['datastores', name, 'port'], `port ${d.port} is outside 1–65535`);
      return { name, description: d.description, engine: d.engine, namespace: d.namespace, host: d.host, port: d.port, database: d.database ?? null, podSelector: { ...d.podSelector }, modelPath: `datastores.${name}` };
    }));
  }

  private loadComponents(): LoadedComponent[] {
    return sortByName(Object.entries(this.spec.components).map(([name, c]) => {
      if (!dnsLabel.test(name)) this.problem(['components', name], `component name "${name}" is not a DNS label`);
      if (!Number.isInteger(c.wave)) this.problem(['components', name, 'wave'], `wave must be an integer, got ${c.wave}`);
      return {
        name,
        description: c.description,
        namespace: c.namespace,
        wave: c.wave,
        chart: c.chart ? { ...c.chart } : null,
        clusterResources: (c.clusterResources ?? []).map((r) => ({ ...r })),
        network: { apiServer: c.network?.apiServer ?? false, ingressPorts: [...(c.network?.ingressPorts ?? [])] },
        modelPath: `components.${name}`,
      };
    }));
  }

  private loadWaivers(serviceNames: string[]): LoadedWaiver[] {
    return this.spec.policies.waivers.flatMap((w, i) => {
      const path = ['policies', 'waivers', i];
      if (!w.reason || w.reason.trim().length < 10) this.problem([...path, 'reason'], 'a waiver needs a reason (at least a sentence)', 'say why the exception is acceptable and what ends it');
      if (!w.approvedBy) this.problem([...path, 'approvedBy'], 'a waiver needs an approver');
      if (!/^\d{4}-\d{2}-\d{2}$/.test(w.expires) || Number.isNaN(Date.parse(w.expires))) {
        this.problem([...path, 'expires'], `"${w.expires}" is not a date`, 'use YYYY-MM-DD');
      } else if (w.expires < this.today) {
        this.problem([...path, 'expires'], `waiver of ${w.rule} for ${w.target} expired on ${w.expires}`, 'fix the finding and remove the waiver, or renew it with a new approval');
      }
      if (!serviceNames.includes(w.target) && !/^[A-Za-z]+\/[a-z0-9-]*\/[a-z0-9.-]+$/.test(w.target)) {
        this.problem([...path, 'target'], `"${w.target}" is neither a service nor <kind>/<namespace>/<name>`, unknownNameHint(w.target, serviceNames));
      }
      if (w.environments && !w.environments.includes(this.env.name)) return [];
      return [{ rule: w.rule, target: w.target, environments: w.environments ? [...w.environments] : null, reason: w.reason, expires: w.expires, approvedBy: w.approvedBy, modelPath: `policies.waivers[${i}]` }];
    });
  }

  private checkEnvironmentReferences(serviceNames: string[], topicNames: string[]): void {
    for (const name of Object.keys(this.env.services ?? {})) {
      if (!serviceNames.includes(name)) this.problem([...this.envPath, 'services', name], `unknown service "${name}"`, unknownNameHint(name, serviceNames));
    }
    for (const name of Object.keys(this.env.topics ?? {})) {
      if (!topicNames.includes(name)) this.problem([...this.envPath, 'topics', name], `unknown topic "${name}"`, unknownNameHint(name, topicNames));
    }
    for (const name of Object.keys(this.env.images ?? {})) {
      if (!serviceNames.includes(name)) this.problem([...this.envPath, 'images', name], `digest for unknown service "${name}"`, unknownNameHint(name, serviceNames));
    }
    const tenantNames = Object.keys(this.spec.tenants);
    for (const name of Object.keys(this.env.quotas ?? {})) {
      if (!tenantNames.includes(name)) this.problem([...this.envPath, 'quotas', name], `unknown tenant "${name}"`, unknownNameHint(name, tenantNames));
    }
  }

  private checkNamespaces(tenants: LoadedTenant[], components: LoadedComponent[]): void {
    const owner = new Map<string, string>();
    for (const tenant of tenants) {
      tenant.namespaces.forEach((ns, i) => {
        const other = owner.get(ns);
        if (other) this.problem(['tenants', tenant.name, 'namespaces', i], `namespace "${ns}" is already owned by ${other}`, 'each namespace belongs to one tenant');
        owner.set(ns, `tenant ${tenant.name}`);
      });
    }
    for (const component of components) {
      const other = owner.get(component.namespace);
      if (other?.startsWith('tenant')) this.problem(['components', component.name, 'namespace'], `namespace "${component.namespace}" belongs to ${other}`, 'platform components need their own namespace');
    }
  }

  /** The HPA must be able to reach maxReplicas inside the namespace quota. */
  private checkQuotas(tenants: LoadedTenant[], services: LoadedService[]): void {
    for (const tenant of tenants) {
      const own = services.filter((s) => s.tenant === tenant.name && s.kind !== 'cron-job');
      const peak = (s: LoadedService) => (s.scaling.mode === 'fixed' ? s.scaling.replicas : s.scaling.maxReplicas);
      const quotaPath = this.env.quotas?.[tenant.name as keyof NonNullable<EnvironmentSpec['quotas']>] ? [...this.envPath, 'quotas', tenant.name] : ['tenants', tenant.name, 'quota'];
      for (const side of ['requests', 'limits'] as const) {
        const cpu = own.reduce((sum, s) => sum + peak(s) * (parseCpu(s.resources[side].cpu) ?? 0), 0);
        const memory = own.reduce((sum, s) => sum + peak(s) * (parseMemory(s.resources[side].memory) ?? 0), 0);
        const quotaCpu = parseCpu(tenant.quota[side].cpu) ?? Infinity;
        const quotaMemory = parseMemory(tenant.quota[side].memory) ?? Infinity;
        if (cpu > quotaCpu) {
          this.problem([...quotaPath, side, 'cpu'], `at maximum scale the services need ${cpu / 1000} CPU of ${side}, more than the quota's ${tenant.quota[side].cpu}`, 'raise the quota or lower maxReplicas');
        }
        if (memory > quotaMemory) {
          this.problem([...quotaPath, side, 'memory'], `at maximum scale the services need ${memory / 2 ** 30}Gi of ${side} memory, more than the quota's ${tenant.quota[side].memory}`, 'raise the quota or lower maxReplicas');
        }
      }
      const pods = own.reduce((sum, s) => sum + peak(s), 0);
      if (pods > tenant.quota.pods) this.problem([...quotaPath, 'pods'], `at maximum scale the services run ${pods} pods, more than the quota's ${tenant.quota.pods}`, 'raise the quota or lower maxReplicas');
    }
  }

  private positiveInteger(path: PathSegment[], value: number): void {
    if (!Number.isInteger(value) || value < 1) this.problem(path, `must be a positive integer, got ${value}`);
  }

  private noDuplicates(path: PathSegment[], values: string[]): void {
    const seen = new Set<string>();
    for (const value of values) {
      if (seen.has(value)) this.problem(path, `"${value}" is listed twice`, 'remove the duplicate');
      seen.add(value);
    }
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)].sort();
}

function sortByName<T extends { name: string }>(items: T[]): T[] {
  return items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
