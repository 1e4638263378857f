// The secrets concern on the tiny model (generators/testdata/): golden files per environment; the store
// from the environment's values; one ExternalSecret per referenced Secret that no operator creates, with
// its rotation; generated credentials copied to their consumers; and closure over the whole rendering.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { LoadedModel } from '../../model/loaded.ts';
import { danglingReferences } from '../../policy-tests/lib/references.ts';
import { concerns, generate } from '../index.ts';
import { goldenTests } from '../testdata/golden.ts';
import { dev as devSpec } from '../testdata/tiny-environments.ts';
import { loadTiny, tinyPlatformCopy } from '../testdata/tiny-model.ts';
import { ROTATION_ANNOTATION } from './external-secrets.ts';

type Obj = any;
const secretsOf = (model: LoadedModel) => Object.values(concerns.secrets).flatMap((g) => g({ model }));
const objects = (model: LoadedModel, kind: string): Obj[] => secretsOf(model).filter((f) => f.object.kind === kind).map((f) => f.object);
const named = (model: LoadedModel, kind: string, namespace: string, name: string): Obj => {
  const found = objects(model, kind).find((o) => o.metadata.name === name && o.metadata.namespace === namespace);
  assert.ok(found, `no ${kind} ${namespace}/${name}`);
  return found;
};

goldenTests(join(import.meta.dirname, 'testdata'), 'the secrets generators', secretsOf);

describe('the secret store', () => {
  test('AWS Secrets Manager in the cluster region, through the environment role (IRSA), only for namespaces with stored values', () => {
    const model = loadTiny('prod');
    const [store] = objects(model, 'ClusterSecretStore');
    assert.deepEqual(store.spec.provider.aws, { service: 'SecretsManager', region: 'eu-west-1', auth: { jwt: { serviceAccountRef: { name: 'external-secrets-aws', namespace: 'external-secrets' } } } });
    assert.deepEqual(store.spec.conditions, [{ namespaces: ['arcade', 'data', 'kafka', 'monitoring'] }], 'data: the backup bucket key; monitoring: the receivers, object store and Grafana login; no kyverno (images are signed keyless)');
    const account = named(model, 'ServiceAccount', 'external-secrets', 'external-secrets-aws');
    assert.equal(account.metadata.annotations['eks.amazonaws.com/role-arn'], 'arn:aws:iam::100000000002:role/tiny-prod-external-secrets');
  });

  test('region and role follow the environment values', () => {
    const model = loadTiny('dev', { environment: { ...devSpec, cluster: { ...devSpec.cluster, region: 'us-east-2' }, secretStore: { roleArn: 'arn:aws:iam::999999999999:role/other' } } });
    assert.equal(objects(model, 'ClusterSecretStore')[0].spec.provider.aws.region, 'us-east-2');
    assert.equal(objects(model, 'ServiceAccount')[0].metadata.annotations['eks.amazonaws.com/role-arn'], 'arn:aws:iam::999999999999:role/other');
  });

  test('a role that is not an IAM role ARN is refused at the environment line', () => {
    assert.throws(() => loadTiny('dev', { environment: { ...devSpec, secretStore: { roleArn: 'arn:aws:iam::12:user/x' } } }), /secretStore\.roleArn.*not an IAM role ARN/s);
  });
});

describe('ExternalSecrets from the model', () => {
  test('secretEnv: read from the store at <platform>/<env>/<namespace>/<secret>, refreshed every hour, Owner', () => {
    const es = named(loadTiny('dev'), 'ExternalSecret', 'arcade', 'score-api-keys');
    assert.deepEqual(es.spec.secretStoreRef, { kind: 'ClusterSecretStore', name: 'aws-secrets-manager' });
    assert.equal(es.spec.refreshInterval, '1h');
    assert.equal(es.spec.target.creationPolicy, 'Owner');
    assert.deepEqual(es.spec.data, [{ secretKey: 'api-keys', remoteRef: { key: 'tiny/dev/arcade/score-api-keys', property: 'api-keys' } }]);
    assert.equal(es.metadata.annotations[ROTATION_ANNOTATION], '90d');
  });

  test('datastore credentials: generated where the datastore reads them, regenerated every rotation period', () => {
    const model = loadTiny('dev');
    const es = named(model, 'ExternalSecret', 'data', 'score-api-ledger');
    assert.equal(es.spec.refreshInterval, '2160h', '90 days');
    assert.equal(es.spec.refreshPolicy, 'Periodic');
    assert.equal(es.spec.secretStoreRef, undefined, 'generated, not read from a store');
    assert.deepEqual(es.spec.dataFrom, [{ sourceRef: { generatorRef: { apiVersion: 'generators.external-secrets.io/v1alpha1', kind: 'Password', name: 'credential-password' } }, rewrite: [{ regexp: { source: '^password$', target: 'password' } }] }]);
    assert.deepEqual(es.spec.target.template.data, { username: 'score_api' }, 'the role name CloudNativePG manages');
    assert.equal(es.spec.target.template.type, 'kubernetes.io/basic-auth');
    assert.equal(named(model, 'Password', 'data', 'credential-password').spec.symbols, 0);
  });

  test('rotation is per secret: a datastore use and a secretEnv entry set their own, the platform sets the default', () => {
    const platform = tinyPlatformCopy();
    const api = platform.tenants.arcade.services['score-api'];
    api.datastores = [{ name: 'ledger', rotation: '30d' }];
    api.secretEnv = [{ env: 'API_KEYS', secret: 'score-api-keys', key: 'api-keys', rotation: '7d' }];
    platform.secrets = { rotation: '60d', refreshInterval: '15m' };
    const model = loadTiny('dev', { platform });
    assert.equal(named(model, 'ExternalSecret', 'data', 'score-api-ledger').spec.refreshInterval, '720h');
    const keys = named(model, 'ExternalSecret', 'arcade', 'score-api-keys');
    assert.equal(keys.metadata.annotations[ROTATION_ANNOTATION], '7d');
    assert.equal(keys.spec.refreshInterval, '15m');
    assert.equal(named(model, 'ExternalSecret', 'data', 'rank-worker-ledger').spec.refreshInterval, '1440h', 'the platform default');
  });

  test('every ExternalSecret carries its rotation', () => {
    for (const env of ['dev', 'prod'] as const) {
      for (const es of objects(loadTiny(env), 'ExternalSecret')) assert.match(es.metadata.annotations[ROTATION_ANNOTATION], /^\d+[smhdw]$/, es.metadata.name);
    }
  });

  test('prod: the DR cluster credentials and CA from the store; no signing key (images are signed keyless)', () => {
    const model = loadTiny('prod');
    assert.deepEqual(named(model, 'ExternalSecret', 'kafka', 'tiny-mirror-maker-2-tiny-dr').spec.data[0].remoteRef, { key: 'tiny/prod/kafka/tiny-mirror-maker-2-tiny-dr', property: 'password' });
    assert.equal(named(model, 'ExternalSecret', 'kafka', 'tiny-dr-cluster-ca-cert').spec.data[0].secretKey, 'ca.crt');
    assert.equal(objects(model, 'ExternalSecret').filter((o) => o.metadata.namespace === 'kyverno').length, 0);
    assert.equal(objects(loadTiny('dev'), 'ExternalSecret').filter((o) => o.metadata.namespace === 'kafka').length, 0, 'dev has no DR cluster');
  });
});

describe('copies into consumer namespaces', () => {
  test('each credential is cloned (synchronised) into its service namespace, and the MirrorMaker 2 user into kafka', () => {
    const [policy] = objects(loadTiny('prod'), 'ClusterPolicy');
    const rules = Object.fromEntries(policy.spec.rules.map((r: Obj) => [r.generate.name, r.generate]));
    assert.deepEqual(rules['score-api-ledger'], { apiVersion: 'v1', kind: 'Secret', name: 'score-api-ledger', namespace: 'arcade', synchronize: true, clone: { namespace: 'data', name: 'score-api-ledger' } });
    assert.deepEqual(rules['tiny-mirror-maker-2'].clone, { namespace: 'arcade', name: 'tiny-mirror-maker-2' });
    assert.equal(rules['tiny-mirror-maker-2'].namespace, 'kafka');
  });
});

describe('closure', () => {
  test('every Secret the tiny rendering references exists: rendered, or made by an operator from a rendered object', () => {
    for (const env of ['dev', 'prod'] as const) {
      const docs = generate(loadTiny(env)).map((f) => ({ file: f.path, index: 0, data: f.object as Obj }));
      const secrets = danglingReferences(docs as never).filter((d) => d.kind === 'Secret');
      assert.deepEqual(secrets.map((d) => `${d.doc.file}: ${d.namespace}/${d.name}`), [], env);
    }
  });

  test('without the secrets generators, the service credentials dangle (the check can fail)', () => {
    const model = loadTiny('dev');
    const files = generate(model).filter((f) => !f.path.includes('externalsecret-') && !f.path.includes('clusterpolicy-copy-secrets'));
    const docs = files.map((f) => ({ file: f.path, index: 0, data: f.object as Obj }));
    const names = danglingReferences(docs as never).filter((d) => d.kind === 'Secret').map((d) => `${d.namespace}/${d.name}`);
    assert.ok(names.includes('arcade/score-api-ledger') && names.includes('arcade/score-api-keys'), names.join(', '));
  });
});
