import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_AUTOSCALE_BEHAVIOR } from './load/defaults.ts';
import { environments } from '../environments/index.ts';
import { loadModel, tryLoadModel } from '../render/sources.ts';
import { platform } from './platform.ts';
import { formatProblem, ModelError, type Problem } from './problems.ts';
import type { EnvironmentSpec, PlatformSpec } from './spec.ts';

const TODAY = '2026-11-22';

/** Load `env` from an edited copy of the model and return its problems as text. */
function problemsOf(edit: (spec: any, envs: any[]) => void, env = 'dev'): string[] {
  const spec = structuredClone(platform) as PlatformSpec;
  const envs = structuredClone(environments) as EnvironmentSpec[];
  edit(spec, envs);
  const result = tryLoadModel(env, { platform: spec, environments: envs, today: TODAY });
  return 'problems' in result ? result.problems.map(formatProblem) : [];
}

const gm = (spec: any) => spec.tenants.gamemetrics.services;

describe('the shipped model', () => {
  for (const env of ['dev', 'staging', 'prod']) {
    test(`${env} loads without problems`, () => {
      const model = loadModel(env, { today: TODAY });
      assert.equal(model.environment.name, env);
      assert.equal(model.services.length, 11);
    });
  }

  test('declares the nine GameMetrics services and the two Geo-Sentiment services', () => {
    const model = loadModel('dev', { today: TODAY });
    const byTenant = (t: string) => model.services.filter((s) => s.tenant === t).map((s) => s.name);
    assert.deepEqual(byTenant('gamemetrics'), ['admin-dashboard', 'analytics-api', 'data-retention', 'event-ingestion', 'event-processor', 'notification-service', 'recommendation-engine', 'schema-registry', 'user-service']);
    assert.deepEqual(byTenant('geo-climate'), ['model-training', 'prediction-api']);
    assert.equal(model.services.find((s) => s.name === 'data-retention')!.kind, 'cron-job');
  });

  test('dev is small: one broker, 2 partitions, replication 1, min.insync.replicas 1, HPA 1–3', () => {
    const model = loadModel('dev', { today: TODAY });
    assert.equal(model.environment.kafka.brokers, 1);
    // The Schema Registry's journal and snapshots are single-partition everywhere (one ordered log).
    for (const topic of model.topics) {
      assert.equal(topic.partitions, topic.purpose === 'internal' ? 1 : 2, topic.name);
      assert.equal(topic.replication, 1, topic.name);
      assert.equal(topic.minInsyncReplicas, 1, topic.name);
    }
    for (const service of model.services.filter((s) => s.scaling.mode === 'autoscale')) {
      // Requests per second only where the service sets it (prediction-api).
      const requestsPerSecond = service.name === 'prediction-api' ? 200 : null;
      assert.deepEqual(service.scaling, { mode: 'autoscale', minReplicas: 1, maxReplicas: 3, cpuUtilization: 70, memoryUtilization: 80, behavior: DEFAULT_AUTOSCALE_BEHAVIOR, requestsPerSecond });
    }
  });

  test('prod follows the production plan', () => {
    const model = loadModel('prod', { today: TODAY });
    const topic = (name: string) => model.topics.find((t) => t.name === name)!;
    assert.equal(model.environment.kafka.brokers, 3);
    assert.equal(model.environment.kafka.controllers, 3);
    assert.equal(topic('player.events.raw').partitions, 12);
    assert.equal(topic('player.events.processed').partitions, 6);
    assert.equal(topic('recommendations.generated').partitions, 6);
    for (const t of model.topics) {
      assert.equal(t.replication, 3);
      assert.equal(t.minInsyncReplicas, 2);
    }
    const service = (name: string) => model.services.find((s) => s.name === name)!;
    assert.deepEqual(service('event-ingestion').resources, { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2000m', memory: '2Gi' } });
    assert.deepEqual(service('event-processor').resources, { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2000m', memory: '4Gi' } });
    assert.deepEqual(service('recommendation-engine').resources, { requests: { cpu: '1000m', memory: '2Gi' }, limits: { cpu: '4000m', memory: '8Gi' } });
    assert.deepEqual(service('event-ingestion').scaling, { mode: 'autoscale', minReplicas: 3, maxReplicas: 20, cpuUtilization: 70, memoryUtilization: 80, behavior: DEFAULT_AUTOSCALE_BEHAVIOR, requestsPerSecond: null });
  });

  test('derives Kafka permissions from produces and consumes, dead-letter topics included', () => {
    const model = loadModel('dev', { today: TODAY });
    const processor = model.services.find((s) => s.name === 'event-processor')!;
    assert.deepEqual(processor.kafka, {
      user: 'event-processor',
      groupId: 'event-processor',
      groupPrefix: null,
      write: ['gdpr.deletion.requests.dlq', 'player.events.processed', 'player.events.raw.dlq'],
      read: ['gdpr.deletion.requests', 'player.events.raw'],
      transactionalIds: Array.from({ length: 16 }, (_, i) => `event-processor.tx-${i}`),
    });
    assert.equal(model.services.find((s) => s.name === 'analytics-api')!.kafka, null);
    const raw = model.topics.find((t) => t.name === 'player.events.raw')!;
    assert.deepEqual(raw.producers, ['event-ingestion']);
    assert.deepEqual(raw.consumers, ['event-processor']);
  });

  test('the loaded model is frozen', () => {
    const model = loadModel('dev', { today: TODAY });
    assert.throws(() => {
      (model.services[0] as { name: string }).name = 'changed';
    }, TypeError);
    assert.ok(Object.isFrozen(model.services[0].resources.requests));
  });

  test('loading does not freeze or change the spec it was given', () => {
    const spec = structuredClone(platform);
    loadModel('dev', { platform: spec, today: TODAY });
    assert.ok(!Object.isFrozen(spec.resourceProfiles.small));
    assert.deepEqual(spec, platform);
  });
});

describe('loader problems name the path, the value and the fix', () => {
  const cases: Array<[string, (spec: any, envs: any[]) => void, string[], string?]> = [
    ['a misspelt consumed topic', (s) => { gm(s)['event-processor'].consumes[0].topic = 'player.event.raw'; }, [
      `tenants.gamemetrics.services.event-processor.consumes[0].topic: unknown topic "player.event.raw" (did you mean "player.events.raw"?)`,
    ]],
    ['a misspelt called service', (s) => { gm(s)['admin-dashboard'].calls = ['analytics-apo']; }, [
      `tenants.gamemetrics.services.admin-dashboard.calls[0]: unknown service "analytics-apo" (did you mean "analytics-api"?)`,
    ]],
    ['a service declared by two tenants', (s) => { s.tenants['geo-climate'].services['user-service'] = structuredClone(gm(s)['user-service']); }, [
      `tenants.geo-climate.services.user-service: service "user-service" is also declared by tenant "gamemetrics" (service names are global: rename one of them)`,
    ]],
    ['a service consuming a topic nobody produces', (s) => { gm(s)['user-service'].produces = ['notifications.outbound']; }, [
      `tenants.gamemetrics.services.event-processor.consumes[1]: consumes "gdpr.deletion.requests", which no service produces (add "gdpr.deletion.requests" to a producer's produces, or remove this consume)`,
      `tenants.gamemetrics.services.recommendation-engine.consumes[1]: consumes "gdpr.deletion.requests", which no service produces (add "gdpr.deletion.requests" to a producer's produces, or remove this consume)`,
    ]],
    ['a cron service without a schedule', (s) => { delete gm(s)['data-retention'].schedule; }, [
      `tenants.gamemetrics.services.data-retention.schedule: a cron-job service needs a schedule (add schedule: '0 3 * * *' (minute hour day month weekday))`,
    ]],
    ['a malformed schedule', (s) => { gm(s)['data-retention'].schedule = 'nightly'; }, [
      `tenants.gamemetrics.services.data-retention.schedule: "nightly" has 1 field, not five (five fields: minute (0–59) hour (0–23) day-of-month (1–31) month (1–12) day-of-week (0–7), e.g. '0 3 * * *')`,
    ]],
    ['a schedule with a field out of range', (s) => { gm(s)['data-retention'].schedule = '0 27 * * *'; }, [
      `tenants.gamemetrics.services.data-retention.schedule: "0 27 * * *": hour 27 is outside 0–23 (five fields: minute (0–59) hour (0–23) day-of-month (1–31) month (1–12) day-of-week (0–7), e.g. '0 3 * * *')`,
    ]],
    ['HPA min greater than max in the model', (s) => { gm(s)['analytics-api'].scaling = { autoscale: { minReplicas: 9, maxReplicas: 8 } }; }, [
      `tenants.gamemetrics.services.analytics-api.scaling.autoscale: HPA minReplicas 9 is greater than maxReplicas 8 (raise maxReplicas or lower minReplicas)`,
    ]],
    ['an SLO objective of 100', (s) => { gm(s)['event-ingestion'].slos[0].objective = 100; }, [
      `tenants.gamemetrics.services.event-ingestion.slos[0].objective: objective 100 leaves no error budget (an objective is a percentage below 100, such as 99.9)`,
    ]],
    ['an SLO objective of 0', (s) => { gm(s)['event-ingestion'].slos[0].objective = 0; }, [
      `tenants.gamemetrics.services.event-ingestion.slos[0].objective: 0 is not a percentage in (0, 100] (a share of 100, e.g. 70)`,
    ]],
    ['an expired waiver', (s) => {
      s.policies.waivers = [{ rule: 'best-practices/replicas', target: 'admin-dashboard', reason: 'Single replica until the SSR cache is shared.', expires: '2026-01-31', approvedBy: 'platform-team' }];
    }, [
      `policies.waivers[0].expires: waiver of best-practices/replicas for admin-dashboard expired on 2026-01-31 (fix the finding and remove the waiver, or renew it with a new approval)`,
    ]],
    ['an unknown resource profile', (s) => { gm(s)['analytics-api'].resources = 'medum'; }, [
      `tenants.gamemetrics.services.analytics-api.resources: unknown resource profile "medum" (did you mean "medium"?)`,
    ]],
    ['replication above the broker count', (_s, envs) => { envs[0].topics = { 'player.events.raw': { replication: 3 } }; }, [
      `environments.dev.topics['player.events.raw'].replication: replication 3 is higher than the 1 broker(s) of dev (use at most 1)`,
    ]],
    ['a digest that is not sha256', (_s, envs) => { envs[0].images['analytics-api'] = 'latest'; }, [
      `environments.dev.images.analytics-api: "latest" is not a sha256 digest (expected sha256: followed by 64 lowercase hex digits)`,
    ]],
    ['a missing digest', (_s, envs) => { delete envs[0].images['analytics-api']; }, [
      `environments.dev.images.analytics-api: no image digest for service "analytics-api" (add 'analytics-api': 'sha256:…' to environments/dev/images.ts)`,
    ]],
    ['an image with a tag', (s) => { gm(s)['analytics-api'].image = 'registry.gamemetrics.dev/gamemetrics/analytics-api:1.2'; }, [
      `tenants.gamemetrics.services.analytics-api.image: image "registry.gamemetrics.dev/gamemetrics/analytics-api:1.2" carries a tag or digest (give the repository only; digests are pinned per environment in environments/<env>/images.ts)`,
    ]],
    ['an override for an unknown service', (_s, envs) => { envs[0].services = { 'analytic-api': { scaling: { replicas: 2 } } }; }, [
      `environments.dev.services.analytic-api: unknown service "analytic-api" (did you mean "analytics-api"?)`,
    ]],
    ['an external egress to an undeclared endpoint', (s) => { gm(s)['notification-service'].externalEgress = [{ external: 'notification channel webhook' }]; }, [
      `tenants.gamemetrics.services.notification-service.externalEgress[0].external: unknown external endpoint "notification channel webhook" (declare it in model/externals.ts ({ kind: 'ExternalEndpoint', name: 'notification channel webhook', reason: '…' }), or use one of: notification channel webhooks, transactional mail relay)`,
    ]],
    ['an external egress to an endpoint of other environments only', (s) => {
      s.externals.find((e: any) => e.name === 'notification channel webhooks').environments = ['prod'];
    }, [
      `tenants.gamemetrics.services.notification-service.externalEgress[0].external: external endpoint "notification channel webhooks" is not declared for dev (add 'dev' to its environments in model/externals.ts)`,
    ]],
    ['an external egress without ports', (s) => { gm(s)['notification-service'].externalEgress = [{ external: 'notification channel webhooks', ports: [] }]; }, [
      `tenants.gamemetrics.services.notification-service.externalEgress[0].ports: an external endpoint needs at least one port (list its TCP ports, or omit ports for 443)`,
      ]],
    ['two tenants on one PostgreSQL schema', (s) => { s.datastores.timescaledb.cluster.tenantSchemas = { 'geo-climate': 'gamemetrics' }; }, [
      `datastores.timescaledb.cluster.tenantSchemas.geo-climate: tenants gamemetrics and geo-climate would share schema "gamemetrics": each tenant's tables must be its own (give geo-climate another schema in tenantSchemas)`,
    ]],
    ['a tenant schema that is no SQL identifier', (s) => { s.datastores.timescaledb.cluster.tenantSchemas = { 'geo-climate': 'Geo-Climate' }; }, [
      `datastores.timescaledb.cluster.tenantSchemas.geo-climate: "Geo-Climate" (the schema of tenant geo-climate) is not a plain SQL identifier (use lowercase letters, digits and _)`,
    ]],
    ['a dead-letter topic that is not one', (s) => { gm(s)['event-processor'].consumes[0].deadLetter = 'player.events.processed'; }, [
      `tenants.gamemetrics.services.event-processor.consumes[0].deadLetter: topic "player.events.processed" is not a dead-letter topic (declare it with purpose: 'dead-letter')`,
    ]],
  ];

  for (const [name, edit, expected, env] of cases) {
    test(name, () => {
      const problems = problemsOf(edit, env);
      assert.deepEqual(problems, expected);
    });
  }

  test('HPA min greater than max in an environment is reported once, at the environment', () => {
    const problems = problemsOf((_s, envs) => { envs[2].autoscaling.minReplicas = 30; }, 'prod');
    assert.deepEqual(problems, ['environments.prod.autoscaling: HPA minReplicas 30 is greater than maxReplicas 20 (raise maxReplicas or lower minReplicas)']);
  });

  test('an environment-wide bound that conflicts with services is one problem at the environment, naming them', () => {
    // The quota is raised so that only the bound is wrong (without dev's maxReplicas the services reach their own).
    const problems = problemsOf((s, envs) => { envs[0].autoscaling = { minReplicas: 7 }; s.tenants.gamemetrics.quota.limits.cpu = '96'; });
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0], /^environments\.dev\.autoscaling\.minReplicas: environment-wide HPA minReplicas 7 leaves minReplicas above maxReplicas for .*prediction-api \(7 > 6\)/);
  });

  test('a wrong environment-wide value is reported once, at the environment, not at every service', () => {
    const problems = problemsOf((_s, envs) => { envs[2].autoscaling.cpuUtilization = 170; }, 'prod');
    assert.deepEqual(problems, ['environments.prod.autoscaling.cpuUtilization: 170 is not a percentage in (0, 100] (a share of 100, e.g. 70)']);
  });

  test('a quota too small for the services at maximum scale', () => {
    const problems = problemsOf((s) => { s.tenants['geo-climate'].quota.pods = 2; });
    const model = loadModel('dev', { today: TODAY });
    // A cron job runs one pod at a time.
    const pods = model.services.filter((s) => s.tenant === 'geo-climate')
      .reduce((sum, s) => sum + (s.kind === 'cron-job' ? 1 : s.scaling.mode === 'fixed' ? s.scaling.replicas : s.scaling.maxReplicas), 0);
    assert.ok(pods > 2);
    assert.deepEqual(problems, [`tenants.geo-climate.quota.pods: tenant "geo-climate", namespace "geo-climate": at maximum scale the services run ${pods} pods, more than the quota's 2 (raise the quota to at least ${pods} or lower maxReplicas)`]);
  });

  test('every problem is reported at once, not just the first', () => {
    const problems = problemsOf((s, envs) => {
      gm(s)['event-processor'].consumes[0].topic = 'player.event.raw';
      gm(s)['event-ingestion'].slos[0].objective = 120;
      delete gm(s)['data-retention'].schedule;
      envs[0].images['analytics-api'] = 'latest';
    });
    assert.equal(problems.length, 4, problems.join('\n'));
  });

  test('loadModel throws a ModelError carrying the problems', () => {
    const spec = structuredClone(platform) as any;
    gm(spec)['event-ingestion'].kind = 'http';
    assert.throws(() => loadModel('dev', { platform: spec, today: TODAY }), (error: unknown) => {
      assert.ok(error instanceof ModelError);
      const problem = (error as ModelError).problems[0] as Problem;
      assert.deepEqual(problem.path, ['tenants', 'gamemetrics', 'services', 'event-ingestion', 'kind']);
      assert.equal(problem.message, 'unknown kind "http"');
      assert.equal(problem.hint, 'expected one of: cron-job, http-api, kafka-worker, web-frontend');
      return true;
    });
  });

  test('an unknown environment is a problem with a suggestion', () => {
    const result = tryLoadModel('prd');
    assert.ok('problems' in result);
    assert.equal(formatProblem(result.problems[0]), `environments: no environment named "prd" (did you mean "prod"?)`);
  });
});
