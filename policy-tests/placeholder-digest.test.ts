// platform/no-placeholder-digest beyond its fixture pair: a CloudNativePG Cluster's operand image at
// spec.imageName, the tiers it skips, and the declared placeholders against the rendered prod tree (each
// is still pinned somewhere, so the list cannot hold a stale entry that hides nothing).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { stringify } from 'yaml';
import { PLACEHOLDER_DIGESTS, TIMESCALEDB_DIGEST_PLACEHOLDER } from '../model/placeholder-digests.ts';
import { listFiles } from '../render/tree-writer.ts';
import { parseDocs } from './lib/documents.ts';
import { runRules } from './lib/engine.ts';
import type { DocEnv } from './lib/rule.ts';
import { rule } from './rules/platform/no-placeholder-digest.ts';

type Obj = Record<string, any>;
const env = (over: Partial<DocEnv> = {}): DocEnv => ({ name: 'fixture', tier: 'production', approvedRegistries: [], complete: true, ...over });
function findings(objects: Obj[], docEnv = env()) {
  const problems: string[] = [];
  const docs = parseDocs('t.yaml', objects.map((o) => stringify(o)).join('---\n'), problems);
  assert.deepEqual(problems, []);
  return runRules(docs, [rule], () => docEnv).map((f) => `${f.object} ${f.path}`);
}
const cluster = (imageName: string) => ({ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'db', namespace: 'data' }, spec: { instances: 3, imageName } });

describe('platform/no-placeholder-digest', () => {
  test("a Cluster's operand image is checked at spec.imageName; a real digest passes", () => {
    assert.deepEqual(findings([cluster(`registry.example.com/tsdb:15@${TIMESCALEDB_DIGEST_PLACEHOLDER}`)]), ['Cluster/data/db spec.imageName']);
    assert.deepEqual(findings([cluster(`registry.example.com/tsdb:15@sha256:${'c'.repeat(64)}`)]), []);
  });

  test('applies to the production tier only', () => {
    assert.deepEqual(findings([cluster(`registry.example.com/tsdb:15@${TIMESCALEDB_DIGEST_PLACEHOLDER}`)], env({ tier: 'staging' })), []);
  });

  test('every declared placeholder is still pinned in rendered/prod (a replaced one must leave the list)', () => {
    const dir = join(import.meta.dirname, '../rendered/prod');
    const text = listFiles(dir).map((p) => readFileSync(join(dir, p), 'utf8')).join('\n');
    for (const p of PLACEHOLDER_DIGESTS) assert.ok(text.includes(p.digest), `${p.digest} (${p.image}) is no longer pinned: delete it from model/placeholder-digests.ts`);
  });
});
