// A synthetic platform of N services (for benchmarks): the real model's shape, scaled.
import { environments } from '../../environments/index.ts';
import { platform } from '../../model/platform.ts';
import { SLO_RULES_COMPONENT } from '../../model/platform-components.ts';
import type { SchemaLock } from '../../model/schema-evolution.ts';
import type { EnvironmentSpec, EventSchema, PlatformSpec, ServiceSpec, TopicSpec } from '../../model/spec.ts';

const hex = (n: number) => n.toString(16).padStart(64, '0');
const recordSchema: EventSchema = { type: 'object', required: ['id'], properties: { id: { type: 'string' } } };

/** `variant` changes one line of the model (svc-0000's configuration): a one-service change in every environment. */
export function syntheticModel(count: number, variant = 0): { platform: PlatformSpec; environments: EnvironmentSpec[]; schemaLock: SchemaLock } {
  const services: Record<string, ServiceSpec> = {};
  const topics: Record<string, TopicSpec> = {};
  const kinds = ['http-api', 'kafka-worker', 'http-api', 'web-frontend', 'kafka-worker'] as const;
  for (let i = 0; i < count; i++) {
    const name = `svc-${String(i).padStart(4, '0')}`;
    const topic = `synthetic.topic-${Math.floor(i / 5)}`;
    topics[topic] ??= { description: `Topic of group ${Math.floor(i / 5)}`, owner: 'gamemetrics', schema: recordSchema };
    const kind = i % 50 === 49 ? 'cron-job' : kinds[i % kinds.length];
    services[name] = {
      description: `Synthetic service ${i}`,
      kind,
      image: `registry.gamemetrics.dev/synthetic/${name}`,
      resources: (['small', 'medium', 'large'] as const)[i % 3],
      ...(kind === 'cron-job' ? { schedule: '0 3 * * *' } : { scaling: i % 2 === 0 ? { autoscale: { minReplicas: 2, maxReplicas: 6 } } : { replicas: 2 } }),
      ...(kind !== 'cron-job' && i % 5 === 0 ? { produces: [topic as never] } : {}),
      ...(kind === 'kafka-worker' ? { consumes: [topic as never] } : {}),
      ...(i > 0 && kind !== 'cron-job' && (i - 1) % 50 !== 49 ? { calls: [`svc-${String(i - 1).padStart(4, '0')}` as never] } : {}),
      datastores: [{ name: 'redis' }],
      config: { FEATURE_FLAG: String(i % 2 === 0), ...(i === 0 && variant !== 0 ? { VARIANT: String(variant) } : {}) },
    } as ServiceSpec;
  }
  const spec = structuredClone(platform) as PlatformSpec;
  const big = { requests: { cpu: '100000', memory: '100000Gi' }, limits: { cpu: '400000', memory: '400000Gi' }, pods: 1_000_000 } as const;
  (spec as { tenants: unknown }).tenants = {
    gamemetrics: { ...spec.tenants.gamemetrics, quota: big, services, schemaRegistry: undefined },
    'geo-climate': { ...spec.tenants['geo-climate'], services: {} },
  };
  (spec as { topics: unknown }).topics = topics;
  // The real chaos experiments name real services and their SLOs, which the synthetic tenants do not have.
  spec.chaosExperiments = [];
  // Nor SLOs: their dashboards are built ahead by npm run dashboards for the real model only, so the SLO rules' component goes too.
  delete (spec.components as Record<string, unknown>)[SLO_RULES_COMPONENT];
  const images = Object.fromEntries(Object.keys(services).map((name, i) => [name, `sha256:${hex(i + 1)}`]));
  // No chaos either: the synthetic model has no experiments to run.
  // The real budgets price the real tenants: a synthetic tenant of N services has none.
  const envs = environments.map(({ chaos: _chaos, budgets: _budgets, ...env }) => ({ ...structuredClone(env), images, services: {}, topics: {}, quotas: {} }) as EnvironmentSpec);
  // Its topics' schemas, as accepted: the lock the render checks them against.
  const schemaLock = Object.fromEntries(Object.keys(topics).map((t) => [t, { version: 1, schema: recordSchema }]));
  return { platform: spec, environments: envs, schemaLock };
}
