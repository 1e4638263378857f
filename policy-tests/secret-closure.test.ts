// Every Secret that a pod template in rendered/<env> references exists once synced: an ExternalSecret makes
// it, or an operator makes it from a rendered object (KafkaUser, Kafka CA, Kyverno copy). And every
// ExternalSecret names the rendered store, or generates its value with a rendered generator.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadDocuments } from './lib/documents.ts';
import { danglingReferences, providedBy, referencesOf } from './lib/references.ts';
import { podOf } from './lib/workloads.ts';

const RENDERED = join(import.meta.dirname, '..', 'rendered');

describe('Secrets of rendered workloads exist', () => {
  for (const env of ['dev', 'staging', 'prod']) {
    test(env, () => {
      const { docs } = loadDocuments([join(RENDERED, env)]);
      const namespaces = docs.filter((d) => d.data.kind === 'Namespace');
      const providers = new Map<string, string>();
      for (const doc of docs) for (const p of providedBy(doc, namespaces)) if (p.kind === 'Secret') providers.set(`${p.namespace}/${p.name}`, p.by);
      const podSecrets = docs.filter((d) => podOf(d)).flatMap((d) => referencesOf(d).filter((r) => r.kind === 'Secret'));
      assert.ok(podSecrets.length >= 20, `${env}: ${podSecrets.length} Secret references from pod templates`);
      const unprovided = podSecrets.filter((r) => !providers.has(`${r.namespace}/${r.name}`)).map((r) => `${r.doc.file}: ${r.namespace}/${r.name}`);
      assert.deepEqual(unprovided, []);
      const by = new Set(podSecrets.map((r) => providers.get(`${r.namespace}/${r.name}`)!.split('/')[0]));
      assert.deepEqual([...by].sort(), ['ClusterPolicy', 'ExternalSecret', 'KafkaUser'], 'copies, ExternalSecrets and KafkaUsers provide them');
      // No Secret reference of any object dangles (Kafka, Kyverno keys, copies' sources included).
      assert.deepEqual(danglingReferences(docs).filter((d) => d.kind === 'Secret').map((d) => `${d.doc.file}: ${d.namespace}/${d.name}`), []);
    });
  }

  test('every ExternalSecret names the rendered ClusterSecretStore or a rendered Password generator', () => {
    for (const env of ['dev', 'staging', 'prod']) {
      const { docs } = loadDocuments([join(RENDERED, env)]);
      const external = docs.filter((d) => d.data.kind === 'ExternalSecret');
      assert.ok(external.length >= 15);
      const dangling = danglingReferences(external.concat(docs.filter((d) => ['ClusterSecretStore', 'Password', 'Namespace'].includes(String(d.data.kind)))))
        .filter((d) => d.kind === 'ClusterSecretStore' || d.kind === 'Password');
      assert.deepEqual(dangling.map((d) => d.message), []);
    }
  });
});
