// CI and admission enforce one rule set: every catalog rule is either rendered as a Kyverno rule or marked
// CI-only with a reason; the rendered ClusterPolicies are schema-valid and cover the rules the issue names.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { kyvernoPolicies, POLICY_RULE_ANNOTATION } from '../generators/policies/kyverno-policies.ts';
import { loadModel } from '../render/sources.ts';
import type { OutputFile } from '../generators/core/types.ts';
import { parseDocs } from './lib/documents.ts';
import { loadSchemas, type CompiledSchemas } from './lib/schema/compile.ts';
import { validateDocument } from './lib/validate.ts';
import { CATALOG } from './rules/index.ts';

let schemas: CompiledSchemas;
let files: OutputFile[];
before(async () => {
  schemas = await loadSchemas();
  files = kyvernoPolicies({ model: loadModel('prod') });
});

describe('Kyverno parity', () => {
  it('renders each Kyverno-capable rule, and gives every other rule a CI-only reason', () => {
    for (const r of CATALOG) {
      if ('policy' in r.kyverno) {
        const f = files.find((x) => x.source === r.id);
        assert.ok(f, `${r.id} has no rendered ClusterPolicy`);
        assert.equal(f.path, `platform/policies/clusterpolicy-${r.kyverno.policy}.yaml`);
        assert.equal(f.object.metadata.annotations?.[POLICY_RULE_ANNOTATION], r.id);
        assert.equal(f.object.metadata.annotations?.['policies.kyverno.io/subject'], r.id === 'best-practices/autoscaler-behavior' ? 'HorizontalPodAutoscaler' : 'Pod');
      } else {
        assert.ok(r.kyverno.ciOnly.length > 20, `${r.id}: CI-only needs a reason`);
        assert.ok(!files.some((x) => x.source === r.id));
      }
    }
    assert.equal(files.length, CATALOG.filter((r) => 'policy' in r.kyverno).length);
  });

  it('covers privileged and escalating containers, limits, autoscaler behaviour, approved registries and cosign signatures', () => {
    const sources = files.map((f) => f.source).sort();
    assert.deepEqual(sources, ['best-practices/autoscaler-behavior', 'best-practices/resources', 'platform/approved-registries', 'platform/signed-images', 'pss-baseline/privileged', 'pss-restricted/allow-privilege-escalation']);
  });

  it('renders schema-valid kyverno.io/v1 ClusterPolicies that enforce', () => {
    for (const f of files) {
      const problems: string[] = [];
      const [doc] = parseDocs(f.path, stringify(f.object), problems);
      assert.deepEqual(validateDocument(schemas, doc, 34).map((x) => `${f.path} ${x.path}: ${x.message}`), []);
      assert.equal((f.object.spec as { validationFailureAction: string }).validationFailureAction, 'Enforce');
    }
  });

  it('verifies keyless cosign signatures of the platform registry by digest, and allows only the model registries', () => {
    const model = loadModel('prod');
    const sig = files.find((f) => f.source === 'platform/signed-images')!.object.spec as { rules: Array<{ verifyImages: Array<{ imageReferences: string[]; verifyDigest: boolean; required: boolean; attestors: Array<{ entries: Array<{ keyless: { issuer: string; subject: string } }> }> }> }> };
    const v = sig.rules[0].verifyImages[0];
    assert.deepEqual(v.imageReferences, [`${model.policies.approvedRegistries[0]}*`]);
    assert.equal(v.verifyDigest, true);
    assert.equal(v.required, true);
    assert.deepEqual([v.attestors[0].entries[0].keyless.issuer, v.attestors[0].entries[0].keyless.subject], [model.policies.imageSigning.issuer, model.policies.imageSigning.subject]);
    const reg = JSON.stringify(files.find((f) => f.source === 'platform/approved-registries')!.object.spec);
    for (const r of model.policies.approvedRegistries) assert.ok(reg.includes(`${r}*`));
  });

  it('is deterministic', () => {
    assert.deepEqual(kyvernoPolicies({ model: loadModel('prod') }), files);
  });
});
