// The review diff on real model changes: a throwaway git repository with this repository's sources,
// one typical model change per commit, each diffed against its parent, rendered in process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { SyntaxKind } from 'ts-morph';
import { objectAt, removeArrayElement, removeProperty, setProperty } from '../promote/object-literal.ts';
import { type FixtureRepo, fixtureRepo } from './fixture-repo.ts';
import { diffRefs, isEmpty } from './index.ts';
import { formatReport } from './output.ts';
import { parseQuantity } from './quantity.ts';
import type { DiffReport, ResourceChange } from './types.ts';

const ENVS = ['dev', 'staging', 'prod'];
let repo: FixtureRepo;
const commits: Record<string, string> = {};
const inThirtyDays = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

before(async () => {
  repo = await fixtureRepo();
  commits.start = repo.git('rev-parse', 'HEAD');
  commits.comment = repo.commit('a comment in the model', {
    'model/topics.ts': (s) => s.file.insertStatements(0, '// Reviewed by the platform team.'),
  });
  commits.scale = repo.commit('scale schema-registry in prod', {
    'environments/prod/index.ts': (s) => setProperty(s, 'prod', ['services', 'schema-registry'], '{ scaling: { replicas: 5 } }'),
  });
  commits.consumer = repo.commit('analytics-api consumes player.events.processed', {
    'model/tenants/gamemetrics.ts': (s) => setProperty(s, 'gamemetrics', ['services', 'analytics-api', 'consumes'], "['player.events.processed']"),
  });
  commits.waiver = repo.commit('waive best-practices/replicas for admin-dashboard in prod', {
    // Added in front of the waivers already declared, which stay as they are.
    'model/policies.ts': (s) => {
      const waivers = objectAt(s, 'policies', []).getPropertyOrThrow('waivers').asKindOrThrow(SyntaxKind.PropertyAssignment).getInitializerIfKindOrThrow(SyntaxKind.ArrayLiteralExpression);
      waivers.insertElement(0, `{ rule: 'best-practices/replicas', target: 'admin-dashboard', environments: ['prod'], ` +
        `reason: 'Single-writer dashboard until its sessions move to Redis.', expires: '${inThirtyDays}', approvedBy: 'platform-team' }`);
    },
  });
  commits.remove = repo.commit('remove model-training', {
    'model/names.ts': (s) => removeArrayElement(s, 'geoClimateServices', [], 'model-training'),
    'model/tenants/geo-climate.ts': (s) => removeProperty(s, 'geoClimate', ['services', 'model-training']),
    ...Object.fromEntries(ENVS.map((env) => [`environments/${env}/images.ts`, (s: Parameters<typeof removeProperty>[0]) => removeProperty(s, 'images', ['model-training'])])),
  });
  commits.config = repo.commit('notification-service logs at debug in dev', {
    'environments/dev/index.ts': (s) => setProperty(s, 'dev', ['services'], "{ 'notification-service': { config: { LOG_LEVEL: 'debug' } } }"),
  });
  commits.partitions = repo.commit('player.events.raw: 8 partitions in prod', {
    'environments/prod/index.ts': (s) => setProperty(s, 'prod', ['topics', 'player.events.raw', 'partitions'], '8'),
  });
});
after(() => repo?.remove());

const diffCommit = (name: string) => diffRefs({ repo: repo.dir, base: `${commits[name]}~1`, head: commits[name] });
/** prod's second region (docs/regions.md): its changes name it, and are checked apart from the primary's. */
const SECOND_REGION = ' in eu-central-1';
const inSecondRegion = (ref?: string) => ref?.endsWith(SECOND_REGION) ?? false;
/** `env status ref` of every change of the primary regions, sorted. */
const resources = (report: DiffReport) => report.changes.filter((c) => !inSecondRegion(c.ref)).map((c) => `${c.env} ${c.status} ${c.ref}`).sort();
/** The same, of prod's second region. */
const regional = (report: DiffReport) => report.changes.filter((c) => inSecondRegion(c.ref)).map((c) => `${c.env} ${c.status} ${c.ref}`).sort();
const flags = (report: DiffReport) => report.blastRadius.flags.filter((f) => !inSecondRegion(f.ref)).map((f) => `${f.category} ${f.env}${f.ref ? ` ${f.ref}` : ''}`).sort();
const change = (report: DiffReport, env: string, ref: string): ResourceChange => {
  const found = report.changes.find((c) => c.env === env && c.ref === ref);
  assert.ok(found, `no change to ${ref} in ${env}; changes: ${resources(report).join(', ')}`);
  return found;
};

describe('diff of an unchanged model', () => {
  it('is empty between a commit and itself', async () => {
    const report = await diffRefs({ repo: repo.dir, base: commits.start, head: commits.start });
    assert.ok(isEmpty(report));
    assert.deepEqual(report.changes, []);
    assert.deepEqual(report.blastRadius.flags, []);
    assert.deepEqual(report.summary.map((s) => [s.env, s.added, s.changed, s.removed]), ENVS.map((env) => [env, 0, 0, 0]));
    assert.deepEqual(report.notes, [], 'the fixture commits up-to-date rendered/, so nothing is stale');
  });

  it('is empty when only a comment changes (the model, not its text, is compared)', async () => {
    const report = await diffCommit('comment');
    assert.ok(isEmpty(report));
  });

  it('is empty for a working tree equal to the base', async () => {
    repo.git('checkout', '-q', commits.start);
    try {
      const report = await diffRefs({ repo: repo.dir, base: commits.start });
      assert.equal(report.head, 'working tree');
      assert.ok(isEmpty(report));
    } finally {
      repo.git('checkout', '-q', 'main');
    }
  });
});

describe('diff of typical model changes, one per commit', () => {
  it('scale a service: one field of one Deployment in prod, flagged production and capacity', async () => {
    const report = await diffCommit('scale');
    assert.deepEqual(resources(report), ['prod changed Deployment gamemetrics/schema-registry']);
    assert.deepEqual(regional(report), ['prod changed Deployment gamemetrics/schema-registry in eu-central-1'], 'both regions run prod\'s sizes');
    assert.equal(change(report, 'prod', 'Deployment gamemetrics/schema-registry in eu-central-1').application, 'prod-eu-central-1-gamemetrics');
    const deployment = change(report, 'prod', 'Deployment gamemetrics/schema-registry');
    assert.equal(deployment.application, 'prod-gamemetrics');
    assert.deepEqual(deployment.fields, [{ path: 'spec.replicas', op: 'changed', old: 2, new: 5 }]);
    assert.deepEqual(flags(report), ['capacity prod', 'prod prod']);
    assert.deepEqual(report.blastRadius.environments, ['prod']);
    assert.deepEqual(report.blastRadius.tenants, ['gamemetrics']);
    assert.deepEqual(report.blastRadius.services, ['schema-registry']);
    assert.deepEqual(report.blastRadius.restarts, [], 'replicas are not the pod template: no pod is replaced');
    // Capacity: three more pods of the container's requests, in each of prod's two regions.
    const rendered = parse(repo.read('rendered/prod/tenants/gamemetrics/gamemetrics/deployment-schema-registry.yaml'));
    const requests = rendered.spec.template.spec.containers[0].resources.requests;
    const [capacity] = report.blastRadius.capacity;
    assert.equal(capacity.env, 'prod');
    assert.equal(capacity.after.cpu - capacity.before.cpu, 2 * 3 * parseQuantity(requests.cpu)! * 1000);
    assert.equal(capacity.after.memory - capacity.before.memory, 2 * 3 * parseQuantity(requests.memory)!);
    assert.match(report.notes.join('\n'), /rendered\/ is stale .*deployment-schema-registry\.yaml/, 'the commit did not re-render: the diff says so');
  });

  it('add a topic consumer: the service gets a Kafka user, credentials, config and egress in every environment', async () => {
    const report = await diffCommit('consumer');
    for (const env of ENVS) {
      const own = report.changes.filter((c) => c.env === env && c.service === 'analytics-api' && !inSecondRegion(c.ref)).map((c) => `${c.status} ${c.ref}`).sort();
      assert.deepEqual(own, [
        'added KafkaUser gamemetrics/analytics-api',
        'changed ConfigMap gamemetrics/analytics-api-config',
        'changed NetworkPolicy gamemetrics/analytics-api',
        // analytics-api is delivered progressively: a Rollout runs its pods.
        'changed Rollout gamemetrics/analytics-api',
      ], env);
      // Everything else that changes belongs to the Kafka platform component (listener peers, exporter, mirroring),
      // but the Kafka alerts: the new consumer group gets its lag alert.
      const others = report.changes.filter((c) => c.env === env && c.service !== 'analytics-api' && !inSecondRegion(c.ref));
      assert.deepEqual(others.filter((c) => c.application !== `${env}-kafka`).map((c) => c.ref), ['PrometheusRule monitoring/platform-alerts-kafka'], env);
      assert.deepEqual(change(report, env, 'Rollout gamemetrics/analytics-api').fields.map((f) => `${f.op} ${f.path}`),
        [
          'changed spec.template.metadata.annotations["gamemetrics.dev/config-hash"]',
          'added spec.template.spec.containers[name=analytics-api].env[name=KAFKA_PASSWORD]',
          'added spec.template.spec.containers[name=analytics-api].volumeMounts[mountPath=/etc/kafka-ca]',
          'added spec.template.spec.volumes[name=kafka-cluster-ca]',
        ]);
      const config = change(report, env, 'ConfigMap gamemetrics/analytics-api-config').fields;
      assert.ok(config.every((f) => f.op === 'added' && f.path.startsWith('data.KAFKA_')), JSON.stringify(config));
      assert.deepEqual(config.find((f) => f.path === 'data.KAFKA_GROUP_ID')?.new, 'analytics-api');
      assert.ok(change(report, env, 'NetworkPolicy gamemetrics/analytics-api').fields.every((f) => f.path.startsWith('spec.egress')));
      assert.deepEqual(report.blastRadius.restarts.filter((r) => r.env === env && !inSecondRegion(r.ref)), [{
        env, ref: 'Rollout gamemetrics/analytics-api',
        reason: 'configuration changed (ConfigMap analytics-api-config); pod template changed (spec.containers[name=analytics-api].env[name=KAFKA_PASSWORD], spec.containers[name=analytics-api].volumeMounts[mountPath=/etc/kafka-ca], spec.volumes[name=kafka-cluster-ca])',
      }]);
      const envFlags = report.blastRadius.flags.filter((f) => f.env === env && f.ref?.endsWith('/analytics-api'));
      assert.deepEqual(envFlags.map((f) => `${f.category} ${f.ref}`).sort(), ['security KafkaUser gamemetrics/analytics-api', 'security NetworkPolicy gamemetrics/analytics-api']);
      assert.match(envFlags.find((f) => f.ref!.startsWith('KafkaUser'))!.reason, /Read, Describe on topic player\.events\.processed; Read on group analytics-api/);
    }
    assert.deepEqual(report.blastRadius.flags.filter((f) => f.category === 'destructive' || f.category === 'capacity'), []);
    assert.deepEqual(report.blastRadius.flags.filter((f) => f.category === 'prod').map((f) => f.env), ['prod']);
  });

  it('waive a rule: nothing rendered changes, the waiver is flagged security-relevant in prod', async () => {
    const report = await diffCommit('waiver');
    assert.deepEqual(report.changes, []);
    assert.deepEqual(flags(report), ['prod prod', 'security prod']);
    const waiver = report.blastRadius.flags.find((f) => f.category === 'security')!;
    assert.match(waiver.reason, new RegExp(`^waiver added: best-practices/replicas for admin-dashboard \\(expires ${inThirtyDays}, approved by platform-team`));
    assert.deepEqual(report.blastRadius.environments, ['prod']);
  });

  it('remove a service: its objects are removed in every environment, and its tenant project no longer admits CronJobs', async () => {
    const report = await diffCommit('remove');
    assert.deepEqual(resources(report), ENVS.flatMap((env) => [
      `${env} changed AppProject argocd/${env}-geo-climate`,
      // Its generated MinIO credential and the rule copying it into geo-climate go with it.
      `${env} changed ClusterPolicy copy-secrets`,
      // model-training was a MinIO client: its MinIO user leaves the chart's values.
      `${env} changed Application argocd/${env}-minio`,
      // ... and MinIO's NetworkPolicy and AuthorizationPolicy no longer admit it.
      `${env} changed NetworkPolicy data/minio`,
      `${env} changed AuthorizationPolicy data/minio`,
      `${env} removed ConfigMap geo-climate/model-training-config`,
      `${env} removed CronJob geo-climate/model-training`,
      `${env} removed ExternalSecret data/model-training-minio`,
      `${env} removed NetworkPolicy geo-climate/model-training`,
      `${env} removed ServiceAccount geo-climate/model-training`,
      `${env} removed VerticalPodAutoscaler geo-climate/model-training`,
    ]).sort());
    for (const env of ENVS) {
      // Where CronJob stands in the project's list before the change (the committed render).
      const project = parse(readFileSync(join(import.meta.dirname, '../../rendered', env, 'apps', `appproject-${env}-geo-climate.yaml`), 'utf8'));
      const at = project.spec.namespaceResourceWhitelist.findIndex((k: { kind: string }) => k.kind === 'CronJob');
      assert.ok(at >= 0);
      assert.deepEqual(change(report, env, `AppProject argocd/${env}-geo-climate`).fields,
        [{ path: `spec.namespaceResourceWhitelist[${at}]`, op: 'removed', old: { group: 'batch', kind: 'CronJob' } }]);
    }
    assert.deepEqual(flags(report), [
      'prod prod',
      ...ENVS.flatMap((env) => [`security ${env} AppProject argocd/${env}-geo-climate`, `security ${env} AuthorizationPolicy data/minio`, `security ${env} ClusterPolicy copy-secrets`, `security ${env} NetworkPolicy data/minio`, `security ${env} NetworkPolicy geo-climate/model-training`]),
    ].sort());
    assert.deepEqual(report.blastRadius.services, ['model-training']);
    assert.deepEqual(report.blastRadius.tenants, ['geo-climate']);
  });

  it('change a service\'s configuration: its ConfigMap and its config hash change, and the diff names the one workload it restarts', async () => {
    const report = await diffCommit('config');
    assert.deepEqual(resources(report), ['dev changed ConfigMap gamemetrics/notification-service-config', 'dev changed Deployment gamemetrics/notification-service']);
    const deployment = change(report, 'dev', 'Deployment gamemetrics/notification-service');
    assert.deepEqual(deployment.fields.map((f) => f.path), ['spec.template.metadata.annotations["gamemetrics.dev/config-hash"]']);
    assert.deepEqual(report.blastRadius.restarts, [{ env: 'dev', ref: 'Deployment gamemetrics/notification-service', reason: 'configuration changed (ConfigMap notification-service-config)' }]);
    assert.match(formatReport(report, 'text'), /restarts \(the sync replaces their pods\):\n {4}dev Deployment gamemetrics\/notification-service: configuration changed \(ConfigMap notification-service-config\)/);
    assert.match(formatReport(report, 'markdown'), /- \*\*Restarts\*\* \(the sync replaces their pods\):\n {2}- dev `Deployment gamemetrics\/notification-service`: configuration changed \(ConfigMap notification-service-config\)/);
  });

  it('lower a topic’s partitions: one field in prod, flagged destructive with the reason', async () => {
    const report = await diffCommit('partitions');
    assert.deepEqual(resources(report), ['prod changed KafkaTopic kafka/player.events.raw']);
    assert.deepEqual(regional(report), ['prod changed KafkaTopic kafka/player.events.raw in eu-central-1']);
    assert.deepEqual(change(report, 'prod', 'KafkaTopic kafka/player.events.raw').fields, [{ path: 'spec.partitions', op: 'changed', old: 12, new: 8 }]);
    assert.deepEqual(flags(report), ['destructive prod KafkaTopic kafka/player.events.raw', 'prod prod']);
    assert.match(report.blastRadius.flags.find((f) => f.category === 'destructive')!.reason, /fewer partitions \(12 → 8\): Kafka cannot remove partitions/);
  });

  it('raising partitions is not destructive', async () => {
    const report = await diffRefs({ repo: repo.dir, base: commits.partitions, head: `${commits.partitions}~1` });
    assert.deepEqual(flags(report), ['prod prod']);
  });

  it('names a ref that does not exist, with how to get it', async () => {
    await assert.rejects(diffRefs({ repo: repo.dir, base: 'origin/no-such-branch' }), /"origin\/no-such-branch" is not a commit .*git fetch origin no-such-branch/);
  });
});

describe('npm run diff (the command, run in the repository)', () => {
  const run = (args: string[]) => spawnSync(process.execPath, ['scripts/diff.ts', ...args], { cwd: repo.dir, encoding: 'utf8' });

  it('prints JSON for tools, and writes one file per PR comment with --out-dir', () => {
    const json = run(['--base', `${commits.partitions}~1`, '--head', commits.partitions, '--format', 'json']);
    assert.equal(json.status, 0, json.stderr);
    assert.deepEqual((JSON.parse(json.stdout) as DiffReport).changes.map((c) => c.ref).sort(), ['KafkaTopic kafka/player.events.raw', 'KafkaTopic kafka/player.events.raw in eu-central-1']);
    const dir = join(repo.dir, 'comments');
    const markdown = run(['--base', `${commits.partitions}~1`, '--head', commits.partitions, '--format', 'markdown', '--out-dir', dir]);
    assert.equal(markdown.status, 0, markdown.stderr);
    assert.deepEqual(readdirSync(dir), ['comment-1.md']);
    assert.match(readFileSync(join(dir, 'comment-1.md'), 'utf8'), /^<!-- gamemetrics-diff part 1\/1 -->\n## Rendered diff/);
  });

  it('exits 2 listing every usage problem, a ref git does not know included', () => {
    const usage = run(['--format', 'yaml']);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /--base is required[\s\S]*unknown --format "yaml"/);
    const missing = run(['--base', 'no-such-ref']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^diff: "no-such-ref" is not a commit[^\n]*\n\nUsage: npm run diff/);
  });
});
