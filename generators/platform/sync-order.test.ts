// The sync-wave proof: in every rendered environment, each custom resource in an Application's folder
// has its CRD installed by an earlier wave's chart Application. Read from rendered/ alone; the failing
// cases move a wave on the tiny model and drop a provider.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { generate } from '../index.ts';
import type { KubeObject } from '../core/types.ts';
import { loadTiny, tinyPlatformCopy } from '../testdata/tiny-model.ts';
import { syncOrderProblems } from './sync-order.ts';

const rendered = join(import.meta.dirname, '../../rendered');

function renderedFiles(env: string): Array<{ path: string; object: KubeObject }> {
  const root = join(rendered, env);
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.yaml'))
    .map((e) => join(e.parentPath, e.name))
    .map((file) => ({ path: relative(root, file), object: parse(readFileSync(file, 'utf8')) as KubeObject }));
}

describe('sync waves (rendered/)', () => {
  for (const env of readdirSync(rendered).sort()) {
    test(`${env}: every custom resource syncs after the Application that installs its CRD`, () => {
      const files = renderedFiles(env);
      assert.deepEqual(syncOrderProblems(env, files).map((p) => p.message), []);
      // The proof is not vacuous: custom resources of several providers are checked.
      const groups = new Set(files.filter((f) => !f.path.startsWith('apps/') && f.object.apiVersion.includes('.')).map((f) => f.object.apiVersion.split('/')[0]));
      for (const group of ['kafka.strimzi.io', 'kyverno.io', 'cert-manager.io', 'velero.io']) assert.ok(groups.has(group), `${env} renders no ${group} objects`);
    });
  }
});

describe('sync order check', () => {
  const tinyFiles = (edit: (p: ReturnType<typeof tinyPlatformCopy>) => void) => {
    const platform = tinyPlatformCopy();
    edit(platform);
    return generate(loadTiny('prod', { platform }));
  };

  test('the tiny model is in order', () => {
    assert.deepEqual(syncOrderProblems('prod', tinyFiles(() => {})), []);
  });

  test('a consumer in the same wave as its CRD provider fails, naming both waves', () => {
    const problems = syncOrderProblems('prod', tinyFiles((p) => { p.components['cluster-issuers'].wave = -2; }));
    assert.deepEqual(problems.map((p) => [p.application, p.kind, p.group]), [['prod-cluster-issuers', 'ClusterIssuer', 'cert-manager.io']]);
    assert.match(problems[0].message, /wave -2.*prod-cert-manager installs in wave -2/);
  });

  test('a custom resource whose CRD group no Application declares fails', () => {
    const problems = syncOrderProblems('prod', tinyFiles((p) => { p.components.velero.crdGroups = []; }));
    assert.deepEqual([...new Set(problems.map((p) => `${p.application} ${p.kind}`))].sort(), ['prod-backups BackupStorageLocation', 'prod-backups Schedule']);
    assert.match(problems[0].message, /no Application declares the CRD group velero\.io/);
  });
});
