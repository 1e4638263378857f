// Multi-region prod (issue #16), on the real model rendered in memory: the root ApplicationSet and its cluster
// generator, each region's Applications and tree, the per-region differences, MirrorMaker 2 following the declared
// regions, single-region output without the second region, model errors for wrong regions, strict schema
// validation of the ApplicationSet and the policy rule on the rendered tree.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { environments } from '../../environments/index.ts';
import { locateProblems } from '../../model/locate.ts';
import type { Problem } from '../../model/problems.ts';
import type { EnvironmentSpec } from '../../model/spec.ts';
import { parseDocs } from '../../policy-tests/lib/documents.ts';
import { runPolicy } from '../../policy-tests/lib/engine.ts';
import { validateDocuments } from '../../policy-tests/lib/validate.ts';
import { CATALOG } from '../../policy-tests/rules/index.ts';
import { renderEnvironment } from '../../render/render.ts';
import { loadModel, tryLoadModel } from '../../render/sources.ts';
import type { KubeObject } from '../core/types.ts';

const REPO = join(import.meta.dirname, '..', '..');
const TODAY = '2026-11-30';
const prodSpec = environments.find((e) => e.name === 'prod')!;
const second = prodSpec.regions![0];

/** prod's environments with the prod spec edited. */
function withProd(edit: (prod: EnvironmentSpec) => void): EnvironmentSpec[] {
  const envs = structuredClone(environments) as EnvironmentSpec[];
  edit(envs.find((e) => e.name === 'prod')!);
  return envs;
}

type Obj = KubeObject & { spec?: any; data?: any };
const rendered = renderEnvironment(loadModel('prod', { today: TODAY }));
const at = (path: string) => {
  const object = rendered.objects.get(path);
  assert.ok(object, `${path} is rendered`);
  return object as Obj;
};
const underFolder = (folder: string, kind: string) =>
  [...rendered.objects].filter(([p, o]) => p.startsWith(folder) && o.kind === kind && (folder !== '' || !p.startsWith('regions/'))).map(([, o]) => o as Obj);
const REGION = `regions/${second.cluster.region}/`;

describe('multi-region prod: the root ApplicationSet', () => {
  const set = at('bootstrap/applicationset-prod-root.yaml');
  const merge = set.spec.generators[0].merge;

  test('replaces the root Application: one per registered and declared cluster, in the primary Argo CD', () => {
    assert.equal(rendered.objects.has('bootstrap/application-prod-root.yaml'), false);
    assert.equal(set.metadata.namespace, 'argocd');
    assert.equal(set.spec.goTemplate, true);
    assert.deepEqual(set.spec.goTemplateOptions, ['missingkey=error']);
    assert.equal(set.spec.template.spec.project, 'prod-bootstrap');
    assert.deepEqual(set.spec.template.spec.destination, { server: 'https://kubernetes.default.svc', namespace: 'argocd' });
    assert.equal(set.spec.template.spec.source.path, '{{ .appsPath }}');
    assert.equal(set.spec.template.metadata.name, 'prod-{{ .name }}-root');
    assert.deepEqual(set.spec.syncPolicy, { preserveResourcesOnDeletion: true });
  });

  test('its cluster generator selects exactly the declared clusters by label, merged by name with their apps folders', () => {
    assert.deepEqual(merge.mergeKeys, ['name']);
    const [clusters, list] = merge.generators;
    assert.deepEqual(clusters.clusters.selector, {
      matchLabels: { 'gamemetrics.dev/environment': 'prod' },
      matchExpressions: [{ key: 'gamemetrics.dev/cluster', operator: 'In', values: [prodSpec.cluster.name, second.cluster.name] }],
    });
    assert.deepEqual(list.list.elements, [
      { name: prodSpec.cluster.name, appsPath: 'rendered/prod/apps' },
      { name: second.cluster.name, appsPath: `rendered/prod/${REGION}apps` },
    ]);
    // Each folder holds that region's Applications.
    for (const { appsPath } of list.list.elements) assert.ok([...rendered.files.keys()].some((p) => `rendered/prod/${p}`.startsWith(`${appsPath}/application-`)), appsPath);
  });

  test('each region\'s Applications deploy to its own cluster from its own tree, under names of their own', () => {
    const primaryApps = underFolder('apps/', 'Application');
    const secondApps = underFolder(`${REGION}apps/`, 'Application');
    assert.ok(primaryApps.length > 10);
    assert.equal(secondApps.length, primaryApps.length);
    for (const app of primaryApps) {
      assert.equal(app.spec.destination.server, prodSpec.cluster.server);
      if (app.spec.source.path) assert.doesNotMatch(app.spec.source.path, /regions\//);
    }
    for (const app of secondApps) {
      assert.equal(app.spec.destination.server, second.cluster.server, app.metadata.name);
      assert.match(app.metadata.name, /^prod-eu-central-1-/);
      assert.ok(app.spec.project.startsWith('prod-eu-central-1-'), app.spec.project);
      if (app.spec.source.path) assert.ok(app.spec.source.path.startsWith(`rendered/prod/${REGION}`), app.spec.source.path);
    }
    for (const project of underFolder(`${REGION}apps/`, 'AppProject')) {
      for (const d of project.spec.destinations) assert.equal(d.server, second.cluster.server);
    }
    const names = [...primaryApps, ...secondApps].map((a) => a.metadata.name);
    assert.equal(new Set(names).size, names.length, 'Application names are unique in the one Argo CD');
  });

  test('Argo CD\'s own configuration is the primary region\'s only; every cluster gets its audit policy', () => {
    assert.ok(rendered.objects.has('bootstrap/configmap-argocd-cm.yaml'));
    assert.ok(rendered.objects.has('bootstrap/configmap-argocd-rbac-cm.yaml'));
    const secondBootstrap = [...rendered.objects.keys()].filter((p) => p.startsWith(`${REGION}bootstrap/`));
    assert.deepEqual(secondBootstrap, [`${REGION}bootstrap/audit-policy.yaml`]);
    assert.equal(at(`${REGION}bootstrap/audit-policy.yaml`).metadata.name, `${second.cluster.name}-audit`);
    assert.equal(at('bootstrap/audit-policy.yaml').metadata.name, `${prodSpec.cluster.name}-audit`);
  });
});

describe('multi-region prod: what differs per region', () => {
  test('the secret store reads the region\'s AWS Secrets Manager with the region\'s role', () => {
    const aws = (o: Obj) => o.spec.provider.aws;
    const primary = aws(at('platform/secrets/clustersecretstore-aws-secrets-manager.yaml'));
    const other = aws(at(`${REGION}platform/secrets/clustersecretstore-aws-secrets-manager.yaml`));
    assert.equal(primary.region, prodSpec.cluster.region);
    assert.equal(other.region, second.cluster.region);
    const role = (folder: string) => at(`${folder}platform/secrets/external-secrets/serviceaccount-external-secrets-aws.yaml`).metadata.annotations!['eks.amazonaws.com/role-arn'];
    assert.equal(role(''), prodSpec.secretStore.roleArn);
    assert.equal(role(REGION), second.secretStore.roleArn);
  });

  test('Velero backs each region up into its own bucket with its own role, on the environment\'s schedules', () => {
    const veleroRole = (folder: string) => at(`${folder}apps/application-${folder ? 'prod-eu-central-1' : 'prod'}-velero.yaml`).spec.source.helm.valuesObject.serviceAccount.server.annotations['eks.amazonaws.com/role-arn'];
    assert.equal(veleroRole(''), prodSpec.backups.roleArn);
    assert.equal(veleroRole(REGION), second.backups.roleArn);
    const location = (folder: string) => underFolder(folder, 'BackupStorageLocation')[0];
    assert.equal(location('').spec.objectStorage.bucket, prodSpec.backups.bucket);
    assert.equal(location(REGION).spec.objectStorage.bucket, second.backups.bucket);
    assert.equal(location(REGION).spec.objectStorage.prefix, second.cluster.name);
    assert.equal(location(REGION).spec.config.region, second.backups.region);
    const schedules = (folder: string) => underFolder(folder, 'Schedule').filter((s) => String(s.apiVersion).startsWith('velero.io/')).map((s) => [s.metadata.name, s.spec.schedule, s.spec.template.ttl]).sort();
    assert.deepEqual(schedules(REGION), schedules(''));
  });

  test('both regions alert alike: the same PrometheusRules and dashboards (the alert docs and promtool tests read the primary\'s)', () => {
    const of = (folder: string) => [...rendered.objects].filter(([p, o]) => p.startsWith(folder) && (o.kind === 'PrometheusRule' || /configmap-dashboard-/.test(p))).map(([p, o]): [string, KubeObject] => [p.slice(folder.length), o]);
    const primary = of('').filter(([p]) => !p.startsWith('regions/'));
    assert.ok(primary.length > 10);
    assert.deepEqual(of(REGION), primary);
  });

  test('the same release runs in both regions: identical tenant workloads', () => {
    const workloads = (folder: string) => [...rendered.objects].filter(([p]) => p.startsWith(`${folder}tenants/`) && /\/(deployment|rollout|cronjob)-/.test(p)).map(([p, o]): [string, KubeObject] => [p.slice(folder.length), o]);
    assert.ok(workloads('').length > 5);
    assert.deepEqual(workloads(REGION), workloads('').filter(([p]) => !p.startsWith('regions/')));
  });
});

describe('multi-region prod: Kafka DR follows the regions', () => {
  const primaryKafka = at('platform/kafka/kafka/kafka-gamemetrics.yaml');
  const secondKafka = at(`${REGION}platform/kafka/kafka/kafka-gamemetrics.yaml`);
  const mirrors = (folder: string) => underFolder(folder, 'KafkaMirrorMaker2');

  test('MirrorMaker 2 runs in the second region only, pulling from the primary\'s inter-region listener into its own Kafka', () => {
    assert.deepEqual(mirrors(''), []);
    const [mirror] = mirrors(REGION);
    assert.equal(mirror.metadata.name, `${prodSpec.cluster.name}-to-${second.cluster.name}`);
    const source = mirror.spec.mirrors[0].source;
    assert.equal(source.alias, second.kafka.mirrorFrom);
    const listener = primaryKafka.spec.kafka.listeners.find((l: any) => l.name === 'regions');
    assert.ok(listener, 'the primary opens its inter-region listener');
    assert.equal(listener.type, 'loadbalancer');
    assert.equal(listener.tls, true);
    assert.deepEqual(listener.authentication, { type: 'scram-sha-512' });
    assert.equal(source.bootstrapServers, `${listener.configuration.bootstrap.alternativeNames[0]}:${listener.port}`);
    assert.equal(mirror.spec.target.alias, second.cluster.name);
    assert.equal(mirror.spec.target.bootstrapServers, 'gamemetrics-kafka-bootstrap.kafka.svc:9093');
    assert.equal(secondKafka.spec.kafka.listeners.some((l: any) => l.name === 'regions'), false, 'nobody mirrors from the second region');
  });

  test('its credentials resolve: the primary\'s CA and mirror password from the secret store, its own user locally', () => {
    const [mirror] = mirrors(REGION);
    const source = mirror.spec.mirrors[0].source;
    const externalSecret = (name: string) => underFolder(REGION, 'ExternalSecret').find((e) => (e.spec.target?.name ?? e.metadata.name) === name);
    assert.ok(externalSecret(source.tls.trustedCertificates[0].secretName), 'the primary\'s CA is an ExternalSecret');
    assert.ok(externalSecret(source.authentication.passwordSecret.secretName), 'the mirror user\'s password on the primary is an ExternalSecret');
    const users = (folder: string) => underFolder(folder, 'KafkaUser').filter((u) => u.metadata.name === 'gamemetrics-mirror-maker-2');
    const [local] = users(REGION);
    assert.deepEqual(local.spec.authorization.acls.find((a: any) => a.resource.patternType === 'prefix').resource, { type: 'topic', name: `${prodSpec.cluster.name}.`, patternType: 'prefix' });
    const [reader] = users('');
    assert.ok(reader.spec.authorization.acls.every((a: any) => !a.operations.includes('Write')), 'the primary\'s mirror user only reads');
  });

  test('without the second region prod renders single-region: no regions/, a root Application, no mirror, no inter-region listener', () => {
    const single = renderEnvironment(loadModel('prod', { today: TODAY, environments: withProd((p) => delete p.regions) }));
    const paths = [...single.files.keys()];
    assert.equal(paths.some((p) => p.startsWith('regions/')), false);
    assert.ok(single.objects.has('bootstrap/application-prod-root.yaml'));
    assert.equal(paths.some((p) => p.includes('applicationset')), false);
    assert.equal([...single.objects.values()].some((o) => o.kind === 'KafkaMirrorMaker2'), false);
    const kafka = single.objects.get('platform/kafka/kafka/kafka-gamemetrics.yaml') as Obj;
    assert.deepEqual(kafka.spec.kafka.listeners.map((l: any) => l.name), ['tls']);
    // The primary's tree is otherwise the one the two-region render has.
    assert.equal(single.files.get('tenants/gamemetrics/gamemetrics/rollout-event-ingestion.yaml'), rendered.files.get('tenants/gamemetrics/gamemetrics/rollout-event-ingestion.yaml'));
  });

  test('rendering is deterministic: the same files, byte for byte, in the same order', () => {
    const again = renderEnvironment(loadModel('prod', { today: TODAY }));
    assert.deepEqual([...again.files.keys()], [...rendered.files.keys()]);
    assert.deepEqual([...again.files.keys()], [...rendered.files.keys()].sort());
    for (const [path, content] of rendered.files) assert.equal(again.files.get(path), content, path);
  });
});

describe('multi-region prod: model errors, with file and line', () => {
  const problemsOf = (edit: (prod: EnvironmentSpec) => void): Problem[] => {
    const result = tryLoadModel('prod', { today: TODAY, environments: withProd(edit) });
    assert.ok('problems' in result, 'the model is refused');
    locateProblems(result.problems, REPO);
    return result.problems;
  };
  const lineOf = (text: string) => readFileSync(join(REPO, 'environments/prod/index.ts'), 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;

  test('a region mirroring a cluster nobody declares', () => {
    const [problem, ...rest] = problemsOf((p) => (p.regions![0].kafka.mirrorFrom = 'gm-prod-east'));
    assert.deepEqual(rest, []);
    assert.deepEqual(problem.path, ['environments', 'prod', 'regions', 0, 'kafka', 'mirrorFrom']);
    assert.match(problem.message, /"gm-prod-east" names no declared cluster/);
    assert.match(problem.hint!, /gm-prod/);
    assert.match(problem.file!, /environments\/prod\/index\.ts$/);
    assert.equal(problem.line, lineOf('mirrorFrom:'));
  });

  test('two regions with the same cluster name, or in the same cloud region', () => {
    const named = problemsOf((p) => (p.regions![0].cluster.name = p.cluster.name));
    assert.deepEqual(named.map((p) => p.path), [['environments', 'prod', 'regions', 0, 'cluster', 'name']]);
    assert.match(named[0].message, /cluster name "gm-prod" is already the primary region's/);
    assert.equal(named[0].line, lineOf("name: 'gm-prod-euc1'"));
    const placed = problemsOf((p) => (p.regions![0].cluster.region = p.cluster.region));
    assert.deepEqual(placed.map((p) => p.path), [['environments', 'prod', 'regions', 0, 'cluster', 'region']]);
    assert.match(placed[0].message, /region "eu-west-1" is already/);
  });

  test('a region cannot mirror itself, and regions exclude an external DR cluster', () => {
    assert.match(problemsOf((p) => (p.regions![0].kafka.mirrorFrom = second.cluster.name))[0].message, /cannot mirror its own Kafka/);
    const both = problemsOf((p) => (p.kafka.disasterRecovery = { clusterAlias: 'gm-dr', bootstrapServers: 'kafka.dr.example:9093' }));
    assert.deepEqual(both.map((p) => p.path), [['environments', 'prod', 'kafka', 'disasterRecovery']]);
  });
});

describe('multi-region prod: the rendered ApplicationSet is checked', () => {
  const file = 'rendered/prod/bootstrap/applicationset-prod-root.yaml';
  const text = rendered.files.get('bootstrap/applicationset-prod-root.yaml')!;

  test('strict schema validation: the rendered one passes, an unknown field or a wrong type fails', async () => {
    const docsOf = (t: string) => parseDocs(file, t, []);
    assert.deepEqual(await validateDocuments(docsOf(text), { kubernetesMinor: () => 34 }), []);
    const unknown = await validateDocuments(docsOf(text.replace('  goTemplate: true', '  goTemplate: true\n  clusterSelector: all')), { kubernetesMinor: () => 34 });
    assert.equal(unknown.length, 1);
    assert.match(unknown[0].message, /clusterSelector/);
    const wrongType = await validateDocuments(docsOf(text.replace('mergeKeys:\n          - name', 'mergeKeys: name')), { kubernetesMinor: () => 34 });
    assert.equal(wrongType.length, 1);
  });

  test('platform/applicationset-clusters passes on the render and names a cluster the environment does not declare', () => {
    const rule = CATALOG.filter((r) => r.id === 'platform/applicationset-clusters');
    const env = { name: 'prod', tier: 'production' as const, approvedRegistries: [], clusters: [prodSpec.cluster.name, second.cluster.name] };
    const run = (t: string, clusters = env.clusters) => runPolicy(parseDocs(file, t, []), rule, { envOf: () => ({ ...env, clusters }), waivers: [], today: TODAY, noWaivers: true, rulesets: [] });
    assert.deepEqual(run(text), []);
    const findings = run(text, [prodSpec.cluster.name]);
    assert.deepEqual(findings.map((f) => f.path), ['spec.generators[0].merge.generators[0].clusters.selector.matchExpressions[0].values[1]', 'spec.generators[0].merge.generators[1].list.elements[1]']);
    assert.match(findings[0].message, /names cluster "gm-prod-euc1", which environment prod does not declare/);
  });
});
