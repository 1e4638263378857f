import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { stringify } from 'yaml';
import { type Doc, parseDocs } from './lib/documents.ts';
import { danglingReferences, type ExternalObject } from './lib/references.ts';

type Obj = Record<string, unknown>;

function docsOf(...objects: Obj[]): Doc[] {
  const problems: string[] = [];
  const docs = parseDocs('fixture.yaml', objects.map((o) => stringify(o)).join('---\n'), problems);
  assert.deepEqual(problems, []);
  return docs;
}

const ns = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const obj = (apiVersion: string, kind: string, name: string, namespace: string | undefined, rest: Obj = {}) => ({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) }, ...rest });
const deployment = (podSpec: Obj) => obj('apps/v1', 'Deployment', 'api', 'team', { spec: { template: { spec: { containers: [{ name: 'api', image: 'x' }], ...podSpec } } } });
const container = (extra: Obj) => ({ containers: [{ name: 'api', image: 'x', ...extra }] });

/** One case per reference kind: the referring object, what provides the target, and where the finding points. */
const cases: Array<{ kind: string; refer: Obj; provide: Obj | ExternalObject; path: string }> = [
  { kind: 'Secret from env', refer: deployment(container({ env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] })), provide: obj('v1', 'Secret', 's', 'team'), path: 'spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name' },
  { kind: 'Secret from envFrom', refer: deployment(container({ envFrom: [{ secretRef: { name: 's' } }] })), provide: obj('v1', 'Secret', 's', 'team'), path: 'spec.template.spec.containers[0].envFrom[0].secretRef.name' },
  { kind: 'Secret volume', refer: deployment({ volumes: [{ name: 'v', secret: { secretName: 's' } }] }), provide: obj('external-secrets.io/v1', 'ExternalSecret', 's', 'team', { spec: {} }), path: 'spec.template.spec.volumes[0].secret.secretName' },
  { kind: 'projected Secret', refer: deployment({ volumes: [{ name: 'v', projected: { sources: [{ secret: { name: 'kafka-user' } }] } }] }), provide: obj('kafka.strimzi.io/v1', 'KafkaUser', 'kafka-user', 'team'), path: 'spec.template.spec.volumes[0].projected.sources[0].secret.name' },
  { kind: 'ConfigMap from env', refer: deployment(container({ env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' } } }] })), provide: obj('v1', 'ConfigMap', 'c', 'team'), path: 'spec.template.spec.containers[0].env[0].valueFrom.configMapKeyRef.name' },
  { kind: 'ConfigMap envFrom', refer: deployment(container({ envFrom: [{ configMapRef: { name: 'c' } }] })), provide: obj('v1', 'ConfigMap', 'c', 'team'), path: 'spec.template.spec.containers[0].envFrom[0].configMapRef.name' },
  { kind: 'ConfigMap volume', refer: deployment({ volumes: [{ name: 'v', configMap: { name: 'c' } }] }), provide: obj('v1', 'ConfigMap', 'c', 'team'), path: 'spec.template.spec.volumes[0].configMap.name' },
  { kind: 'ServiceAccount', refer: deployment({ serviceAccountName: 'api' }), provide: obj('v1', 'ServiceAccount', 'api', 'team'), path: 'spec.template.spec.serviceAccountName' },
  { kind: 'PersistentVolumeClaim', refer: deployment({ volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'data' } }] }), provide: obj('v1', 'PersistentVolumeClaim', 'data', 'team', { spec: {} }), path: 'spec.template.spec.volumes[0].persistentVolumeClaim.claimName' },
  { kind: 'StorageClass of a claim', refer: obj('v1', 'PersistentVolumeClaim', 'data', 'team', { spec: { storageClassName: 'fast-ssd' } }), provide: obj('storage.k8s.io/v1', 'StorageClass', 'fast-ssd', undefined), path: 'spec.storageClassName' },
  { kind: 'StorageClass of a Kafka node pool', refer: obj('kafka.strimzi.io/v1', 'KafkaNodePool', 'brokers', 'team', { spec: { storage: { type: 'jbod', volumes: [{ id: 0, type: 'persistent-claim', class: 'fast-ssd' }] } } }), provide: obj('storage.k8s.io/v1', 'StorageClass', 'fast-ssd', undefined), path: 'spec.storage.volumes[0].class' },
  { kind: 'ClusterIssuer of an Ingress', refer: obj('networking.k8s.io/v1', 'Ingress', 'web', 'team', { metadata: { name: 'web', namespace: 'team', annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' } }, spec: { tls: [{ secretName: 'web-tls' }] } }), provide: obj('cert-manager.io/v1', 'ClusterIssuer', 'letsencrypt', undefined), path: "metadata.annotations['cert-manager.io/cluster-issuer']" },
  { kind: 'IngressClass', refer: obj('networking.k8s.io/v1', 'Ingress', 'web', 'team', { spec: { ingressClassName: 'istio' } }), provide: obj('networking.k8s.io/v1', 'IngressClass', 'istio', undefined), path: 'spec.ingressClassName' },
  { kind: 'TLS Secret of an Ingress without cert-manager', refer: obj('networking.k8s.io/v1', 'Ingress', 'web', 'team', { spec: { tls: [{ secretName: 'web-tls' }] } }), provide: obj('cert-manager.io/v1', 'Certificate', 'web', 'team', { spec: { secretName: 'web-tls' } }), path: 'spec.tls[0].secretName' },
  { kind: 'Issuer of a Certificate', refer: obj('cert-manager.io/v1', 'Certificate', 'web', 'team', { spec: { secretName: 'web-tls', issuerRef: { kind: 'Issuer', name: 'ca' } } }), provide: obj('cert-manager.io/v1', 'Issuer', 'ca', 'team'), path: 'spec.issuerRef.name' },
  { kind: 'store of an ExternalSecret', refer: obj('external-secrets.io/v1', 'ExternalSecret', 's', 'team', { spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'aws' } } }), provide: obj('external-secrets.io/v1', 'ClusterSecretStore', 'aws', undefined), path: 'spec.secretStoreRef.name' },
  { kind: 'generator of an ExternalSecret', refer: obj('external-secrets.io/v1', 'ExternalSecret', 's', 'team', { spec: { dataFrom: [{ sourceRef: { generatorRef: { kind: 'Password', name: 'pw' } } }] } }), provide: obj('generators.external-secrets.io/v1alpha1', 'Password', 'pw', 'team'), path: 'spec.dataFrom[0].sourceRef.generatorRef.name' },
  { kind: 'Secret of a Kyverno image key', refer: obj('kyverno.io/v1', 'ClusterPolicy', 'verify', undefined, { spec: { rules: [{ name: 'r', verifyImages: [{ attestors: [{ entries: [{ keys: { secret: { name: 'cosign', namespace: 'kyverno' } } }] }] }] }] } }), provide: obj('v1', 'Secret', 'cosign', 'kyverno'), path: 'spec.rules[0].verifyImages[0].attestors[0].entries[0].keys.secret.name' },
  { kind: 'source of a Kyverno clone', refer: obj('kyverno.io/v1', 'ClusterPolicy', 'copy', undefined, { spec: { rules: [{ name: 'r', generate: { kind: 'Secret', name: 'ca', namespace: 'team', clone: { namespace: 'kafka', name: 'k-cluster-ca-cert' } } }] } }), provide: obj('kafka.strimzi.io/v1', 'Kafka', 'k', 'kafka', { metadata: { name: 'k', namespace: 'kafka' } }), path: 'spec.rules[0].generate.clone.name' },
  { kind: 'MirrorMaker 2 credentials (v1)', refer: obj('kafka.strimzi.io/v1', 'KafkaMirrorMaker2', 'mm2', 'kafka', { spec: { target: { authentication: { passwordSecret: { secretName: 'mm2' } } } } }), provide: obj('kafka.strimzi.io/v1', 'KafkaUser', 'mm2', 'kafka'), path: 'spec.target.authentication.passwordSecret.secretName' },
  { kind: 'namespace of an object', refer: obj('v1', 'ConfigMap', 'c', 'elsewhere'), provide: ns('elsewhere'), path: 'metadata.namespace' },
  { kind: 'namespace of a NetworkPolicy peer', refer: obj('networking.k8s.io/v1', 'NetworkPolicy', 'p', 'team', { spec: { ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }] }] } }), provide: ns('monitoring'), path: "spec.ingress[0].from[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name']" },
  { kind: 'Application destination', refer: obj('argoproj.io/v1alpha1', 'Application', 'a', 'team', { spec: { project: 'p', destination: { namespace: 'data' } } }), provide: ns('data'), path: 'spec.destination.namespace' },
  { kind: 'Application destination cluster', refer: obj('argoproj.io/v1alpha1', 'Application', 'a', 'team', { spec: { project: 'p', destination: { server: 'https://k8s.prod.example', namespace: 'team' } } }), provide: { kind: 'KubernetesCluster', name: 'https://k8s.prod.example', reason: 'provisioned by the infrastructure repository' }, path: 'spec.destination.server' },
  { kind: 'ServiceAccount of a RoleBinding', refer: obj('rbac.authorization.k8s.io/v1', 'RoleBinding', 'rb', 'team', { subjects: [{ kind: 'ServiceAccount', name: 'ci', namespace: 'team' }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' } }), provide: obj('v1', 'ServiceAccount', 'ci', 'team'), path: 'subjects[0].name' },
  { kind: 'in-cluster Kafka of MirrorMaker 2', refer: obj('kafka.strimzi.io/v1', 'KafkaMirrorMaker2', 'mm2', 'kafka', { spec: { mirrors: [{ source: { alias: 'k', bootstrapServers: 'k-kafka-bootstrap.kafka.svc:9093' } }] } }), provide: obj('kafka.strimzi.io/v1', 'Kafka', 'k', 'kafka', { spec: { kafka: { listeners: [{ name: 'tls', port: 9093, type: 'internal', tls: true }] } } }), path: 'spec.mirrors[0].source.bootstrapServers' },
  { kind: 'external Kafka of MirrorMaker 2', refer: obj('kafka.strimzi.io/v1', 'KafkaMirrorMaker2', 'mm2', 'kafka', { spec: { target: { alias: 'dr', bootstrapServers: 'kafka.dr.example:9093' } } }), provide: { kind: 'KafkaCluster', name: 'kafka.dr.example:9093', reason: 'run by the DR site' }, path: 'spec.target.bootstrapServers' },
  { kind: 'host of an Ingress', refer: obj('networking.k8s.io/v1', 'Ingress', 'web', 'team', { spec: { rules: [{ host: 'api.prod.example' }] } }), provide: { kind: 'DnsZone', name: 'prod.example', reason: 'hosted by the registrar' }, path: 'spec.rules[0].host' },
  { kind: 'secret store key of an ExternalSecret', refer: obj('external-secrets.io/v1', 'ExternalSecret', 's', 'team', { spec: { data: [{ secretKey: 'password', remoteRef: { key: 'platform/prod/db' } }] } }), provide: { kind: 'SecretStoreKey', name: 'platform/prod/*', reason: 'written to AWS Secrets Manager by the platform team' }, path: 'spec.data[0].remoteRef.key' },
  { kind: 'secret store key extracted whole', refer: obj('external-secrets.io/v1', 'ExternalSecret', 's', 'team', { spec: { dataFrom: [{ extract: { key: 'platform/prod/db' } }] } }), provide: { kind: 'SecretStoreKey', name: 'platform/prod/*', reason: 'written to AWS Secrets Manager by the platform team' }, path: 'spec.dataFrom[0].extract.key' },
  { kind: 'StorageClass of a CloudNativePG cluster', refer: obj('postgresql.cnpg.io/v1', 'Cluster', 'db', 'team', { spec: { instances: 1, storage: { size: '1Gi', storageClass: 'fast-ssd' } } }), provide: obj('storage.k8s.io/v1', 'StorageClass', 'fast-ssd', undefined), path: 'spec.storage.storageClass' },
  { kind: 'backup credentials of a CloudNativePG cluster', refer: obj('postgresql.cnpg.io/v1', 'Cluster', 'db', 'team', { spec: { instances: 1, backup: { barmanObjectStore: { destinationPath: 's3://b/', s3Credentials: { accessKeyId: { name: 'db-s3', key: 'id' } } } } } }), provide: obj('external-secrets.io/v1', 'ExternalSecret', 'db-s3', 'team', { spec: {} }), path: 'spec.backup.barmanObjectStore.s3Credentials.accessKeyId.name' },
  { kind: 'cluster of a ScheduledBackup', refer: obj('postgresql.cnpg.io/v1', 'ScheduledBackup', 'daily', 'team', { spec: { schedule: '0 0 0 * * *', cluster: { name: 'db' } } }), provide: obj('postgresql.cnpg.io/v1', 'Cluster', 'db', 'team', { spec: { instances: 1 } }), path: 'spec.cluster.name' },
];
const isExternal = (p: Obj | ExternalObject): p is ExternalObject => typeof (p as ExternalObject).reason === 'string';

// The namespaces and project every case assumes exist.
const base = () => [ns('team'), ns('kafka'), ns('kyverno'), obj('argoproj.io/v1alpha1', 'AppProject', 'p', 'team')];
const formatPath = (segments: Array<string | number>) =>
  segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(s) ? `${i ? '.' : ''}${s}` : `['${s}']`)).join('');

describe('reference closure', () => {
  for (const c of cases) {
    test(`${c.kind}: dangling without its target, resolved with it`, () => {
      const dangling = danglingReferences(docsOf(...base(), c.refer));
      assert.equal(dangling.length, 1, dangling.map((d) => d.message).join('\n'));
      assert.equal(formatPath(dangling[0].path), c.path);
      assert.match(dangling[0].message, /neither rendered, created by a rendered operator, nor declared external/);
      const resolved = isExternal(c.provide) ? danglingReferences(docsOf(...base(), c.refer), [c.provide]) : danglingReferences(docsOf(...base(), c.refer, c.provide));
      assert.deepEqual(resolved.map((d) => d.message), []);
    });
  }

  test('an external declared with its reason resolves a reference; the same name in another namespace does not', () => {
    const refer = deployment(container({ envFrom: [{ secretRef: { name: 'dr-credentials' } }] }));
    const external: ExternalObject = { kind: 'Secret', namespace: 'team', name: 'dr-credentials', reason: 'issued by the DR cluster' };
    assert.deepEqual(danglingReferences(docsOf(...base(), refer), [external]), []);
    assert.equal(danglingReferences(docsOf(...base(), refer), [{ ...external, namespace: 'other' }]).length, 1);
  });

  test('a key pattern matches only keys it covers; a DNS zone covers its hosts, not look-alikes', () => {
    const secret = (key: string) => obj('external-secrets.io/v1', 'ExternalSecret', 's', 'team', { spec: { data: [{ secretKey: 'k', remoteRef: { key } }] } });
    const store: ExternalObject = { kind: 'SecretStoreKey', name: 'gm/prod/*', reason: 'AWS Secrets Manager' };
    assert.deepEqual(danglingReferences(docsOf(...base(), secret('gm/prod/db/password')), [store]), []);
    assert.equal(danglingReferences(docsOf(...base(), secret('gm/dev/db')), [store]).length, 1);
    assert.equal(danglingReferences(docsOf(...base(), secret('xgm/prod/db')), [store]).length, 1);
    const ingress = (host: string) => obj('networking.k8s.io/v1', 'Ingress', 'web', 'team', { spec: { rules: [{ host }] } });
    const zone: ExternalObject = { kind: 'DnsZone', name: 'example.dev', reason: 'registrar' };
    assert.deepEqual(danglingReferences(docsOf(...base(), ingress('example.dev'), ingress('a.b.example.dev')), [zone]), []);
    assert.equal(danglingReferences(docsOf(...base(), ingress('badexample.dev')), [zone]).length, 1);
  });

  test('an Application to the cluster Argo CD runs in needs no declaration', () => {
    const app = obj('argoproj.io/v1alpha1', 'Application', 'a', 'team', { spec: { project: 'p', destination: { server: 'https://kubernetes.default.svc', namespace: 'team' } } });
    assert.deepEqual(danglingReferences(docsOf(...base(), app)), []);
  });

  test('built-in namespaces, the default ServiceAccount and kube-root-ca.crt exist without being rendered', () => {
    const refer = obj('apps/v1', 'Deployment', 'api', 'kube-system', { spec: { template: { spec: { serviceAccountName: 'default', containers: [], volumes: [{ name: 'ca', configMap: { name: 'kube-root-ca.crt' } }] } } } });
    assert.deepEqual(danglingReferences(docsOf(refer)), []);
  });

  test('optional references are not required', () => {
    const refer = deployment(container({ env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'maybe', key: 'k', optional: true } } }] }));
    assert.deepEqual(danglingReferences(docsOf(...base(), refer)), []);
  });

  test('a Kyverno generate rule with a templated namespace provides its object in each namespace it matches, and only there', () => {
    const policy = obj('kyverno.io/v1', 'ClusterPolicy', 'copy-ca', undefined, {
      spec: { rules: [{ name: 'r', match: { any: [{ resources: { kinds: ['Namespace'], names: ['team'] } }] }, generate: { kind: 'Secret', name: 'k-cluster-ca-cert', namespace: '{{request.object.metadata.name}}', clone: { namespace: 'kafka', name: 'k-cluster-ca-cert' } } }] },
    });
    const kafka = obj('kafka.strimzi.io/v1', 'Kafka', 'k', 'kafka');
    const reader = (namespace: string) => obj('apps/v1', 'Deployment', 'api', namespace, { spec: { template: { spec: { containers: [], volumes: [{ name: 'ca', secret: { secretName: 'k-cluster-ca-cert' } }] } } } });
    assert.deepEqual(danglingReferences(docsOf(...base(), ns('other'), kafka, policy, reader('team'))), []);
    const other = danglingReferences(docsOf(...base(), ns('other'), kafka, policy, reader('other')));
    assert.deepEqual(other.map((d) => [d.kind, d.namespace, d.name]), [['Secret', 'other', 'k-cluster-ca-cert']]);
  });

  test('a StatefulSet claim template provides one claim per replica', () => {
    const sts = obj('apps/v1', 'StatefulSet', 'db', 'team', { spec: { replicas: 2, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { storageClassName: 'fast-ssd' } }], template: { spec: { containers: [] } } } });
    const sc = obj('storage.k8s.io/v1', 'StorageClass', 'fast-ssd', undefined);
    const reader = (claim: string) => obj('v1', 'Pod', 'debug', 'team', { spec: { containers: [], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: claim } }] } });
    assert.deepEqual(danglingReferences(docsOf(...base(), sc, sts, reader('data-db-1'))), []);
    assert.equal(danglingReferences(docsOf(...base(), sc, sts, reader('data-db-2'))).length, 1);
  });
});
