import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadModel } from '../../render/sources.ts';
import { applicationFolder, groupKind } from './argocd.ts';
import { generate, generators } from '../index.ts';
import type { KubeObject, OutputFile } from '../core/types.ts';

const TODAY = '2026-11-22';

for (const env of ['dev', 'staging', 'prod']) {
  describe(`app-of-apps integrity in ${env}`, () => {
    const model = loadModel(env, { today: TODAY });
    const files = generate(model);
    const of = (kind: string, folder: string) => files.filter((f) => f.object.kind === kind && f.path.startsWith(folder)).map((f) => f.object as KubeObject & { spec: any });
    const applications = of('Application', 'apps/');
    const projects = of('AppProject', 'apps/');
    const renderedFolders = new Set(files.map((f) => applicationFolder(f.path)).filter((f) => f !== null));

    test('the root application syncs rendered/<env>/apps', () => {
      const [root] = of('Application', 'bootstrap/');
      assert.equal(root.metadata.name, `${env}-root`);
      assert.equal(root.spec.source.path, `rendered/${env}/apps`);
      assert.ok(files.some((f) => f.path.startsWith('apps/')));
      assert.deepEqual(root.spec.syncPolicy.automated, { prune: true, selfHeal: true });
    });

    test('every directory Application points at a rendered folder', () => {
      for (const app of applications.filter((a) => a.spec.source.path)) {
        const folder = app.spec.source.path.replace(`rendered/${env}/`, '');
        assert.ok(renderedFolders.has(folder), `${app.metadata.name} → ${app.spec.source.path} has no files`);
      }
    });

    test('every rendered folder belongs to exactly one Application', () => {
      for (const folder of renderedFolders) {
        const owners = applications.filter((a) => a.spec.source.path === `rendered/${env}/${folder}`);
        assert.equal(owners.length, 1, `${folder} is synced by ${owners.length} applications`);
      }
    });

    test('there is one Application per tenant and per platform component', () => {
      const names = applications.map((a) => a.metadata.name).sort();
      const expected = [...model.tenants.map((t) => `${env}-${t.name}`), ...model.components.map((c) => `${env}-${c.name}`)].sort();
      assert.deepEqual(names, expected);
    });

    test('each AppProject admits exactly its Applications’ destinations and kinds', () => {
      for (const app of applications) {
        const project = projects.find((p) => p.metadata.name === app.spec.project);
        assert.ok(project, `${app.metadata.name} uses unknown project ${app.spec.project}`);
        assert.notEqual(app.spec.project, 'default');
        if (!app.spec.source.path) continue;
        const folder = app.spec.source.path.replace(`rendered/${env}/`, '');
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
    });

    test('child Applications sync automatically with prune, self-heal and the resources finalizer', () => {
      for (const app of applications) {
        assert.deepEqual(app.spec.syncPolicy.automated, { prune: true, selfHeal: true }, app.metadata.name);
        assert.deepEqual(app.metadata.finalizers, ['resources-finalizer.argocd.argoproj.io']);
        assert.equal(app.spec.destination.server, model.environment.cluster.server);
      }
    });

    test('sync waves: projects, then namespaces, then operators, then tenants', () => {
      const wave = (o: KubeObject) => Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave']);
      const app = (name: string) => applications.find((a) => a.metadata.name === `${env}-${name}`)!;
      for (const p of projects) assert.ok(wave(p) < wave(app('namespaces')));
      assert.ok(wave(app('namespaces')) < wave(app('strimzi-operator')));
      assert.ok(wave(app('strimzi-operator')) < wave(app('gamemetrics')));
      assert.ok(wave(app('kyverno')) < wave(app('geo-climate')));
    });

    test('argocd-cm carries the Application health check that makes waves wait', () => {
      const cm = files.find((f) => f.path === 'bootstrap/configmap-argocd-cm.yaml')!.object as KubeObject & { data: Record<string, string> };
      const lua = cm.data['resource.customizations.health.argoproj.io_Application'];
      assert.match(lua, /obj\.status\.health\.status/);
      assert.match(lua, /return health/);
    });
  });
}

test('a platform folder without a declared component is refused', () => {
  const model = loadModel('dev', { today: TODAY });
  const rogue = () => [{ path: 'platform/monitoring/monitoring/configmap-x.yaml', source: 'test', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'monitoring' } } }];
  assert.throws(() => generate(model, { ...generators, rogue }), /generators wrote platform\/monitoring\/ but no component "monitoring" is declared/);
});

test('two generators writing the same object are a conflict', () => {
  const model = loadModel('dev', { today: TODAY });
  const one = () => [{ path: 'tenants/gamemetrics/gamemetrics/configmap-a.yaml', source: 'one', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'gamemetrics' } } }];
  const two = () => [{ path: 'tenants/gamemetrics/gamemetrics/configmap-a-copy.yaml', source: 'two', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'gamemetrics' } } }];
  assert.throws(() => generate(model, { one, two }), /ConfigMap gamemetrics\/a is rendered twice/);
  assert.throws(() => generate(model, { one, again: one }), /is written from both one and one/);
});
