/**
 * The model loader: the platform spec (model/) and one environment's delta in, a normalised, validated,
 * frozen LoadedModel out. In order, each step only when the one before found nothing:
 * 1. the shape: both specs against model/schema/model.schema.json (types, unknown keys, enum values and the
 *    value checks of model/schema/formats.ts), the environment first;
 * 2. defaults (./defaults.ts) and references, one concern per file in this folder (also when step 1 found
 *    only wrong values: the shape is sound, and every problem is reported at once);
 * 3. the cross-cutting checks of model/checks/ on the frozen model.
 * Problems are returned, all of a step at once. An exception here is a bug in the loader, not in the
 * model: it comes back as one problem marked `internal`.
 */
import { checks } from '../checks/index.ts';
import type { LoadedModel, MigrationFile } from '../loaded.ts';
import { ModelError, type Problem } from '../problems.ts';
import type { SchemaLock } from '../schema-evolution.ts';
import { schemaProblems } from '../schema/validate.ts';
import type { EnvironmentSpec, PlatformSpec } from '../spec.ts';
import { deriveCalledBy } from './calls.ts';
import { checkCrdGroups, loadComponents } from './components.ts';
import { MONITORING_CRD_GROUP } from '../platform-components.ts';
import { type LoadContext, report } from './context.ts';
import { loadDatastores } from './datastores.ts';
import { DEFAULT_ARGOCD_NAMESPACE, DEFAULT_INGRESS_CONTROLLER, DEFAULT_TARGET_REVISION } from './defaults.ts';
import { loadEnvironment } from './environment.ts';
import { loadExternals } from './externals.ts';
import { checkNamespaces } from './namespaces.ts';
import { loadObservability } from './observability.ts';
import { loadSecrets } from './secrets.ts';
import { loadClusterIssuers, loadStorageClasses } from './platform-services.ts';
import { checkBudgets, checkQuotas } from './quotas.ts';
import { checkVolumeQuotas, loadCapacity } from './capacity.ts';
import { loadChaosExperiments } from './chaos.ts';
import { checkEnvironmentReferences } from './references.ts';
import { collectServices, loadServices } from './services.ts';
import { loadTenants } from './tenants.ts';
import { loadTopics } from './topics.ts';
import { loadWaivers } from './waivers.ts';
import { utcToday } from '../today.ts';

export interface LoadOptions {
  /** Today's date (UTC, `YYYY-MM-DD`) for waiver expiry; defaults to the clock. */
  today?: string;
  /** The versioned migrations of each PostgreSQL datastore, by datastore name (render/sources.ts reads them from the repository). */
  migrations?: Record<string, MigrationFile[]>;
  /** The last accepted topic schemas (render/sources.ts reads model/topic-schemas.lock.json); omitted: evolution not checked. */
  schemaLock?: SchemaLock;
}

/** Load one environment's model from the platform spec and that environment's delta, or throw a ModelError listing every problem. */
export function loadSpec(spec: PlatformSpec, env: EnvironmentSpec, options: LoadOptions = {}): LoadedModel {
  const result = tryLoadSpec(spec, env, options);
  if ('problems' in result) throw new ModelError(result.problems);
  return result.model;
}

/** Like loadSpec, returning the problems instead of throwing. */
export function tryLoadSpec(spec: PlatformSpec, env: EnvironmentSpec, options: LoadOptions = {}): { model: LoadedModel } | { problems: Problem[] } {
  try {
    const envName = typeof env?.name === 'string' ? env.name : '?';
    const shape = [schemaProblems('EnvironmentSpec', env, ['environments', envName]), schemaProblems('PlatformSpec', spec, [])];
    const invalid = shape.flatMap((s) => s.problems);
    if (shape.some((s) => !s.valuesOnly)) return { problems: invalid };
    const context: LoadContext = { platform: structuredClone(spec), env: structuredClone(env), today: options.today ?? utcToday(), envPath: ['environments', envName], problems: [], schemaLock: options.schemaLock };
    const model = load(context, options.migrations ?? {});
    if (invalid.length > 0 || context.problems.length > 0) {
      const reported = new Set(invalid.map((p) => JSON.stringify(p.path)));
      return { problems: [...invalid, ...context.problems.filter((p) => !reported.has(JSON.stringify(p.path)))] };
    }
    const frozen = deepFreeze(model);
    const problems = checks.flatMap((check) => check(frozen, { platform: context.platform, environment: context.env }));
    return problems.length > 0 ? { problems } : { model: frozen };
  } catch (error) {
    return { problems: [internalProblem(error)] };
  }
}

function load(context: LoadContext, migrations: Record<string, MigrationFile[]>): LoadedModel {
  const { platform } = context;
  const environment = loadEnvironment(context);
  const tenants = loadTenants(context);
  const entries = collectServices(context);
  const services = loadServices(context, entries);
  deriveCalledBy(context, services);
  const serviceNames = entries.map((e) => e.name);
  const topics = loadTopics(context, services, environment);
  const components = loadComponents(context);
  checkEnvironmentReferences(context, serviceNames);
  checkNamespaces(context, tenants, components);
  checkCrdGroups(context, components);
  if (components.some((c) => c.crdGroups.includes(MONITORING_CRD_GROUP)) && !context.env.monitoring) {
    report(context, [...context.envPath, 'monitoring'], `a component installs the monitoring stack (${MONITORING_CRD_GROUP}) but the environment sizes none`, 'declare monitoring (Prometheus, Alertmanager, Grafana, Loki, Tempo, collector sizes and the object store) in environments/<env>/index.ts');
  }
  const storageClasses = loadStorageClasses(context);
  const clusterIssuers = loadClusterIssuers(context);
  checkQuotas(context, tenants, services);
  const git = { repoURL: platform.git.repoURL, targetRevision: platform.git.targetRevision ?? DEFAULT_TARGET_REVISION };
  const datastores = loadDatastores(context, services, migrations);
  const capacity = loadCapacity(context, tenants);
  checkVolumeQuotas(context, capacity, environment, datastores);
  checkBudgets(context, tenants, services, capacity);
  return {
    apiVersion: 'gamemetrics.dev/v1',
    platform: {
      name: platform.name,
      git,
      argocdNamespace: platform.argocdNamespace ?? DEFAULT_ARGOCD_NAMESPACE,
      ingressGateway: { ...platform.ingressGateway, controller: platform.ingressGateway.controller ?? DEFAULT_INGRESS_CONTROLLER },
      monitoring: {
        ...structuredClone(platform.monitoring),
        platformOwners: platform.monitoring.platformOwners.map((o) => ({ ...o, slack: o.slack ?? platform.monitoring.alerting.defaultSlackChannel, opsgenie: o.opsgenie ?? null })),
      },
    },
    environment,
    components,
    tenants,
    services,
    topics,
    datastores,
    policies: { approvedRegistries: [...platform.policies.approvedRegistries], imageSigning: { ...platform.policies.imageSigning }, waivers: loadWaivers(context, serviceNames) },
    secrets: loadSecrets(context),
    externals: loadExternals(context),
    storageClasses,
    clusterIssuers,
    observability: loadObservability(context, git),
    capacity,
    chaosExperiments: loadChaosExperiments(context, services, datastores),
  };
}

function internalProblem(error: unknown): Problem {
  const err = error instanceof Error ? error : new Error(String(error));
  const frame = /\((?:file:\/\/)?([^)]+:\d+):\d+\)/.exec(err.stack ?? '')?.[1];
  return { path: [], message: `${err.name}: ${err.message}${frame ? ` at ${frame}` : ''}`, internal: true };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
