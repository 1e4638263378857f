// The config hash on pod templates: a change to one service's configuration changes exactly the pod
// template of the workload that reads it, and the hash is a pure function of the ConfigMap data.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { generate } from '../index.ts';
import { loadTiny, tinyPlatformCopy } from '../testdata/tiny-model.ts';
import { CONFIG_HASH_ANNOTATION, configHash, configMapsReadBy, podTemplateOf, withConfigHashes } from './config-hash.ts';
import type { KubeObject, OutputFile } from './types.ts';

/** `Kind namespace/name` → config hash of every workload in the files. */
function hashes(files: OutputFile[]): Map<string, string | undefined> {
  return new Map(files.flatMap((f) => {
    const template = podTemplateOf(f.object);
    return template ? [[`${f.object.kind} ${f.object.metadata.namespace}/${f.object.metadata.name}`, template.metadata?.annotations?.[CONFIG_HASH_ANNOTATION]]] : [];
  }));
}

const configMap = (name: string, data: Record<string, string>, namespace = 'team'): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data });
const file = (object: KubeObject): OutputFile => ({ path: `${object.kind}-${object.metadata.name}.yaml`, source: 'test', object });
const deployment = (podSpec: object): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'team' }, spec: { template: { metadata: { labels: { app: 'api' } }, spec: podSpec } } });

describe('config hash', () => {
  test('changing one service\'s config changes exactly that workload\'s hash', () => {
    const before = hashes(generate(loadTiny('dev')));
    const spec = tinyPlatformCopy();
    spec.tenants.arcade.services['rank-worker'].config = { ...spec.tenants.arcade.services['rank-worker'].config, LEADERBOARD_SIZE: '50' };
    const after = hashes(generate(loadTiny('dev', { platform: spec })));
    assert.ok(before.size >= 5);
    for (const [workload, hash] of before) assert.match(hash ?? '', /^sha256:[0-9a-f]{64}$/, workload);
    const changed = [...before.keys()].filter((k) => before.get(k) !== after.get(k));
    assert.deepEqual(changed, ['Deployment arcade/rank-worker']);
  });

  test('is the same for the same model, and the CronJob\'s job pod template carries it too', () => {
    const a = hashes(generate(loadTiny('prod')));
    assert.deepEqual(a, hashes(generate(loadTiny('prod'))));
    assert.ok([...a.keys()].some((k) => k.startsWith('CronJob ')));
  });

  test('is sha256 over the ConfigMaps\' names and data in name order, independent of key order', () => {
    const a = configMap('a', { X: '1', Y: '2' });
    const b = configMap('b', { Z: '3' });
    const expected = `sha256:${createHash('sha256').update('["a",{"X":"1","Y":"2"},{}]\n["b",{"Z":"3"},{}]').digest('hex')}`;
    assert.equal(configHash([b, a]), expected);
    assert.equal(configHash([configMap('b', { Z: '3' }), configMap('a', { Y: '2', X: '1' })]), expected);
    assert.notEqual(configHash([a]), configHash([configMap('a', { X: '1', Y: '3' })]));
  });

  test('counts ConfigMaps read through env, envFrom, volumes and projected volumes, in the workload\'s namespace only', () => {
    const podSpec = {
      containers: [{ name: 'api', image: 'x', env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'by-env', key: 'a' } } }], envFrom: [{ configMapRef: { name: 'by-env-from' } }] }],
      initContainers: [{ name: 'init', image: 'x', envFrom: [{ configMapRef: { name: 'by-init' } }] }],
      volumes: [{ name: 'v', configMap: { name: 'by-volume' } }, { name: 'p', projected: { sources: [{ configMap: { name: 'by-projection' } }] } }],
    };
    assert.deepEqual(configMapsReadBy(podSpec), ['by-env', 'by-env-from', 'by-init', 'by-projection', 'by-volume']);
    const read = configMap('by-volume', { K: 'v' });
    const files = [file(read), file(configMap('by-env', { K: 'elsewhere' }, 'other')), file(deployment(podSpec))];
    const out = withConfigHashes(files);
    assert.equal((out[2].object.spec as any).template.metadata.annotations[CONFIG_HASH_ANNOTATION], configHash([read]));
    assert.deepEqual((out[2].object.spec as any).template.metadata.labels, { app: 'api' });
    assert.equal((files[2].object.spec as any).template.metadata.annotations, undefined, 'the input is left as it was');
  });

  test('a workload that reads no rendered ConfigMap gets no hash', () => {
    const files = [file(deployment({ containers: [{ name: 'api', image: 'x', envFrom: [{ configMapRef: { name: 'absent' } }] }] }))];
    assert.equal(withConfigHashes(files)[0], files[0]);
  });
});
