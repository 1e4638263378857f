// Pod Security Standards conformance against the upstream admission fixtures (../shared/corpus/pss, v1.34):
// with only the Pod Security rule set selected, every `pass` Pod gets no finding and every `fail` Pod at least one.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadDocuments } from './lib/documents.ts';
import { runRules, selectRules } from './lib/engine.ts';
import type { DocEnv, RuleSet } from './lib/rule.ts';
import { CATALOG } from './rules/index.ts';

const CORPUS = join(import.meta.dirname, '..', '..', 'shared', 'corpus', 'pss');
if (!existsSync(CORPUS)) throw new Error(`the Pod Security corpus is missing at ${CORPUS} (../shared/corpus/pss): it is required test data`);

const env = (): DocEnv => ({ name: null, tier: 'production', approvedRegistries: [] });

/** The control a fail fixture exercises, from its file name (`seccompprofile_restricted3.yaml`). */
const CONTROL_RULES: Record<string, string[]> = {
  allowprivilegeescalation: ['pss-restricted/allow-privilege-escalation'],
  apparmorprofile: ['pss-baseline/apparmor'],
  capabilities_baseline: ['pss-baseline/capabilities', 'pss-restricted/capabilities'],
  capabilities_restricted: ['pss-restricted/capabilities'],
  hostnamespaces: ['pss-baseline/host-namespaces'],
  hostpathvolumes: ['pss-baseline/host-path-volumes', 'pss-restricted/volume-types'],
  hostports: ['pss-baseline/host-ports'],
  hostprobesandhostlifecycle: ['pss-baseline/host-probes'],
  privileged: ['pss-baseline/privileged'],
  procmount: ['pss-baseline/proc-mount'],
  restrictedvolumes: ['pss-restricted/volume-types'],
  runasnonroot: ['pss-restricted/run-as-non-root'],
  runasuser: ['pss-restricted/run-as-user'],
  seccompprofile_baseline: ['pss-baseline/seccomp'],
  seccompprofile_restricted: ['pss-restricted/seccomp'],
  selinuxoptions: ['pss-baseline/selinux'],
  sysctls: ['pss-baseline/sysctls'],
  windowshostprocess: ['pss-baseline/host-process'],
};

for (const level of ['baseline', 'restricted'] as const) {
  const rules = selectRules(CATALOG, [`pss-${level}` as RuleSet]);
  describe(`pss-${level} conformance`, () => {
    it('admits every pass Pod without a finding', () => {
      const { docs } = loadDocuments([join(CORPUS, level, 'pass')]);
      assert.ok(docs.length >= 10);
      const findings = runRules(docs, rules, env);
      assert.deepEqual(findings.map((f) => `${f.file}: ${f.ruleId} ${f.path}`), []);
    });

    it('rejects every fail Pod, for the control its name says', () => {
      const { docs } = loadDocuments([join(CORPUS, level, 'fail')]);
      assert.ok(docs.length >= 30);
      const findings = runRules(docs, rules, env);
      for (const d of docs) {
        const mine = findings.filter((f) => f.file === d.file).map((f) => f.ruleId);
        const control = /([a-z_]+?)\d+\.yaml$/.exec(d.file)![1];
        const expected = CONTROL_RULES[control];
        assert.ok(expected, `no control mapping for ${d.file}`);
        assert.ok(mine.some((id) => expected.includes(id)), `${d.file}: expected one of ${expected.join(', ')}, got ${mine.join(', ') || 'nothing'}`);
      }
    });
  });
}
