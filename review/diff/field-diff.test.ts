import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffFields } from './field-diff.ts';

const pod = (containers: unknown[]) => ({ spec: { template: { spec: { containers } } } });

describe('diffFields', () => {
  it('ignores key order, and reports nothing for equal objects', () => {
    assert.deepEqual(diffFields({ a: 1, b: { c: [1, 2], d: 'x' } }, { b: { d: 'x', c: [1, 2] }, a: 1 }), []);
  });

  it('reports added, removed and changed fields with dotted paths; odd keys are bracketed', () => {
    assert.deepEqual(diffFields(
      { metadata: { labels: { 'app.kubernetes.io/name': 'a', old: 'x' } }, spec: { replicas: 2 } },
      { metadata: { labels: { 'app.kubernetes.io/name': 'b', fresh: 'y' } }, spec: { replicas: 3 } },
    ), [
      { path: 'metadata.labels["app.kubernetes.io/name"]', op: 'changed', old: 'a', new: 'b' },
      { path: 'metadata.labels.fresh', op: 'added', new: 'y' },
      { path: 'metadata.labels.old', op: 'removed', old: 'x' },
      { path: 'spec.replicas', op: 'changed', old: 2, new: 3 },
    ]);
  });

  it('matches containers and env by name: an inserted container is one addition, not a shifted list', () => {
    const api = { name: 'api', image: 'api@sha256:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] };
    const sidecar = { name: 'sidecar', image: 'proxy' };
    const changes = diffFields(pod([api]), pod([sidecar, { ...api, env: [{ name: 'B', value: '3' }, { name: 'A', value: '1' }] }]));
    assert.deepEqual(changes, [
      { path: 'spec.template.spec.containers[name=sidecar]', op: 'added', new: sidecar },
      { path: 'spec.template.spec.containers[name=api].env[name=B].value', op: 'changed', old: '2', new: '3' },
    ]);
  });

  it('matches container ports by containerPort, Service ports by port and volumeMounts by mountPath', () => {
    assert.deepEqual(diffFields({ ports: [{ name: 'http', containerPort: 8080 }] }, { ports: [{ name: 'web', containerPort: 8080 }] }),
      [{ path: 'ports[containerPort=8080].name', op: 'changed', old: 'http', new: 'web' }]);
    assert.deepEqual(diffFields({ ports: [{ port: 80, targetPort: 'http' }] }, { ports: [{ port: 80, targetPort: 'web' }] }),
      [{ path: 'ports[port=80].targetPort', op: 'changed', old: 'http', new: 'web' }]);
    assert.deepEqual(diffFields({ volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }] }, { volumeMounts: [{ name: 'scratch', mountPath: '/tmp' }] }),
      [{ path: 'volumeMounts[mountPath=/tmp].name', op: 'changed', old: 'tmp', new: 'scratch' }]);
  });

  it('falls back to positions when a merge key is missing or not unique', () => {
    assert.deepEqual(diffFields({ env: [{ name: 'A', value: '1' }, { name: 'A', value: '2' }] }, { env: [{ name: 'A', value: '1' }, { name: 'A', value: '3' }] }),
      [{ path: 'env[1].value', op: 'changed', old: '2', new: '3' }]);
  });

  it('aligns lists without a key on their equal elements', () => {
    const rule = (port: number) => ({ ports: [{ port }] });
    assert.deepEqual(diffFields({ egress: [rule(53), rule(9093)] }, { egress: [rule(53), rule(5432), rule(9093)] }),
      [{ path: 'egress[1]', op: 'added', new: rule(5432) }]);
    assert.deepEqual(diffFields({ args: ['a', 'b', 'c'] }, { args: ['a', 'c'] }), [{ path: 'args[1]', op: 'removed', old: 'b' }]);
    assert.deepEqual(diffFields({ metrics: [{ target: 70 }] }, { metrics: [{ target: 80 }] }), [{ path: 'metrics[0].target', op: 'changed', old: 70, new: 80 }]);
  });

  it('reports a type change as one change', () => {
    assert.deepEqual(diffFields({ a: { b: 1 } }, { a: 'x' }), [{ path: 'a', op: 'changed', old: { b: 1 }, new: 'x' }]);
  });
});
