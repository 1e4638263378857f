// The rendered environments (rendered/<env>/, made by npm run render) are schema-valid and pass every policy:
// zero errors, and every waiver visible in the output.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { policyCli, validateCli } from '../scripts/cli/validate-policy.ts';

const RENDERED = join(import.meta.dirname, '..', 'rendered');
const ENVIRONMENTS = ['dev', 'staging', 'prod'];
for (const env of ENVIRONMENTS) {
  if (!existsSync(join(RENDERED, env))) throw new Error(`rendered/${env}/ is missing: run npm run render`);
}

describe('rendered environments', () => {
  for (const env of ENVIRONMENTS) {
    describe(env, () => {
      const path = join(RENDERED, env);
      let policyJson: { documents: number; errors: number; findings: Array<{ ruleId: string; severity: string; file: string; object: string; message: string }>; waived: Array<{ ruleId: string; object: string }> };
      let policyText: string;

      before(async () => {
        const j = await policyCli([path, '--format', 'json']);
        policyJson = JSON.parse(j.stdout || '{}');
        assert.equal(j.stderr, '');
        policyText = (await policyCli([path])).stdout;
      });

      it('is schema-valid (strict, for the environment Kubernetes version)', async () => {
        const r = await validateCli([path, '--format', 'json']);
        assert.equal(r.stderr, '');
        const out = JSON.parse(r.stdout);
        assert.ok(out.documents > 50, `only ${out.documents} documents`);
        assert.deepEqual(out.findings.map((f: { file: string; path: string; message: string }) => `${f.file} ${f.path}: ${f.message}`), []);
        assert.equal(r.code, 0);
      });

      it('passes every policy rule', () => {
        assert.ok(readdirSync(path).length > 0);
        assert.deepEqual(policyJson.findings.map((f) => `${f.ruleId} ${f.file}: ${f.message}`), []);
        assert.equal(policyJson.errors, 0);
      });

      // The environment is closed: every reference resolves to a rendered object, an object a rendered operator
      // creates, or a declared external, and every claim names a rendered StorageClass (issue #11).
      it('leaves no dangling reference and no claim without a rendered storage class', (t) => {
        const open = policyJson.findings.filter((f) => f.ruleId === 'platform/references-resolve' || f.ruleId === 'platform/storage-class');
        t.diagnostic(`${env}: ${open.length} dangling reference(s) or unclassed claim(s)`);
        assert.deepEqual(open.map((f) => `${f.ruleId} ${f.file}: ${f.message}`), []);
      });

      it('shows every waived finding in the text output', () => {
        for (const w of policyJson.waived) assert.ok(policyText.includes(w.object) && policyText.includes(w.ruleId), `${w.ruleId} ${w.object}`);
        assert.equal(policyText.includes('Waived findings'), policyJson.waived.length > 0);
        assert.match(policyText, new RegExp(`${policyJson.waived.length} waived`));
      });
    });
  }
});
