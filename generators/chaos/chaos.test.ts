// Chaos experiments on the real model: staging renders one weekly Chaos Mesh Schedule per declared
// experiment, every committed scenario among them; each is asserted for its selector, its scope (one tenant's staging namespace), its duration
// and its SLO link. The loader refuses an experiment aimed at an environment without chaos (prod), and
// the strict schema rejects a malformed embedded experiment.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { stringify } from 'yaml';
import { environments } from '../../environments/index.ts';
import { platform } from '../../model/platform.ts';
import { ModelError } from '../../model/problems.ts';
import type { EnvironmentSpec, PlatformSpec } from '../../model/spec.ts';
import { parseDocs } from '../../policy-tests/lib/documents.ts';
import { type CompiledSchemas, loadSchemas } from '../../policy-tests/lib/schema/compile.ts';
import { validateDocument } from '../../policy-tests/lib/validate.ts';
import { loadModel } from '../../render/sources.ts';
import { selectorLabels } from '../core/labels.ts';
import { generate } from '../index.ts';
import { SCENARIO_ANNOTATION, SLO_ANNOTATION, chaosSchedules } from './chaos-schedules.ts';

const TODAY = '2026-11-30';
const staging = loadModel('staging', { today: TODAY });
const schedules = chaosSchedules({ model: staging }).map((f) => f.object as any);
const COMMITTED = ['pod-kill', 'network-latency', 'cpu-stress', 'memory-stress', 'disk-io', 'container-restart-loop', 'service-unavailable', 'database-failover'];
const experimentOf = (schedule: any) => schedule.spec[{ PodChaos: 'podChaos', NetworkChaos: 'networkChaos', StressChaos: 'stressChaos', IOChaos: 'ioChaos' }[schedule.spec.type as string]!];
const durationSeconds = (d: string) => Number(d.slice(0, -1)) * { s: 1, m: 60, h: 3600 }[d.at(-1)!]!;

describe('chaos experiments in staging', () => {
  test('every committed scenario is declared, each experiment a weekly Schedule in its own hour', () => {
    assert.deepEqual([...new Set(schedules.map((s) => s.metadata.annotations[SCENARIO_ANNOTATION]))].sort(), [...COMMITTED].sort());
    assert.equal(schedules.length, staging.chaosExperiments.length);
    const hours = schedules.map((s) => s.spec.schedule.split(' ')[1]);
    assert.equal(new Set(hours).size, schedules.length, 'no two experiments overlap');
    for (const s of schedules) {
      assert.match(s.spec.schedule, /^(\d+|\*\/5) \d+ \* \* 2$/, `${s.metadata.name} runs weekly on Tuesday`);
      assert.equal(s.spec.concurrencyPolicy, 'Forbid');
    }
  });

  for (const declared of staging.chaosExperiments) {
    const scenario = declared.scenario;
    test(`${declared.name}: selector, scope, duration and SLO link`, () => {
      const schedule = schedules.find((s) => s.metadata.name === declared.name)!;
      assert.equal(schedule.metadata.annotations[SCENARIO_ANNOTATION], scenario);
      const service = staging.services.find((s) => s.name === declared.service)!;
      const tenant = staging.tenants.find((t) => t.name === service.tenant)!;
      const experiment = experimentOf(schedule);
      // Scope: one namespace, by label; the service's own (a tenant's staging namespace), or for a failover its datastore's.
      if (scenario === 'database-failover') {
        const store = staging.datastores.find((d) => d.name === declared.datastore!.name)!;
        assert.ok(service.datastores.some((d) => d.name === store.name));
        assert.deepEqual(experiment.selector, { namespaces: [store.namespace], labelSelectors: { 'cnpg.io/cluster': store.name, 'cnpg.io/instanceRole': 'primary' } });
        assert.equal(experiment.mode, 'one', 'one primary is killed, a replica is promoted');
      } else {
        assert.deepEqual(experiment.selector.namespaces, [service.namespace]);
        assert.ok(tenant.namespaces.includes(service.namespace), `${service.namespace} is ${tenant.name}'s`);
        assert.deepEqual(experiment.selector.labelSelectors, selectorLabels(service));
        assert.deepEqual(Object.keys(experiment.selector), ['namespaces', 'labelSelectors'], 'no broader selector');
      }
      // Duration: the declared one on faults that last; kills are instantaneous.
      if (['pod-kill', 'container-restart-loop', 'database-failover'].includes(scenario)) assert.equal(experiment.duration, undefined);
      else {
        assert.equal(experiment.duration, declared.duration);
        assert.ok(durationSeconds(experiment.duration) <= 3600, 'within the hour before the next experiment');
      }
      // SLO link: the annotation names an SLO the model declares on the targeted service.
      const [t, s, slo] = schedule.metadata.annotations[SLO_ANNOTATION].split('/');
      assert.deepEqual([t, s], [tenant.name, service.name]);
      assert.ok(service.slos.some((x) => x.name === slo), `${service.name} declares SLO ${slo}`);
    });
  }

  test("the prediction API's checklist: pod failure, network chaos and resource stress", () => {
    const ofApi = staging.chaosExperiments.filter((e) => e.service === 'prediction-api').map((e) => e.scenario).sort();
    assert.deepEqual(ofApi, ['memory-stress', 'network-latency', 'pod-kill']);
  });

  test('the restart loop kills the container every five minutes through its hour', () => {
    const loop = schedules.find((s) => s.metadata.annotations[SCENARIO_ANNOTATION] === 'container-restart-loop')!;
    assert.match(loop.spec.schedule, /^\*\/5 /);
    assert.equal(experimentOf(loop).action, 'container-kill');
  });
});

describe('where chaos may run', () => {
  test('Chaos Mesh and the experiments are installed in staging only', () => {
    for (const env of ['dev', 'staging', 'prod']) {
      const files = generate(loadModel(env, { today: TODAY }));
      const chaos = files.filter((f) => f.object.apiVersion.startsWith('chaos-mesh.org/'));
      const app = files.find((f) => f.object.kind === 'Application' && f.object.metadata.name === `${env}-chaos-mesh`);
      assert.equal(chaos.length > 0, env === 'staging', env);
      assert.equal(app !== undefined, env === 'staging', env);
    }
  });

  test('an experiment aimed at prod is refused by the loader, naming it and the way out', () => {
    const spec = structuredClone(platform) as PlatformSpec;
    spec.chaosExperiments![0].environments = ['staging', 'prod'];
    assert.throws(() => loadModel('prod', { platform: spec, today: TODAY }), (error: unknown) => {
      assert.ok(error instanceof ModelError);
      assert.deepEqual(error.problems.map((p) => p.path.join('.')), ['chaosExperiments.0.environments']);
      assert.match(error.problems[0].message, /experiment "event-ingestion-pod-kill" targets prod, which does not allow chaos/);
      assert.match(error.problems[0].hint!, /declare chaos in environments\/prod\/index\.ts/);
      return true;
    });
  });

  test('an environment that allows chaos but runs no experiment is refused (Chaos Mesh would be installed for nothing)', () => {
    const spec = structuredClone(platform) as PlatformSpec;
    spec.chaosExperiments = [];
    assert.throws(() => loadModel('staging', { platform: spec, today: TODAY }), /staging allows chaos, but no experiment in model\/chaos\.ts lists it/);
  });

  test('an SLO the service does not declare is refused', () => {
    const spec = structuredClone(platform) as PlatformSpec;
    spec.chaosExperiments![1].slo = 'throughput';
    assert.throws(() => loadModel('staging', { platform: spec, today: TODAY }), /chaosExperiments\.1\.slo|no SLO "throughput"/);
  });

  test('allowing chaos in an environment is what admits it (values, not names)', () => {
    const envs = structuredClone(environments) as EnvironmentSpec[];
    envs.find((e) => e.name === 'dev')!.chaos = { schedule: '30 8 * * 4' };
    const spec = structuredClone(platform) as PlatformSpec;
    spec.chaosExperiments![0].environments = ['dev'];
    const dev = loadModel('dev', { platform: spec, environments: envs, today: TODAY });
    assert.deepEqual(dev.chaosExperiments.map((e) => [e.name, e.schedule]), [['event-ingestion-pod-kill', '30 8 * * 4']]);
  });
});

describe('strict Chaos Mesh schemas', () => {
  let schemas: CompiledSchemas;
  before(async () => {
    schemas = await loadSchemas();
  });
  const check = (object: unknown) => {
    const problems: string[] = [];
    const docs = parseDocs('chaos.yaml', stringify(object), problems);
    assert.deepEqual(problems, []);
    return docs.flatMap((d) => validateDocument(schemas, d, 34));
  };

  test('every rendered Schedule validates, embedded experiment included', () => {
    for (const s of schedules) assert.deepEqual(check(s), [], s.metadata.name);
  });

  test('a wrong field inside the embedded experiment is found at its path', () => {
    const latency = structuredClone(schedules.find((s) => s.spec.type === 'NetworkChaos'));
    latency.spec.networkChaos.delay.latenzy = '1s';
    assert.ok(check(latency).some((f) => f.path === 'spec.networkChaos.delay.latenzy'), JSON.stringify(check(latency)));
    const stress = structuredClone(schedules.find((s) => s.spec.type === 'StressChaos'));
    stress.spec.stressChaos.stressors.cpu.load = 180;
    assert.ok(check(stress).some((f) => f.path === 'spec.stressChaos.stressors.cpu.load'));
    const io = structuredClone(schedules.find((s) => s.spec.type === 'IOChaos'));
    delete io.spec.ioChaos.volumePath;
    assert.equal(check(io).length > 0, true);
  });
});
