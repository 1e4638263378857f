// The Argo CD concern on the tiny model (generators/testdata/): golden files per environment, and the
// app-of-apps integrity, projects, waves and finalizers asserted over the whole generated tree.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { goldenTests } from '../testdata/golden.ts';
import { loadTiny, TINY_ENVS } from '../testdata/tiny-model.ts';
import { applicationFolder, groupKind } from './argocd.ts';
import { generate, generators } from '../index.ts';
import type { KubeObject, OutputFile } from '../core/types.ts';

// Argo CD's own files: everything outside the Applications' folders (apps/ and bootstrap/).
goldenTests(join(import.meta.dirname, 'testdata'), 'the Argo CD generator', (model) => generate(model).filter((f) => applicationFolder(f.path) === null));

for (const env of TINY_ENVS) {
  describe(`app-of-apps integrity in ${env}`, () => {
    const model = loadTiny(env);
    const files = generate(model);
    const of = (kind: string, folder: string) => files.filter((f) => f.object.kind === kind && f.path.startsWith(folder)).map((f) => f.object as KubeObject & { spec: any });
    const applications = of('Application', 'apps/');
    const projects = of('AppProject', 'apps/');
    const renderedFolders = new Set(files.map((f) => applicationFolder(f.path)).filter((f) => f !== null));
    const app = (name: string) => applications.find((a) => a.metadata.name === `${env}-${name}`)!;

    test('the root application syncs rendered/<env>/apps from the bootstrap project, in the argocd namespace', () => {
      const [root] = of('Application', 'bootstrap/');
      assert.equal(root.metadata.name, `${env}-root`);
      assert.equal(root.metadata.namespace, 'argocd');
      assert.equal(root.spec.project, `${env}-bootstrap`);
      assert.deepEqual(root.spec.source, { repoURL: 'https://git.tiny.test/platform.git', targetRevision: 'main', path: `rendered/${env}/apps` });
      assert.deepEqual(root.spec.destination, { server: 'https://kubernetes.default.svc', namespace: 'argocd' });
      assert.deepEqual(root.spec.syncPolicy.automated, { prune: true, selfHeal: true });
      assert.deepEqual(root.metadata.finalizers, ['resources-finalizer.argocd.argoproj.io']);
      const [bootstrap] = of('AppProject', 'bootstrap/');
      assert.deepEqual(bootstrap.spec.namespaceResourceWhitelist, [{ group: 'argoproj.io', kind: 'Application' }, { group: 'argoproj.io', kind: 'AppProject' }]);
      assert.deepEqual(bootstrap.spec.clusterResourceWhitelist, []);
    });

    test('every directory Application points at a rendered folder', () => {
      for (const a of applications.filter((a) => a.spec.source.path)) {
        const folder = a.spec.source.path.replace(`rendered/${env}/`, '');
        assert.ok(renderedFolders.has(folder), `${a.metadata.name} → ${a.spec.source.path} has no files`);
        assert.deepEqual(a.spec.source.directory, { recurse: true });
      }
    });

    test('every rendered folder belongs to exactly one Application', () => {
      assert.deepEqual([...renderedFolders].sort(), ['platform/access', 'platform/alert-rules', 'platform/backups', 'platform/cluster-issuers', 'platform/datastores', 'platform/ingress-class', 'platform/kafka', 'platform/namespaces', 'platform/observability', 'platform/policies', 'platform/secrets', 'platform/storage-classes', 'tenants/arcade', 'tenants/labs']);
      for (const folder of renderedFolders) {
        const owners = applications.filter((a) => a.spec.source.path === `rendered/${env}/${folder}`);
        assert.equal(owners.length, 1, `${folder} is synced by ${owners.length} applications`);
      }
    });

    test('there is one Application per tenant and per platform component', () => {
      assert.deepEqual(applications.map((a) => a.metadata.name).sort(), ['access', 'alert-rules', 'arcade', 'backups', 'cache', 'cert-manager', 'cloudnative-pg', 'cluster-issuers', 'datastores', 'external-secrets', 'ingress-class', 'kafka', 'kyverno', 'labs', 'namespaces', 'observability', 'policies', 'prometheus-operator', 'secrets', 'storage-classes', 'strimzi-operator', 'velero', 'vertical-pod-autoscaler'].map((n) => `${env}-${n}`));
    });

    test('a component with a chart is installed by a Helm Application, server-side, into its namespace', () => {
      const operator = app('strimzi-operator');
      assert.deepEqual(operator.spec.source, {
        repoURL: 'https://strimzi.io/charts/',
        chart: 'strimzi-kafka-operator',
        targetRevision: '1.0.0',
        helm: { releaseName: 'strimzi-operator', valuesObject: { watchAnyNamespace: true } },
      });
      assert.equal(operator.spec.destination.namespace, 'strimzi');
      assert.equal(operator.spec.project, `${env}-platform`);
      assert.ok(operator.spec.syncPolicy.syncOptions.includes('ServerSideApply=true'));
      assert.ok(!app('kafka').spec.syncPolicy.syncOptions.includes('ServerSideApply=true'));
      const platform = projects.find((p) => p.metadata.name === `${env}-platform`)!;
      assert.deepEqual(platform.spec.sourceRepos, ['https://git.tiny.test/platform.git', 'https://charts.external-secrets.io', 'https://charts.fairwinds.com/stable', 'https://charts.jetstack.io', 'https://cloudnative-pg.github.io/charts', 'https://kyverno.github.io/kyverno/', 'https://prometheus-community.github.io/helm-charts', 'https://strimzi.io/charts/', 'https://vmware-tanzu.github.io/helm-charts']);
      assert.deepEqual(platform.spec.clusterResourceWhitelist.map((k: any) => `${k.group}/${k.kind}`), [
        '/Namespace', 'apiextensions.k8s.io/CustomResourceDefinition', 'cert-manager.io/ClusterIssuer', 'external-secrets.io/ClusterSecretStore', 'kyverno.io/ClusterPolicy', 'networking.k8s.io/IngressClass', 'rbac.authorization.k8s.io/ClusterRoleBinding', 'storage.k8s.io/StorageClass',
      ]);
      // A chart that installs CRDs says which groups, so the sync order can be proven from the rendered objects.
      assert.equal(operator.metadata.annotations?.['gamemetrics.dev/provides-crd-groups'], 'kafka.strimzi.io');
      assert.equal(app('cert-manager').metadata.annotations?.['gamemetrics.dev/provides-crd-groups'], 'cert-manager.io');
      assert.equal(app('kafka').metadata.annotations?.['gamemetrics.dev/provides-crd-groups'], undefined);
    });

    test('each AppProject admits exactly its Applications’ destinations and kinds', () => {
      for (const a of applications) {
        const project = projects.find((p) => p.metadata.name === a.spec.project);
        assert.ok(project, `${a.metadata.name} uses unknown project ${a.spec.project}`);
        assert.notEqual(a.spec.project, 'default');
        if (!a.spec.source.path) continue;
        const folder = a.spec.source.path.replace(`rendered/${env}/`, '');
        const objects = files.filter((f: OutputFile) => applicationFolder(f.path) === folder).map((f) => f.object);
        const namespaces = new Set(objects.map((o) => o.metadata.namespace).filter(Boolean));
        const admitted = new Set(project.spec.destinations.map((d: { namespace: string }) => d.namespace));
        for (const ns of namespaces) assert.ok(admitted.has(ns), `${project.metadata.name} does not admit namespace ${ns} used by ${folder}`);
        if (folder.startsWith('tenants/')) {
          assert.deepEqual([...admitted].sort(), [...namespaces].sort(), `${project.metadata.name} admits more than its objects use`);
          const kinds = new Set(objects.map((o) => `${groupKind(o).group}/${o.kind}`));
          const whitelisted = new Set(project.spec.namespaceResourceWhitelist.map((k: { group: string; kind: string }) => `${k.group}/${k.kind}`));
          assert.deepEqual([...whitelisted].sort(), [...kinds].sort());
          assert.deepEqual(project.spec.clusterResourceWhitelist, []);
        } else {
          const clusterKinds = new Set(project.spec.clusterResourceWhitelist.map((k: { group: string; kind: string }) => `${k.group}/${k.kind}`));
          for (const o of objects.filter((o) => !o.metadata.namespace)) assert.ok(clusterKinds.has(`${groupKind(o).group}/${o.kind}`), `${o.kind} ${o.metadata.name} is not whitelisted`);
        }
      }
      const arcade = projects.find((p) => p.metadata.name === `${env}-arcade`)!;
      assert.deepEqual(arcade.spec.destinations.map((d: any) => d.namespace), ['arcade', 'arcade-jobs']);
    });

    test('child Applications sync automatically with prune, self-heal and the resources finalizer', () => {
      for (const a of applications) {
        assert.deepEqual(a.spec.syncPolicy.automated, { prune: true, selfHeal: true }, a.metadata.name);
        assert.deepEqual(a.metadata.finalizers, ['resources-finalizer.argocd.argoproj.io']);
        assert.equal(a.metadata.namespace, 'argocd');
        assert.equal(a.spec.destination.server, model.environment.cluster.server);
      }
    });

    test('sync waves: projects, then namespaces, then operators, then shared infrastructure, then tenants', () => {
      const wave = (o: KubeObject) => Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave']);
      assert.deepEqual(projects.map(wave), projects.map(() => -10));
      assert.deepEqual(Object.fromEntries(applications.map((a) => [a.metadata.name.slice(env.length + 1), wave(a)])), {
        arcade: 0, labs: 0, namespaces: -3, access: -3, 'storage-classes': -3, 'ingress-class': -3,
        'strimzi-operator': -2, kyverno: -2, 'cert-manager': -2, velero: -2, 'external-secrets': -2, 'cloudnative-pg': -2, 'prometheus-operator': -2, 'vertical-pod-autoscaler': -2,
        kafka: -1, policies: -1, 'cluster-issuers': -1, backups: -1, secrets: -1, datastores: -1, cache: -1, observability: -1, 'alert-rules': -1,
      });
    });

    test('argocd-cm carries the Application health check that makes waves wait', () => {
      const cm = files.find((f) => f.path === 'bootstrap/configmap-argocd-cm.yaml')!.object as KubeObject & { data: Record<string, string> };
      assert.equal(cm.metadata.namespace, 'argocd');
      const lua = cm.data['resource.customizations.health.argoproj.io_Application'];
      assert.match(lua, /obj\.status\.health\.status/);
      assert.match(lua, /return health/);
    });
  });
}

test('a platform folder without a declared component is refused', () => {
  const model = loadTiny('dev');
  const rogue = () => [{ path: 'platform/monitoring/monitoring/configmap-x.yaml', source: 'test', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'monitoring' } } }];
  assert.throws(() => generate(model, { ...generators, rogue }), /generators wrote platform\/monitoring\/ but no component "monitoring" is declared/);
});

test('a component with neither a chart nor rendered objects is refused', () => {
  const model = loadTiny('dev');
  const { kyvernoPolicies, kafkaCaTrust, ...rest } = generators;
  assert.throws(() => generate(model, rest), /component "policies" has neither a chart nor rendered objects/);
});

test('two generators writing the same object are a conflict', () => {
  const model = loadTiny('dev');
  const one = () => [{ path: 'tenants/arcade/arcade/configmap-a.yaml', source: 'one', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'arcade' } } }];
  const two = () => [{ path: 'tenants/arcade/arcade/configmap-a-copy.yaml', source: 'two', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'arcade' } } }];
  assert.throws(() => generate(model, { one, two }), /ConfigMap arcade\/a is rendered twice/);
  assert.throws(() => generate(model, { one, again: one }), /is written from both one and one/);
});
