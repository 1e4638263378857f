// Strict schemas for the kinds the SLO and delivery generators render: the rendered Rollout,
// AnalysisTemplate and PrometheusRule validate, and a misspelt field in each is an error at its path.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { generate } from '../generators/index.ts';
import type { KubeObject } from '../generators/core/types.ts';
import { loadModel } from '../render/sources.ts';
import { parseDocs } from './lib/documents.ts';
import { loadSchemas, type CompiledSchemas } from './lib/schema/compile.ts';
import { validateDocument } from './lib/validate.ts';

let schemas: CompiledSchemas;
before(async () => {
  schemas = await loadSchemas();
});
const objects = generate(loadModel('dev')).map((f) => f.object);
const find = (kind: string, name: string) => structuredClone(objects.find((o) => o.kind === kind && o.metadata.name === name)) as any;

function check(object: KubeObject) {
  const problems: string[] = [];
  const docs = parseDocs('test.yaml', stringify(object), problems);
  assert.deepEqual(problems, []);
  return docs.flatMap((d) => validateDocument(schemas, d, 34));
}

const cases: Array<[string, string, (o: any) => void, string]> = [
  ['Rollout', 'admin-dashboard', (o) => { o.spec.strategy.blueGreen.previewSevice = o.spec.strategy.blueGreen.previewService; }, 'spec.strategy.blueGreen.previewSevice'],
  ['Rollout', 'event-ingestion', (o) => { o.spec.strategy.canary.steps[0].setWeigth = 10; }, 'spec.strategy.canary.steps[0].setWeigth'],
  ['AnalysisTemplate', 'event-ingestion-slo', (o) => { o.spec.metrics[0].provider.prometheus.querry = 'up'; }, 'spec.metrics[0].provider.prometheus.querry'],
  ['PrometheusRule', 'slo-event-ingestion', (o) => { o.spec.groups[0].rules[0].recrd = 'x'; }, 'spec.groups[0].rules[0].recrd'],
];

describe('strict schemas of Rollout, AnalysisTemplate and PrometheusRule', () => {
  for (const [kind, name, edit, path] of cases) {
    it(`${kind} ${name} validates as rendered, and not with ${path}`, () => {
      const object = find(kind, name);
      assert.ok(object, `${kind} ${name} is rendered`);
      assert.deepEqual(check(object), []);
      edit(object);
      const findings = check(object);
      assert.deepEqual(findings.map((f) => [f.ruleId, f.path]), [['schema/unknown-field', path]]);
    });
  }
});
