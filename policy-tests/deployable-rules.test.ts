// The rules of issue #11 beyond their fixture pair: each failure at its field, the tier and kinds they skip.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { stringify } from 'yaml';
import { parseDocs } from './lib/documents.ts';
import { runRules } from './lib/engine.ts';
import type { DocEnv, Rule } from './lib/rule.ts';
import { rule as databaseBackups } from './rules/platform/database-backups.ts';
import { rule as externalSecretStore } from './rules/platform/external-secret-store.ts';
import { rule as storageClass } from './rules/platform/storage-class.ts';

type Obj = Record<string, any>;
const env = (over: Partial<DocEnv> = {}): DocEnv => ({ name: 'fixture', tier: 'production', approvedRegistries: [], complete: true, ...over });
function findings(rule: Rule, objects: Obj[], docEnv = env()) {
  const problems: string[] = [];
  const docs = parseDocs('t.yaml', objects.map((o) => stringify(o)).join('---\n'), problems);
  assert.deepEqual(problems, []);
  return runRules(docs, [rule], () => docEnv).map((f) => `${f.severity} ${f.object} ${f.path}: ${f.message}`);
}

const cluster = (spec: Obj) => ({ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'db', namespace: 'data' }, spec: { storage: { size: '1Gi', storageClass: 'fast-ssd' }, ...spec } });
const schedule = (extra: Obj = {}) => ({ apiVersion: 'postgresql.cnpg.io/v1', kind: 'ScheduledBackup', metadata: { name: 'db-daily', namespace: 'data' }, spec: { schedule: '0 0 2 * * *', cluster: { name: 'db' }, ...extra } });
const archive = { barmanObjectStore: { destinationPath: 's3://b/db' } };

describe('platform/database-backups', () => {
  test('names each missing part at its field', () => {
    assert.deepEqual(findings(databaseBackups, [cluster({ instances: 1 })]), [
      'error Cluster/data/db spec.instances: database db runs 1 instance(s), fewer than 3',
      'error Cluster/data/db spec.backup: database db archives no WAL, so it cannot be recovered to a point in time',
      'error Cluster/data/db metadata.name: database db has no (unsuspended) ScheduledBackup in namespace data',
    ]);
  });
  test('accepts a WAL-archiver plugin; a suspended schedule or one in another namespace does not count', () => {
    const plugin = { plugins: [{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true }] };
    assert.deepEqual(findings(databaseBackups, [cluster({ instances: 3, ...plugin }), schedule()]), []);
    assert.equal(findings(databaseBackups, [cluster({ instances: 3, backup: archive }), schedule({ suspend: true })]).length, 1);
    assert.equal(findings(databaseBackups, [cluster({ instances: 3, backup: archive }), { ...schedule(), metadata: { name: 'x', namespace: 'other' } }]).length, 1);
  });
  test('applies to the production tier only', () => {
    assert.deepEqual(findings(databaseBackups, [cluster({ instances: 1 })], env({ tier: 'staging' })), []);
  });
  test('on part of an environment, a schedule elsewhere may exist: only instances and archiving are checked', () => {
    assert.deepEqual(findings(databaseBackups, [cluster({ instances: 3, backup: archive })], env({ complete: false })), []);
    assert.equal(findings(databaseBackups, [cluster({ instances: 1, backup: archive })], env({ complete: false })).length, 1);
  });
});

describe('platform/external-secret-store', () => {
  const es = (spec: Obj) => ({ apiVersion: 'external-secrets.io/v1beta1', kind: 'ExternalSecret', metadata: { name: 's', namespace: 'team' }, spec });
  const data = [{ secretKey: 'k', remoteRef: { key: 'a/b' } }];
  test('a store of another namespace, a missing ClusterSecretStore and no store at all fail', () => {
    const otherNs = { apiVersion: 'external-secrets.io/v1beta1', kind: 'SecretStore', metadata: { name: 'aws', namespace: 'other' }, spec: { provider: {} } };
    assert.deepEqual(findings(externalSecretStore, [otherNs, es({ secretStoreRef: { name: 'aws' }, data })]), ['error ExternalSecret/team/s spec.secretStoreRef.name: SecretStore aws in namespace team is not rendered']);
    assert.deepEqual(findings(externalSecretStore, [es({ secretStoreRef: { kind: 'ClusterSecretStore', name: 'aws' }, data })]), ['error ExternalSecret/team/s spec.secretStoreRef.name: ClusterSecretStore aws is not rendered']);
    assert.deepEqual(findings(externalSecretStore, [es({ data })]), ['error ExternalSecret/team/s spec.secretStoreRef: the ExternalSecret names no store']);
  });
  test('on part of an environment, only a missing store name is a finding', () => {
    assert.deepEqual(findings(externalSecretStore, [es({ secretStoreRef: { kind: 'ClusterSecretStore', name: 'aws' }, data })], env({ complete: false })), []);
    assert.equal(findings(externalSecretStore, [es({ data })], env({ complete: false })).length, 1);
  });
  test('an ExternalSecret filled only by a generator needs no store', () => {
    assert.deepEqual(findings(externalSecretStore, [es({ dataFrom: [{ sourceRef: { generatorRef: { apiVersion: 'generators.external-secrets.io/v1alpha1', kind: 'Password', name: 'pw' } } }] })]), []);
  });
});

describe('platform/storage-class', () => {
  const sc = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast-ssd' }, provisioner: 'ebs.csi.aws.com' };
  const pool = (storage: Obj) => ({ apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaNodePool', metadata: { name: 'brokers', namespace: 'kafka' }, spec: { replicas: 3, roles: ['broker'], storage } });
  test('checks volume claim templates, Strimzi jbod volumes and CloudNativePG WAL storage', () => {
    const sts = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'q', namespace: 'data' }, spec: { volumeClaimTemplates: [{ metadata: { name: 'd' }, spec: { storageClassName: 'fast-ssd' } }, { metadata: { name: 'e' }, spec: {} }] } };
    const jbod = pool({ type: 'jbod', volumes: [{ id: 0, type: 'persistent-claim', size: '1Gi', class: 'fast-ssd' }, { id: 1, type: 'persistent-claim', size: '1Gi', class: 'gp2' }] });
    const db = cluster({ instances: 1, walStorage: { size: '1Gi' } });
    assert.deepEqual(findings(storageClass, [sc, sts, jbod, db]), [
      "error StatefulSet/data/q spec.volumeClaimTemplates[1].spec.storageClassName: names no StorageClass: the cluster's default class would decide",
      'error KafkaNodePool/kafka/brokers spec.storage.volumes[1].class: StorageClass gp2 is not rendered (rendered: fast-ssd)',
      "error Cluster/data/db spec.walStorage.storageClass: names no StorageClass: the cluster's default class would decide",
    ]);
    assert.deepEqual(findings(storageClass, [pool({ type: 'ephemeral' })]), []);
  });
});
