// Services: each one's declaration with the environment's override merged in, its references to topics,
// services and datastores checked, and what it derives (image reference, Kafka identity, URL).
import type { LoadedService } from '../loaded.ts';
import type { ServiceName, TopicName } from '../names.ts';
import { type PathSegment, unknownNameHint } from '../problems.ts';
import type { ConsumeSpec, DatastoreSpec, ExternalEgressSpec, ServiceOverride, ServiceSpec } from '../spec.ts';
import { type LoadContext, dnsLabel, noDuplicates, report, sortByName } from './context.ts';
import { DEFAULT_CONSUMER_GROUPS, DEFAULT_DATASTORE_ACCESS, DEFAULT_DELIVERY, DEFAULT_EXTERNAL_EGRESS_PORTS, DEFAULT_HTTP_PORT, DEFAULT_INGRESS_PATH, DEFAULT_INITIAL_DELAY_SECONDS, DEFAULT_LIVENESS, DEFAULT_PORT_PROTOCOL, DEFAULT_READINESS, DEFAULT_RESOURCE_PROFILE } from './defaults.ts';
import { resolveResources } from './resources.ts';
import { resolveScaling } from './scaling.ts';
import { loadSecretEnv, secretRotation } from './secrets.ts';
import { alertThresholds } from './observability.ts';
import { loadRateLimits } from './rate-limits.ts';
import { loadSlos } from './slos.ts';

export interface ServiceEntry {
  name: string;
  tenant: string;
  spec: ServiceSpec;
}

/** Every tenant's services; service names are global. */
export function collectServices(context: LoadContext): ServiceEntry[] {
  const seen = new Map<string, string>();
  const entries: ServiceEntry[] = [];
  for (const [tenant, tenantSpec] of Object.entries(context.platform.tenants)) {
    for (const [name, spec] of Object.entries(tenantSpec.services as Record<string, ServiceSpec>)) {
      const other = seen.get(name);
      if (other !== undefined) {
        report(context, ['tenants', tenant, 'services', name], `service "${name}" is also declared by tenant "${other}"`, 'service names are global: rename one of them');
        continue;
      }
      if (!dnsLabel.test(name) || name.length > 52) report(context, ['tenants', tenant, 'services', name], `service name "${name}" is not a DNS label of at most 52 characters`);
      seen.set(name, tenant);
      entries.push({ name, tenant, spec });
    }
  }
  return entries;
}

/** Every service, sorted by name. */
export function loadServices(context: LoadContext, entries: ServiceEntry[]): LoadedService[] {
  const names = { topics: Object.keys(context.platform.topics), services: entries.map((e) => e.name), datastores: Object.keys(context.platform.datastores) };
  const envConflicts: string[] = [];
  const services = entries.map((entry) => loadService(context, entry, names, envConflicts));
  if (envConflicts.length > 0) {
    const autoscaling = context.env.autoscaling ?? {};
    const key = autoscaling.minReplicas !== undefined ? 'minReplicas' : 'maxReplicas';
    report(context, [...context.envPath, 'autoscaling', key], `environment-wide HPA ${key} ${autoscaling[key]} leaves minReplicas above maxReplicas for ${envConflicts.join(', ')}`, 'change the environment-wide bound, or override those services in services.<name>.scaling');
  }
  return sortByName(services);
}

function loadService(context: LoadContext, entry: ServiceEntry, names: { topics: string[]; services: string[]; datastores: string[] }, envConflicts: string[]): LoadedService {
  const { platform, env, envPath } = context;
  const { name, tenant: tenantName, spec } = entry;
  const path: PathSegment[] = ['tenants', tenantName, 'services', name];
  const tenant = platform.tenants[tenantName as keyof typeof platform.tenants];
  const override: ServiceOverride = env.services?.[name as ServiceName] ?? {};
  const overridePath = [...envPath, 'services', name];
  const isCron = spec.kind === 'cron-job';
  const platformAlerts = alertThresholds(context);

  if (/[@]|:[^/]*$/.test(spec.image)) {
    report(context, [...path, 'image'], `image "${spec.image}" carries a tag or digest`, 'give the repository only; digests are pinned per environment in environments/<env>/images.ts');
  }
  const digest = env.images?.[name as ServiceName];
  if (digest === undefined) report(context, [...envPath, 'images', name], `no image digest for service "${name}"`, `add '${name}': 'sha256:…' to environments/${env.name}/images.ts`);

  const namespace = spec.namespace ?? tenant.namespaces[0];
  if (!tenant.namespaces.includes(namespace)) {
    report(context, [...path, 'namespace'], `namespace "${namespace}" is not one of tenant "${tenantName}"'s namespaces`, unknownNameHint(namespace, tenant.namespaces));
  }

  const ports = (spec.ports ?? (isCron ? [] : [DEFAULT_HTTP_PORT])).map((p) => ({ name: p.name, port: p.port, protocol: p.protocol ?? DEFAULT_PORT_PROTOCOL }));
  if (!isCron && ports.length === 0) report(context, [...path, 'ports'], 'a long-running service needs at least one port (health and metrics are served on it)');

  const resources = resolveResources(context, override.resources !== undefined ? overridePath : path, override.resources ?? spec.resources ?? DEFAULT_RESOURCE_PROFILE);
  const scaling = resolveScaling(context, { service: path, override: overridePath }, spec, override.scaling, envConflicts, name);

  const schedule = override.schedule ?? spec.schedule ?? null;
  const schedulePath = [...(override.schedule !== undefined ? overridePath : path), 'schedule'];
  if (isCron && schedule === null) report(context, schedulePath, 'a cron-job service needs a schedule', "add schedule: '0 3 * * *' (minute hour day month weekday)");
  if (!isCron && schedule !== null) report(context, schedulePath, `only cron-job services have a schedule; this one is "${spec.kind}"`, 'remove schedule, or change kind to cron-job');

  const health = isCron || ports.length === 0 ? null : {
    liveness: spec.health?.liveness ?? DEFAULT_LIVENESS,
    readiness: spec.health?.readiness ?? DEFAULT_READINESS,
    initialDelaySeconds: spec.health?.initialDelaySeconds ?? DEFAULT_INITIAL_DELAY_SECONDS,
    port: spec.health?.port ?? ports[0].name,
  };
  if (health && !ports.some((p) => p.name === health.port))
    report(context, [...path, 'health', 'port'], `no port named "${health.port}"`, unknownNameHint(health.port, ports.map((p) => p.name)));

  const calls = [...(spec.calls ?? [])];
  calls.forEach((callee, i) => {
    if (!names.services.includes(callee)) report(context, [...path, 'calls', i], `unknown service "${callee}"`, unknownNameHint(callee, names.services));
    else if (callee === name) report(context, [...path, 'calls', i], 'a service cannot call itself through the network policy', 'remove it');
  });
  const produces = [...(spec.produces ?? [])];
  produces.forEach((topic, i) => {
    if (!names.topics.includes(topic)) report(context, [...path, 'produces', i], `unknown topic "${topic}"`, unknownNameHint(topic, names.topics));
  });
  const consumes = (spec.consumes ?? []).map((c: ConsumeSpec, i) => {
    const maxLag = (typeof c === 'string' ? undefined : c.maxLag) ?? platformAlerts.consumerLag;
    const entry = typeof c === 'string' ? { topic: c, deadLetter: null, maxLag } : { topic: c.topic, deadLetter: c.deadLetter ?? null, maxLag };
    const entryPath = typeof c === 'string' ? [...path, 'consumes', i] : [...path, 'consumes', i, 'topic'];
    if (!names.topics.includes(entry.topic)) report(context, entryPath, `unknown topic "${entry.topic}"`, unknownNameHint(entry.topic, names.topics));
    if (entry.deadLetter !== null) {
      const dlqPath = [...path, 'consumes', i, 'deadLetter'];
      if (!names.topics.includes(entry.deadLetter)) report(context, dlqPath, `unknown topic "${entry.deadLetter}"`, unknownNameHint(entry.deadLetter, names.topics));
      else if (platform.topics[entry.deadLetter as TopicName].purpose !== 'dead-letter') {
        report(context, dlqPath, `topic "${entry.deadLetter}" is not a dead-letter topic`, "declare it with purpose: 'dead-letter'");
      }
      if (entry.deadLetter === entry.topic) report(context, dlqPath, 'a topic cannot be its own dead-letter topic');
    }
    return entry;
  });
  noDuplicates(context, [...path, 'produces'], produces);
  noDuplicates(context, [...path, 'consumes'], consumes.map((c) => c.topic));
  noDuplicates(context, [...path, 'calls'], calls);
  if (isCron && consumes.length > 0) report(context, [...path, 'consumes'], 'a cron job cannot hold a consumer group', 'consume from a kafka-worker service instead');

  const transactionalIds = [...(spec.transactionalIds ?? [])];
  const write = unique([...produces, ...consumes.flatMap((c) => (c.deadLetter ? [c.deadLetter] : []))]);
  const read = unique(consumes.map((c) => c.topic));
  if (transactionalIds.length > 0 && produces.length === 0) {
    report(context, [...path, 'transactionalIds'], 'transactional ids are only for services that produce', 'remove them, or declare produces');
  }

  const datastores = (spec.datastores ?? []).map((d, i) => {
    if (!names.datastores.includes(d.name)) report(context, [...path, 'datastores', i, 'name'], `unknown datastore "${d.name}"`, unknownNameHint(d.name, names.datastores));
    const store = platform.datastores[d.name as keyof typeof platform.datastores] as DatastoreSpec | undefined;
    if (d.bucket !== undefined) {
      const buckets = (store?.chart?.buckets ?? []).map((b) => b.name);
      if (store?.engine !== 'minio') report(context, [...path, 'datastores', i, 'bucket'], `datastore "${d.name}" is not object storage`, 'only a minio datastore has buckets: remove bucket');
      else if (!buckets.includes(d.bucket)) report(context, [...path, 'datastores', i, 'bucket'], `unknown bucket "${d.bucket}"`, unknownNameHint(d.bucket, buckets));
    }
    return { name: d.name, access: d.access ?? DEFAULT_DATASTORE_ACCESS, rotation: d.rotation ?? secretRotation(context), bucket: d.bucket ?? null };
  });
  noDuplicates(context, [...path, 'datastores'], datastores.map((d) => d.name));
  if (spec.servesModel && !datastores.some((d) => platform.datastores[d.name as keyof typeof platform.datastores]?.engine === 'minio')) {
    report(context, [...path, 'servesModel'], 'a service that serves a model loads it from object storage, but it declares no minio datastore', "add datastores: [{ name: 'minio', bucket: '…' }], or remove servesModel");
  }

  const externalEgress = loadExternalEgress(context, [...path, 'externalEgress'], spec.externalEgress ?? []);

  const slos = loadSlos(context, [...path, 'slos'], spec.slos ?? [], { kind: spec.kind, consumes: consumes.length });
  const delivery = spec.delivery ?? DEFAULT_DELIVERY;
  if (delivery !== 'rolling') {
    if (spec.kind !== 'http-api' && spec.kind !== 'web-frontend')
      report(context, [...path, 'delivery'], `${delivery} delivery is for HTTP services; a ${spec.kind} serves no traffic to shift`, "remove delivery (the default is 'rolling')");
    else if (!slos.some((s) => s.kind === 'availability' || s.kind === 'latency'))
      report(context, [...path, 'delivery'], `${delivery} delivery is gated by the service's availability or latency SLOs, and it declares none`, "add an availability SLO, or remove delivery");
  }
  let ingress: LoadedService['ingress'] = null;
  if (spec.ingress) {
    if (isCron) report(context, [...path, 'ingress'], 'a cron job cannot be exposed through the ingress gateway');
    ingress = { host: `${spec.ingress.host}.${env.domain}`, path: spec.ingress.path ?? DEFAULT_INGRESS_PATH };
  }

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
    config: { ...(spec.config ?? {}), ...(override.config ?? {}) },
    secretEnv: loadSecretEnv(context, [...path, 'secretEnv'], spec.secretEnv ?? []),
    calls,
    calledBy: [],
    produces,
    consumes,
    kafka: write.length > 0 || read.length > 0 ? kafkaAccess(name, spec.consumerGroups ?? DEFAULT_CONSUMER_GROUPS, write, read, transactionalIds) : null,
    datastores,
    kubernetesApiAccess: spec.kubernetesApiAccess ?? false,
    externalEgress,
    slos,
    delivery,
    ingress,
    rateLimits: loadRateLimits(context, [...path, 'rateLimits'], spec.rateLimits, isCron),
    alerts: { errorPercent: spec.alerts?.errorPercent ?? platformAlerts.serviceErrorPercent, latencyP95Ms: spec.alerts?.latencyP95Ms ?? platformAlerts.serviceLatencyP95Ms },
    handlesPersonalData: spec.handlesPersonalData ?? false,
    servesModel: spec.servesModel ?? false,
    url: ports.length > 0 && !isCron ? `http://${name}.${namespace}.svc.cluster.local:${ports[0].port}` : null,
    modelPath: `tenants.${tenantName}.services.${name}`,
  };
}

/** `externalEgress`: each entry names an `ExternalEndpoint` external that exists in this environment. */
function loadExternalEgress(context: LoadContext, path: PathSegment[], specs: ExternalEgressSpec[]): LoadedService['externalEgress'] {
  const endpoints = (context.platform.externals ?? []).filter((e) => e.kind === 'ExternalEndpoint');
  const here = endpoints.filter((e) => !e.environments || e.environments.includes(context.env.name)).map((e) => e.name);
  const loaded = specs.map((e, i) => {
    if (!here.includes(e.external)) {
      const elsewhere = endpoints.some((x) => x.name === e.external);
      report(context, [...path, i, 'external'], elsewhere ? `external endpoint "${e.external}" is not declared for ${context.env.name}` : `unknown external endpoint "${e.external}"`,
        elsewhere ? `add '${context.env.name}' to its environments in model/externals.ts` : `declare it in model/externals.ts ({ kind: 'ExternalEndpoint', name: '${e.external}', reason: '…' })${here.length > 0 ? `, or use one of: ${here.join(', ')}` : ''}`);
    }
    const ports = [...(e.ports ?? DEFAULT_EXTERNAL_EGRESS_PORTS)];
    if (ports.length === 0) report(context, [...path, i, 'ports'], 'an external endpoint needs at least one port', 'list its TCP ports, or omit ports for 443');
    noDuplicates(context, [...path, i, 'ports'], ports.map(String));
    return { external: e.external, ports };
  });
  noDuplicates(context, path, loaded.map((e) => e.external));
  return loaded;
}

function unique(values: string[]): string[] {
  return [...new Set(values)].sort();
}

/** A service's Kafka identity: its user, its consumer group (or group prefix) and what it may read and write. */
function kafkaAccess(name: string, groups: 'named' | 'prefixed', write: string[], read: string[], transactionalIds: string[]): NonNullable<LoadedService['kafka']> {
  const consumes = read.length > 0;
  return { user: name, groupId: consumes && groups === 'named' ? name : null, groupPrefix: consumes && groups === 'prefixed' ? `${name}-` : null, write, read, transactionalIds };
}
