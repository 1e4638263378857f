// Kafka model checks (model/checks/kafka.ts and the loader's own), each with a passing and a failing model.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { environments } from '../../environments/index.ts';
import { tryLoadModel } from '../../render/sources.ts';
import { platform } from '../platform.ts';
import { formatProblem, type Problem } from '../problems.ts';
import type { EnvironmentSpec, PlatformSpec, ServiceSpec } from '../spec.ts';

const TODAY = '2026-11-22';
type Services = Record<string, ServiceSpec>;

function load(env: string, edit: (platform: PlatformSpec, envs: EnvironmentSpec[]) => void = () => undefined): Problem[] {
  const copy = structuredClone(platform) as PlatformSpec;
  const envs = structuredClone(environments) as EnvironmentSpec[];
  edit(copy, envs);
  const result = tryLoadModel(env, { platform: copy, environments: envs, today: TODAY });
  return 'problems' in result ? result.problems : [];
}
const services = (p: PlatformSpec, tenant: 'gamemetrics' | 'geo-climate') => p.tenants[tenant].services as Services;
const messages = (problems: Problem[]) => problems.map(formatProblem);

describe('Kafka model checks', () => {
  test('the declared model passes in every environment', () => {
    for (const env of environments) assert.deepEqual(messages(load(env.name)), [], env.name);
  });

  test('KafkaUsers in more than one namespace are refused, naming the service and the namespaces', () => {
    const problems = load('dev', (p) => {
      p.tenants['geo-climate'].services['prediction-api'].consumes = ['player.events.processed'];
    });
    assert.equal(problems.length, 1);
    assert.deepEqual(problems[0].path, ['tenants', 'geo-climate', 'services', 'prediction-api', 'namespace']);
    assert.match(problems[0].message, /must all be in one namespace/);
    assert.match(problems[0].message, /gamemetrics \(event-ingestion, .*\); geo-climate \(prediction-api\)/);
    assert.match(problems[0].hint!, /namespace "gamemetrics"/);
  });

  test('a transactional id shared by two services is refused', () => {
    const problems = load('dev', (p) => {
      services(p, 'gamemetrics')['event-processor'].transactionalIds = ['shared.tx'];
      services(p, 'gamemetrics')['user-service'].transactionalIds = ['shared.tx'];
    });
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /also declared by "event-processor"/);
    assert.deepEqual(problems[0].path, ['tenants', 'gamemetrics', 'services', 'user-service', 'transactionalIds', 0]);
    assert.deepEqual(load('dev', (p) => { services(p, 'gamemetrics')['event-processor'].transactionalIds = ['event-processor.tx']; }), []);
  });

  test('topics whose KafkaTopic names would collide are refused', () => {
    const problems = load('dev', (p) => {
      const topics = p.topics as Record<string, PlatformSpec['topics'][keyof PlatformSpec['topics']]>;
      // A dead-letter topic: no schema (and no lock entry) needed, so the loader gets to the check.
      topics['Player.Events.Raw'] = { description: 'x', owner: 'gamemetrics', purpose: 'dead-letter' };
    });
    assert.ok(problems.some((pr) => /would both be KafkaTopic "player.events.raw"/.test(pr.message)), messages(problems).join('\n'));
  });

  test("a topic replicated less than the environment's min.insync.replicas is refused", () => {
    const problems = load('prod', (p) => { p.topics['notifications.outbound'].replication = 1; });
    assert.equal(problems.length, 1);
    assert.deepEqual(problems[0].path, ['topics', 'notifications.outbound', 'replication']);
    assert.match(problems[0].message, /replication 1 is below prod's min.insync.replicas 2/);
  });

  test('replication above the broker count and min.insync.replicas above replication are loader errors', () => {
    const tooMany = load('dev', (p) => { p.topics['player.events.raw'].replication = 3; });
    assert.ok(tooMany.some((pr) => pr.message === 'replication 3 is higher than the 1 broker(s) of dev'), messages(tooMany).join('\n'));
    const minIsr = load('staging', (_, envs) => { envs.find((e) => e.name === 'staging')!.kafka.minInsyncReplicas = 4; });
    assert.ok(minIsr.some((pr) => /min.insync.replicas 4 is higher than replication 3/.test(pr.message)));
    const partitions = load('dev', (p) => { p.topics['player.events.raw'].partitions = 0; });
    assert.ok(partitions.some((pr) => pr.path.join('.') === 'topics.player.events.raw.partitions' && /positive integer/.test(pr.message)));
  });

  test('an even number of dedicated KRaft controllers is refused', () => {
    const problems = load('prod', (_, envs) => { envs.find((e) => e.name === 'prod')!.kafka.controllers = 4; });
    assert.deepEqual(problems.map((p) => p.path), [['environments', 'prod', 'kafka', 'controllers']]);
    assert.match(problems[0].hint!, /use 3 or 5/);
  });

  test('the disaster-recovery cluster needs a distinct alias and host:port bootstrap servers', () => {
    const problems = load('prod', (_, envs) => {
      const prod = envs.find((e) => e.name === 'prod')!;
      // An external DR cluster belongs to a single-region environment (further regions mirror each other).
      delete prod.regions;
      prod.kafka.disasterRecovery = { clusterAlias: 'gamemetrics', bootstrapServers: 'dr.example' };
    });
    assert.deepEqual(problems.map((p) => p.path.at(-1)).sort(), ['bootstrapServers', 'clusterAlias']);
  });

  test('broker storage must be a size, and the kafka component must exist in the cluster namespace', () => {
    assert.ok(load('dev', (_, envs) => { envs[0].kafka.storage = 'lots' as never; }).some((p) => p.path.at(-1) === 'storage'));
    const missing = load('dev', (p) => { delete (p.components as Record<string, unknown>).kafka; });
    assert.ok(missing.some((p) => /no "kafka" component/.test(p.message)));
    const moved = load('dev', (p) => { p.components.kafka.namespace = 'streaming'; });
    assert.ok(moved.some((p) => p.path.join('.') === 'components.kafka.namespace'));
  });
});
