// Externals (model/externals.ts): declared once with a reason, checked by the loader, picked per environment.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { environments } from '../environments/index.ts';
import { loadModel, tryLoadModel } from '../render/sources.ts';
import { externalsIn } from './load/externals.ts';
import { platform } from './platform.ts';
import { formatProblem } from './problems.ts';
import type { EnvironmentSpec, ExternalSpec, PlatformSpec } from './spec.ts';

const TODAY = '2026-11-22';

/** Problems of the model with these externals first, then the shipped endpoints services name (externalEgress). */
function problemsWith(externals: ExternalSpec[]): string[] {
  const endpoints = (platform.externals ?? []).filter((e) => e.kind === 'ExternalEndpoint');
  const spec = { ...structuredClone(platform), externals: [...externals, ...structuredClone(endpoints)] } as PlatformSpec;
  const result = tryLoadModel('dev', { platform: spec, environments: structuredClone(environments) as EnvironmentSpec[], today: TODAY });
  return 'problems' in result ? result.problems.map(formatProblem) : [];
}

describe('externals', () => {
  test('every environment declares its clusters, DNS zone, secret store keys and Argo CD namespace; prod its regions\' Argo CD registrations and the Kafka they mirror', () => {
    for (const env of ['dev', 'staging', 'prod']) {
      const model = loadModel(env, { today: TODAY });
      const mine = externalsIn(model.externals, env);
      const named = (kind: string) => mine.filter((e) => e.kind === kind).map((e) => e.name);
      const regions = model.environment.regions;
      assert.deepEqual(named('KubernetesCluster'), regions.map((r) => r.cluster.server));
      assert.deepEqual(named('Secret'), regions.length > 1 ? regions.map((r) => `cluster-${r.cluster.name}`) : []);
      assert.deepEqual(named('DnsZone'), [model.environment.domain]);
      assert.deepEqual(named('SecretStoreKey'), [`gamemetrics/${env}/*`]);
      assert.deepEqual(named('Namespace'), [model.platform.argocdNamespace]);
      const mirrored = regions.flatMap((r) => (r.kafka.mirrorFrom ? [r.kafka.mirrorFrom.bootstrapServers] : []));
      assert.deepEqual(named('KafkaCluster'), model.environment.kafka.disasterRecovery ? [model.environment.kafka.disasterRecovery.bootstrapServers] : mirrored);
      assert.deepEqual(named('ExternalEndpoint'), model.services.flatMap((s) => s.externalEgress.map((e) => e.external)));
      for (const e of mine) assert.ok(e.reason.length > 20, `${e.kind} ${e.name} has no reason`);
    }
  });

  test('the loaded model keeps every environment\'s externals, for docs/externals.md', () => {
    const dev = loadModel('dev', { today: TODAY });
    assert.ok(dev.externals.some((e) => e.environments?.includes('prod')));
    assert.equal(dev.externals.find((e) => e.kind === 'Namespace')?.environments, null);
  });

  test('kind, name, reason and (for Secrets only) namespace are required; duplicates and unknown kinds are refused', () => {
    assert.deepEqual(problemsWith([{ kind: 'Secret', name: 'dr-ca', reason: 'issued by the DR site' }]), [
      'externals[0]: a Secret external needs a namespace (add namespace: the namespace the object exists in)',
    ]);
    assert.deepEqual(problemsWith([{ kind: 'DnsZone', name: 'x.dev', namespace: 'kafka', reason: 'hosted by the registrar' }]), [
      'externals[0].namespace: a DnsZone has no namespace (remove namespace)',
    ]);
    assert.deepEqual(problemsWith([{ kind: 'Namespace', name: 'argocd', reason: 'x' }]), [
      'externals[0].reason: an external needs a reason (at least a sentence) (say why it is not rendered here and who provides it)',
    ]);
    const twice: ExternalSpec = { kind: 'KubernetesCluster', name: 'https://k8s.test', environments: ['dev'], reason: 'provisioned elsewhere' };
    assert.deepEqual(problemsWith([twice, twice]), ['externals[1]: KubernetesCluster https://k8s.test is already declared at externals[0] for dev (declare each external once)']);
    const unknown = problemsWith([{ kind: 'Bucket' as ExternalSpec['kind'], name: 'b', reason: 'made by hand in the console' }]);
    assert.equal(unknown.length, 1);
    assert.match(unknown[0], /^externals\[0\]\.kind: /);
  });
});
