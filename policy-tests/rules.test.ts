// Every catalog rule: complete metadata, its passing fixture passes, its failing fixture fails at the stated path,
// and both fixtures are schema-valid (so the rule is tested on objects the cluster would accept).
import assert from 'node:assert/strict';
import { basename, dirname, join } from 'node:path';
import { readdirSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { parseDocs } from './lib/documents.ts';
import { runRules } from './lib/engine.ts';
import { FIXTURE_REGISTRY } from './fixtures/builders.ts';
import { RULESETS, type DocEnv, type Rule } from './lib/rule.ts';
import { loadSchemas, type CompiledSchemas } from './lib/schema/compile.ts';
import { validateDocument } from './lib/validate.ts';
import { CATALOG } from './rules/index.ts';

const rulesDir = join(import.meta.dirname, 'rules');
let schemas: CompiledSchemas;
before(async () => {
  schemas = await loadSchemas();
});

function run(rule: Rule, which: 'pass' | 'fail') {
  const problems: string[] = [];
  const docs = parseDocs(`${rule.id}.${which}.yaml`, rule.fixtures[which], problems);
  assert.deepEqual(problems, []);
  const env: DocEnv = { name: 'fixture', tier: 'production', approvedRegistries: [FIXTURE_REGISTRY], ...rule.fixtures.env };
  return { docs, findings: runRules(docs, [rule], () => env) };
}

describe('rule catalog', () => {
  it('has one file per rule, named after the rule id', () => {
    const files = RULESETS.flatMap((set) => readdirSync(join(rulesDir, set)).map((f) => `${set}/${basename(f, '.ts')}`)).sort();
    assert.deepEqual(files, CATALOG.map((r) => r.id).sort());
  });

  it('has unique ids within known rule sets', () => {
    assert.equal(new Set(CATALOG.map((r) => r.id)).size, CATALOG.length);
    for (const r of CATALOG) assert.equal(dirname(r.id), r.ruleset);
  });

  it('covers every Pod Security Standards control of v1.34', () => {
    const ids = CATALOG.map((r) => r.id);
    for (const c of ['host-process', 'host-namespaces', 'privileged', 'capabilities', 'host-path-volumes', 'host-ports', 'apparmor', 'selinux', 'proc-mount', 'seccomp', 'sysctls', 'host-probes']) assert.ok(ids.includes(`pss-baseline/${c}`), c);
    for (const c of ['volume-types', 'allow-privilege-escalation', 'run-as-non-root', 'run-as-user', 'seccomp', 'capabilities']) assert.ok(ids.includes(`pss-restricted/${c}`), c);
  });
});

for (const rule of CATALOG) {
  describe(rule.id, () => {
    it('documents severity, rationale and fix', () => {
      assert.ok(rule.severity === 'error' || rule.severity === 'warning');
      for (const field of ['title', 'rationale', 'fix'] as const) assert.ok(rule[field].length > 15, `${field} is too short`);
    });

    it('passes its passing fixture', () => {
      assert.deepEqual(run(rule, 'pass').findings.map((f) => `${f.path}: ${f.message}`), []);
    });

    it(`fails its failing fixture at ${rule.fixtures.failPath}`, () => {
      const { findings } = run(rule, 'fail');
      assert.ok(findings.length >= 1);
      for (const f of findings) assert.equal(f.ruleId, rule.id);
      assert.ok(findings.some((f) => f.path === rule.fixtures.failPath), `paths: ${findings.map((f) => f.path).join(', ')}`);
    });

    it('has schema-valid fixtures', () => {
      for (const which of ['pass', 'fail'] as const) {
        const { docs } = run(rule, which);
        assert.deepEqual(docs.flatMap((d) => validateDocument(schemas, d, 34)).map((f) => `${which}: ${f.path} ${f.message}`), []);
      }
    });
  });
}
