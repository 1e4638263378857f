// The namespaces concern on the tiny model (generators/testdata/): golden files per environment, and
// Pod Security labels, default deny, DNS egress, quotas, limit ranges and operator access asserted field by field.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { concerns } from '../index.ts';
import { goldenTests } from '../testdata/golden.ts';
import { loadTiny } from '../testdata/tiny-model.ts';
import { namespaceGuardrails } from './namespace-guardrails.ts';
import { namespaces } from './namespaces.ts';

const dev = loadTiny('dev');
const prod = loadTiny('prod');
const object = (files: ReturnType<typeof namespaces>, kind: string, namespace: string, name?: string) =>
  files.find((f) => f.object.kind === kind && (f.object.metadata.namespace ?? f.object.metadata.name) === namespace && (name === undefined || f.object.metadata.name === name))?.object as any;

goldenTests(join(import.meta.dirname, 'testdata'), 'the namespaces generators', (model) => Object.values(concerns.namespaces).flatMap((g) => g({ model })));

describe('namespaces', () => {
  test('one per tenant, component and datastore namespace and the monitoring and gateway namespaces, built-in ones excepted', () => {
    assert.deepEqual(namespaces({ model: dev }).map((f) => f.object.metadata.name), ['arcade', 'arcade-jobs', 'cert-manager', 'cnpg-system', 'data', 'external-secrets', 'gateway', 'kafka', 'kyverno', 'labs', 'monitoring', 'strimzi', 'velero', 'vpa']);
  });

  test('a component below restricted sets its namespace\'s enforced level, with the reason; audit and warn stay restricted', () => {
    const velero = object(namespaces({ model: dev }), 'Namespace', 'velero');
    assert.equal(velero.metadata.labels['pod-security.kubernetes.io/enforce'], 'baseline');
    assert.equal(velero.metadata.labels['pod-security.kubernetes.io/audit'], 'restricted');
    assert.equal(velero.metadata.labels['pod-security.kubernetes.io/warn'], 'restricted');
    assert.equal(velero.metadata.annotations['gamemetrics.dev/pod-security-reason'], 'Tiny: exercises a namespace below restricted.');
    assert.equal(object(namespaces({ model: dev }), 'Namespace', 'data').metadata.labels['pod-security.kubernetes.io/enforce'], 'restricted');
    assert.equal(object(namespaces({ model: dev }), 'Namespace', 'data').metadata.annotations, undefined);
  });

  test('components sharing a namespace get the union of their network access; egress ports open outbound', () => {
    const files = namespaceGuardrails({ model: dev });
    assert.deepEqual(object(files, 'NetworkPolicy', 'cert-manager', 'allow-component-egress').spec.egress, [{ ports: [{ protocol: 'TCP', port: 80 }, { protocol: 'TCP', port: 443 }] }]);
    assert.deepEqual(object(files, 'NetworkPolicy', 'cert-manager', 'allow-component-ingress').spec.ingress, [{ ports: [{ protocol: 'TCP', port: 10250 }] }]);
    assert.equal(object(files, 'NetworkPolicy', 'velero', 'allow-component-egress'), undefined);
  });

  test('the gateway namespace reaches exactly the services with an ingress, on their ports', () => {
    const policy = object(namespaceGuardrails({ model: dev }), 'NetworkPolicy', 'gateway', 'allow-gateway-to-services');
    assert.deepEqual(policy.spec.podSelector, { matchLabels: { app: 'gateway' } });
    assert.deepEqual(policy.spec.egress.map((r: any) => [r.to[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name'], r.to[0].podSelector.matchLabels['app.kubernetes.io/name'], r.ports.map((p: any) => p.port)]), [
      ['arcade', 'score-api', [8080]],
      ['arcade', 'scoreboard-web', [8080]],
    ]);
  });

  test('namespaces enforce the restricted Pod Security Standard at the environment\'s Kubernetes version', () => {
    const ns = object(namespaces({ model: dev }), 'Namespace', 'arcade');
    for (const mode of ['enforce', 'audit', 'warn']) {
      assert.equal(ns.metadata.labels[`pod-security.kubernetes.io/${mode}`], 'restricted');
      assert.equal(ns.metadata.labels[`pod-security.kubernetes.io/${mode}-version`], 'v1.34');
    }
    assert.equal(object(namespaces({ model: prod }), 'Namespace', 'arcade').metadata.labels['pod-security.kubernetes.io/enforce-version'], 'v1.33');
    assert.equal(ns.metadata.labels['gamemetrics.dev/cost-centre'], 'cc-100-arcade');
    assert.equal(ns.metadata.labels['gamemetrics.dev/tenant'], 'arcade');
    assert.equal(object(namespaces({ model: dev }), 'Namespace', 'kafka').metadata.labels['app.kubernetes.io/component'], 'namespaces');
  });
});

describe('guardrails', () => {
  test('every managed namespace has default deny and DNS egress', () => {
    const files = namespaceGuardrails({ model: prod });
    for (const ns of namespaces({ model: prod }).map((f) => f.object.metadata.name)) {
      assert.deepEqual(object(files, 'NetworkPolicy', ns, 'default-deny')?.spec, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }, ns);
      assert.deepEqual(object(files, 'NetworkPolicy', ns, 'allow-dns')?.spec, {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
        }],
      }, ns);
    }
  });

  test('tenant namespaces get the tenant\'s quota (with the environment\'s override) and container defaults', () => {
    const quota = (model: typeof dev, ns: string) => object(namespaceGuardrails({ model }), 'ResourceQuota', ns).spec.hard;
    assert.deepEqual(quota(dev, 'arcade'), {
      'requests.cpu': '4', 'requests.memory': '8Gi', 'limits.cpu': '12', 'limits.memory': '24Gi',
      pods: '30', persistentvolumeclaims: '0', 'requests.storage': '0Gi', 'services.nodeports': '0', 'services.loadbalancers': '0',
    });
    assert.equal(quota(prod, 'arcade')['requests.cpu'], '16');
    assert.equal(quota(prod, 'arcade-jobs')['requests.cpu'], '16');
    assert.equal(quota(prod, 'labs')['requests.cpu'], '4');
    assert.deepEqual(object(namespaceGuardrails({ model: dev }), 'LimitRange', 'labs').spec.limits, [
      { type: 'Container', defaultRequest: { cpu: '100m', memory: '128Mi' }, default: { cpu: '500m', memory: '256Mi' } },
    ]);
    assert.equal(object(namespaceGuardrails({ model: dev }), 'ResourceQuota', 'kafka'), undefined);
  });

  test('operators get the API server egress and ingress ports they declare, nothing more', () => {
    const files = namespaceGuardrails({ model: dev });
    assert.deepEqual(object(files, 'NetworkPolicy', 'strimzi', 'allow-apiserver-egress').spec.egress, [{ ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] }]);
    assert.deepEqual(object(files, 'NetworkPolicy', 'strimzi', 'allow-component-ingress').spec.ingress, [{ ports: [{ protocol: 'TCP', port: 8080 }] }]);
    assert.ok(object(files, 'NetworkPolicy', 'kafka', 'allow-apiserver-egress'));
    assert.equal(object(files, 'NetworkPolicy', 'kafka', 'allow-component-ingress'), undefined);
    assert.equal(object(files, 'NetworkPolicy', 'kyverno', 'allow-apiserver-egress'), undefined);
  });
});
