// Every catalog rule: complete metadata, a fixture pair (fixtures/, by rule id), its passing fixture passes, its failing
// fixture fails at the stated path, and both fixtures are schema-valid (so the rule is tested on objects the cluster would accept).
import assert from 'node:assert/strict';
import { basename, dirname, join } from 'node:path';
import { readdirSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { parseDocs } from './lib/documents.ts';
import { runRules } from './lib/engine.ts';
import { FIXTURE_REGISTRY } from './fixtures/builders.ts';
import { FIXTURES } from './fixtures/index.ts';
import type { RuleFixtures } from './fixtures/rule-fixtures.ts';
import { RULESETS, type DocEnv, type Rule } from './lib/rule.ts';
import { loadSchemas, type CompiledSchemas } from './lib/schema/compile.ts';
import { validateDocument } from './lib/validate.ts';
import { CATALOG } from './rules/index.ts';

const rulesDir = join(import.meta.dirname, 'rules');
let schemas: CompiledSchemas;
before(async () => {
  schemas = await loadSchemas();
});

function fixturesOf(rule: Rule): RuleFixtures {
  const fixtures = FIXTURES[rule.id];
  assert.ok(fixtures, `${rule.id} has no fixtures: add a pass/fail pair under its id in policy-tests/fixtures/${rule.ruleset}.ts`);
  return fixtures;
}

function run(rule: Rule, which: 'pass' | 'fail') {
  const fixtures = fixturesOf(rule);
  const problems: string[] = [];
  const docs = parseDocs(`${rule.id}.${which}.yaml`, fixtures[which], problems);
  assert.deepEqual(problems, []);
  const env: DocEnv = { name: 'fixture', tier: 'production', approvedRegistries: [FIXTURE_REGISTRY], ...fixtures.env };
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

  it('has a passing and a failing fixture for every rule, and fixtures for no other id', () => {
    for (const rule of CATALOG) {
      const fixtures = fixturesOf(rule);
      for (const field of ['pass', 'fail', 'failPath'] as const) assert.ok(typeof fixtures[field] === 'string' && fixtures[field].trim().length > 0, `${rule.id}: fixtures.${field} is empty`);
      assert.notEqual(fixtures.pass, fixtures.fail, rule.id);
    }
    assert.deepEqual(Object.keys(FIXTURES).sort(), CATALOG.map((r) => r.id).sort());
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

    it(`fails its failing fixture at ${FIXTURES[rule.id]?.failPath}`, () => {
      const { findings } = run(rule, 'fail');
      assert.ok(findings.length >= 1);
      for (const f of findings) assert.equal(f.ruleId, rule.id);
      assert.ok(findings.some((f) => f.path === fixturesOf(rule).failPath), `paths: ${findings.map((f) => f.path).join(', ')}`);
    });

    it('has schema-valid fixtures', () => {
      for (const which of ['pass', 'fail'] as const) {
        const { docs } = run(rule, which);
        assert.deepEqual(docs.flatMap((d) => validateDocument(schemas, d, 34)).map((f) => `${which}: ${f.path} ${f.message}`), []);
      }
    });
  });
}
