// rendered/ holds no secret value: the scanner (lib/secret-values.ts) finds nothing in any environment,
// and finds each kind of value it looks for in a fixture.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { stringify } from 'yaml';
import { type Doc, loadDocuments, parseDocs } from './lib/documents.ts';
import { secretValues } from './lib/secret-values.ts';

const RENDERED = join(import.meta.dirname, '..', 'rendered');

function docsOf(...objects: Array<Record<string, unknown>>): Doc[] {
  const problems: string[] = [];
  const docs = parseDocs('fixture.yaml', objects.map((o) => stringify(o)).join('---\n'), problems);
  assert.deepEqual(problems, []);
  return docs;
}
const configMap = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'team' }, data });
// Built at run time, so that no scanner of this repository mistakes the fixtures for real values.
const fake = { pem: ['-----BEGIN', 'PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----'].join(' '), aws: ['AKIA', 'Z7Q3EXAMPLE4K2MD'].join(''), github: `ghp_${'aB3dE6'.repeat(6)}`, jwt: ['eyJhbGciOiJIUzI1NiJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0', 'sig'].join('.'), random: 'q7Vx2Lm9Tz4Rw8Kp1Ys6Nd3Hb5Jf0Gc' };

describe('no secret value in rendered/', () => {
  for (const env of ['dev', 'staging', 'prod']) {
    test(`${env}: no Secret with data, no PEM block, no token, no high-entropy string`, () => {
      const { docs } = loadDocuments([join(RENDERED, env)]);
      assert.ok(docs.length > 100, `${env} rendered ${docs.length} objects`);
      const findings = secretValues(docs).map((f) => `${f.doc.file} ${f.path}: ${f.what}`);
      assert.deepEqual(findings, []);
    });
  }
});

describe('the scanner finds what it looks for', () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['a Secret with data', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'team' }, data: { k: 'c2VjcmV0' } }, /a Secret with data/],
    ['a Secret with stringData', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'team' }, stringData: { k: 'v' } }, /a Secret with stringData/],
    ['a PEM block', configMap({ CA: fake.pem }), /a PEM block/],
    ['an AWS access key id', configMap({ AWS_KEY_ID: fake.aws }), /an AWS access key id/],
    ['a GitHub token', configMap({ GH: fake.github }), /a GitHub token/],
    ['a JWT', configMap({ BEARER: fake.jwt }), /a JWT/],
    ['a password in a URL', configMap({ DATABASE_URL: 'postgres://app:hunter22@db:5432/app' }), /a password in a URL/],
    ['a value under a credential key', configMap({ PGPASSWORD: 'hunter22' }), /credential key "PGPASSWORD"/],
    ['a chart value under a credential key beside an existingSecret', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'a' }, spec: { source: { helm: { valuesObject: { auth: { existingSecret: 'redis-auth', password: 'hunter22' } } } } } }, /credential key "password"/],
    ['a high-entropy string', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { containers: [{ name: 'c', args: [`--seed=${fake.random}`] }] } } } }, /high-entropy string \(q7Vx…, 31 characters\)/],
  ];
  for (const [what, object, expected] of cases) {
    test(what, () => {
      const findings = secretValues(docsOf(object));
      assert.equal(findings.length, 1, JSON.stringify(findings.map((f) => f.what)));
      assert.match(findings[0].what, expected);
      assert.ok(!findings[0].what.includes(fake.random), 'a finding never repeats the value');
    });
  }

  test('allowed: names spelled from words with a short numbered part, but not a hyphenated random token', () => {
    const named = (name: string) => docsOf({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name }, spec: { project: name } });
    assert.deepEqual(secretValues(named('prod-eu-central-1-observability')).map((f) => f.path), []);
    assert.deepEqual(secretValues(named('prod-eu-central-1-istio-ingressgateway')).map((f) => f.path), []);
    assert.equal(secretValues(named('k9x2-m7q4-z8v3-r6t1-p5w0-j3h8')).length, 2, 'a hyphenated random token is still reported, in both places');
  });

  test('allowed: image digests, template expressions, Secret key selectors, host names, references to Secrets', () => {
    const digest = `registry.example/app@sha256:${'0a1b2c3d'.repeat(8)}`;
    const docs = docsOf(
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { containers: [{ name: 'c', image: digest, env: [{ name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }, { name: 'PGPASSWORD_FILE', value: '/var/run/secrets/db/password' }] }] } } } },
      { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'e' }, spec: { target: { template: { data: { password: '{{ .password }}' } } } } },
      { apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaMirrorMaker2', metadata: { name: 'm' }, spec: { target: { authentication: { passwordSecret: { secretName: 'u', password: 'password' } } } } },
      configMap({ KAFKA_BROKERS: 'gamemetrics-kafka-bootstrap.kafka.svc:9093' }),
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'a' }, spec: { source: { helm: { valuesObject: { auth: { existingSecret: 'redis-auth' }, users: [{ existingSecret: 'svc-minio' }], existingObjstoreSecret: 'thanos-objstore' } } } } },
    );
    assert.deepEqual(secretValues(docs).map((f) => `${f.path}: ${f.what}`), []);
  });
});
