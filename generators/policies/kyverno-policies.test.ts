// The policies concern on the tiny model (generators/testdata/): golden files per environment, and one
// ClusterPolicy per catalog rule that Kyverno can enforce, with the model's registries and exclusions.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CATALOG } from '../../policy-tests/rules/index.ts';
import { concerns } from '../index.ts';
import { goldenTests } from '../testdata/golden.ts';
import { loadTiny, tinyPlatformCopy } from '../testdata/tiny-model.ts';
import { kyvernoPolicies, POLICY_RULE_ANNOTATION } from './kyverno-policies.ts';

const dev = loadTiny('dev');
const byRule = (files: ReturnType<typeof kyvernoPolicies>) => new Map(files.map((f) => [f.object.metadata.annotations![POLICY_RULE_ANNOTATION], f.object as any]));

goldenTests(join(import.meta.dirname, 'testdata'), 'the policies generators', (model) => Object.values(concerns.policies).flatMap((g) => g({ model })));

describe('Kyverno ClusterPolicies from the catalog', () => {
  test('one per catalog rule that Kyverno can enforce, named and annotated after it', () => {
    const files = kyvernoPolicies({ model: dev });
    const enforced = CATALOG.filter((r) => 'policy' in r.kyverno);
    assert.deepEqual([...byRule(files).keys()].sort(), enforced.map((r) => r.id).sort());
    for (const rule of enforced) {
      const policy = byRule(files).get(rule.id);
      assert.equal(policy.metadata.name, 'policy' in rule.kyverno && rule.kyverno.policy);
      assert.equal(policy.metadata.annotations['policies.kyverno.io/category'], rule.ruleset);
      assert.equal(policy.metadata.annotations['policies.kyverno.io/severity'], rule.severity === 'error' ? 'high' : 'medium');
      assert.equal(policy.metadata.labels['app.kubernetes.io/component'], 'policies');
    }
    assert.ok(files.every((f) => f.path === `platform/policies/clusterpolicy-${f.object.metadata.name}.yaml`));
  });

  test('every rule leaves kube-system and the namespaces of chart-installed operators alone', () => {
    for (const policy of byRule(kyvernoPolicies({ model: dev })).values()) {
      for (const rule of policy.spec.rules) assert.deepEqual(rule.exclude, { any: [{ resources: { namespaces: ['cert-manager', 'cnpg-system', 'external-secrets', 'kube-system', 'kyverno', 'monitoring', 'strimzi', 'velero', 'vpa'] } }] }, policy.metadata.name);
    }
  });

  test('registries and the keyless signing identity come from the model', () => {
    const policies = byRule(kyvernoPolicies({ model: dev }));
    assert.match(JSON.stringify(policies.get('platform/approved-registries').spec), /registry\.tiny\.test\//);
    const verify = policies.get('platform/signed-images').spec.rules[0].verifyImages[0];
    assert.deepEqual(verify.imageReferences, ['registry.tiny.test/*']);
    assert.deepEqual(verify.attestors[0].entries[0].keyless, { issuer: 'https://token.actions.githubusercontent.com', subject: 'https://github.com/tiny/platform/.github/workflows/release.yml@refs/heads/main', rekor: { url: 'https://rekor.sigstore.dev' } });
    assert.deepEqual(verify.attestations[0].attestors[0].entries[0].keyless, verify.attestors[0].entries[0].keyless);
    const spec = tinyPlatformCopy();
    spec.components.kyverno = { description: 'Kyverno, from its chart.', namespace: 'admission', wave: -2, chart: { repoURL: 'https://kyverno.github.io/kyverno/', name: 'kyverno', version: '3.5.2' } };
    const edited = byRule(kyvernoPolicies({ model: loadTiny('dev', { platform: spec }) }));
    assert.deepEqual(edited.get('platform/signed-images').spec.rules[0].exclude.any[0].resources.namespaces, ['admission', 'cert-manager', 'cnpg-system', 'external-secrets', 'kube-system', 'monitoring', 'strimzi', 'velero', 'vpa']);
  });
});
