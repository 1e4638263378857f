/**
 * The Schema Registry's registration, rendered from the real dev model: one artifact per topic the
 * tenant owns with a schema, at its locked version; the PostSync Job runs the script every apps/
 * image carries, from the registrar's image, against the registry's URL, as a restricted pod; only
 * that Job (besides the registry's own callers) reaches the registry's HTTP port. The tiny test
 * model declares no registry, so there is no golden: these assertions are the check.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { loadModel, tryLoadModel } from '../../render/sources.ts';
import { platform } from '../../model/platform.ts';
import { formatProblem } from '../../model/problems.ts';
import { ARTIFACTS_MOUNT, REGISTER_SCRIPT, schemaRegistration } from './registration.ts';

const REPO = resolve(import.meta.dirname, '../..');
const model = loadModel('dev');
const files = schemaRegistration({ model });
const object = (kind: string, name: string) => files.find((f) => (f.object as any).kind === kind && (f.object as any).metadata.name === name)?.object as any;

describe('schema registration', () => {
  test('the artifacts: each topic with a schema, at its version in the lock', () => {
    const data = object('ConfigMap', 'schema-registry-artifacts').data as Record<string, string>;
    const lock = JSON.parse(readFileSync(join(REPO, 'model/topic-schemas.lock.json'), 'utf8')) as Record<string, { version: number; schema: unknown }>;
    assert.deepEqual(Object.keys(data), Object.keys(lock).map((t) => `${t}.json`));
    for (const [topic, locked] of Object.entries(lock)) {
      const artifact = JSON.parse(data[`${topic}.json`]);
      assert.deepEqual(artifact, { groupId: 'gamemetrics', artifactId: topic, version: String(locked.version), schema: locked.schema });
    }
    assert.ok(!Object.keys(data).some((f) => f.startsWith('schemas.') || f.endsWith('.dlq.json')), 'no internal or dead-letter topic');
  });

  test('the PostSync Job: the registrar\'s image, the script every apps/ image holds, the registry URL, a restricted pod', () => {
    const job = object('Job', 'schema-registry-registration');
    assert.equal(job.metadata.annotations['argocd.argoproj.io/hook'], 'PostSync');
    const pod = job.spec.template.spec;
    const [container] = pod.containers;
    assert.equal(container.image, model.services.find((s) => s.name === 'admin-dashboard')!.image.reference);
    assert.deepEqual(container.command, ['node', REGISTER_SCRIPT, ARTIFACTS_MOUNT]);
    assert.ok(existsSync(join(REPO, REGISTER_SCRIPT.replace('/app/', ''))), 'the script is in apps/lib, which apps/Dockerfile copies into every image');
    assert.match(readFileSync(join(REPO, 'apps/Dockerfile'), 'utf8'), /^COPY apps\/lib \.\/apps\/lib$/m);
    assert.deepEqual(container.env, [{ name: 'SCHEMA_REGISTRY_URL', value: 'http://schema-registry.gamemetrics.svc.cluster.local:8080' }]);
    assert.deepEqual(pod.volumes, [{ name: 'artifacts', configMap: { name: 'schema-registry-artifacts' } }]);
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
    assert.equal(pod.automountServiceAccountToken, false);
  });

  test('network: the Job may reach the registry\'s HTTP port, and the registry admits it', () => {
    const egress = object('NetworkPolicy', 'schema-registry-registration');
    assert.deepEqual(egress.spec.egress, [{ to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'schema-registry', 'app.kubernetes.io/instance': 'schema-registry' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }]);
    const ingress = object('NetworkPolicy', 'schema-registry-from-registration');
    assert.deepEqual(ingress.spec.podSelector.matchLabels, { 'app.kubernetes.io/name': 'schema-registry', 'app.kubernetes.io/instance': 'schema-registry' });
    assert.deepEqual(ingress.spec.ingress[0].from, [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'schema-registry-registration' } } }]);
  });

  test('the registry\'s model: an unknown service or a non-HTTP one is refused, naming the field', () => {
    const edited = (registry: { service: string; registrar: string }) => {
      const copy = structuredClone(platform);
      (copy.tenants.gamemetrics as any).schemaRegistry = registry;
      const r = tryLoadModel('dev', { platform: copy });
      return 'problems' in r ? r.problems.map(formatProblem) : [];
    };
    assert.deepEqual(edited({ service: 'schema-registry', registrar: 'admin-dashboard' }), []);
    assert.match(edited({ service: 'schema-registy', registrar: 'admin-dashboard' }).join('\n'), /tenants\.gamemetrics\.schemaRegistry\.service: "schema-registy" is not a service of tenant gamemetrics \(did you mean "schema-registry"\?\)/);
    assert.match(edited({ service: 'data-retention', registrar: 'admin-dashboard' }).join('\n'), /schemaRegistry\.service: the Schema Registry must be an http-api service; "data-retention" is a cron-job/);
  });
});
