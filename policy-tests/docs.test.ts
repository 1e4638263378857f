// docs/POLICIES.md is generated from the catalog and must be up to date.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { policyDocs } from './lib/policy-docs.ts';
import { CATALOG } from './rules/index.ts';

it('docs/POLICIES.md is up to date with the rule catalog (npm run docs:policies)', () => {
  const current = readFileSync(join(import.meta.dirname, '..', 'docs', 'POLICIES.md'), 'utf8');
  assert.equal(current, policyDocs(), 'docs/POLICIES.md is stale: run npm run docs:policies');
  for (const r of CATALOG) assert.ok(current.includes(`### \`${r.id}\``), r.id);
});
