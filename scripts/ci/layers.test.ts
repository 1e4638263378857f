import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { layerOf, layerViolations, reachableFrom, relativeImports } from './layers.ts';

const repo = join(import.meta.dirname, '..', '..');

function trackedSources(): Map<string, string> {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts'], { cwd: repo, encoding: 'utf8' }).split('\n').filter(Boolean);
  return new Map(files.filter((f) => !f.startsWith('rendered/')).map((f) => [f, readFileSync(join(repo, f), 'utf8')] as const));
}

describe('layers', () => {
  test('no source file of the repository imports a higher layer', () => {
    const files = trackedSources();
    assert.ok(files.size > 150, `read ${files.size} files`);
    assert.deepEqual(layerViolations(files), []);
  });

  test('every top-level source folder belongs to a layer', () => {
    const folders = new Set([...trackedSources().keys()].filter((f) => f.includes('/')).map((f) => f.split('/')[0]));
    for (const folder of folders) assert.ok(layerOf(`${folder}/x.ts`), `${folder}/ has no layer in scripts/ci/layers.ts`);
  });

  test('rendering loads no test data: nothing reachable from generators/index.ts is under policy-tests/fixtures/', () => {
    const reachable = reachableFrom('generators/index.ts', trackedSources());
    assert.ok(reachable.has('policy-tests/rules/index.ts') && reachable.has('generators/kafka/cluster.ts'), 'the walk follows imports');
    assert.deepEqual([...reachable].filter((f) => f.startsWith('policy-tests/fixtures/') || f.includes('/testdata/')), []);
  });

  test('imports are found in static, side-effect and dynamic forms', () => {
    const source = "import a from './a.ts';\nimport type { B } from '../b.ts';\nimport './c.ts';\nconst d = await import('./d.ts');\nimport x from 'node:fs';";
    assert.deepEqual(relativeImports(source), ['./a.ts', '../b.ts', './c.ts', './d.ts']);
  });

  test('a generator importing the writer, a rule importing the CLI or its fixtures, and a service importing the model are refused', () => {
    const violations = layerViolations(new Map([
      ['generators/kafka/cluster.ts', "import { renderAll } from '../../render/render.ts';"],
      ['policy-tests/rules/platform/x.ts', "import { run } from '../../../scripts/cli/validate-policy.ts';"],
      ['apps/lib/config.ts', "import type { LoadedModel } from '../../model/loaded.ts';"],
      ['model/loader.ts', "import { platform } from './platform.ts';"],
      ['policy-tests/rules/platform/y.ts', "import { pod } from '../../fixtures/builders.ts';"],
      ['generators/policies/kyverno-policies.ts', "import { FIXTURES } from '../../policy-tests/fixtures/index.ts';"],
    ]));
    assert.deepEqual(violations.map((v) => [v.file, v.imports]), [
      ['generators/kafka/cluster.ts', 'render/render.ts'],
      ['policy-tests/rules/platform/x.ts', 'scripts/cli/validate-policy.ts'],
      ['apps/lib/config.ts', 'model/loaded.ts'],
      ['model/loader.ts', 'model/platform.ts'],
      ['policy-tests/rules/platform/y.ts', 'policy-tests/fixtures/builders.ts'],
      ['generators/policies/kyverno-policies.ts', 'policy-tests/fixtures/index.ts'],
    ]);
    assert.match(violations[0].reason, /generators may not import render/);
  });

  test('downward imports, same-layer imports and test files pass', () => {
    assert.deepEqual(layerViolations(new Map([
      ['render/render.ts', "import { generate } from '../generators/index.ts';\nimport { x } from './tree-writer.ts';"],
      ['generators/policies/kyverno-policies.ts', "import { CATALOG } from '../../policy-tests/rules/index.ts';"],
      ['model/platform.ts', "import { topics } from './topics.ts';"],
      ['model/loader.test.ts', "import { renderAll } from '../render/render.ts';"],
      ['apps/test/stack.ts', "import { loadModel } from '../../render/sources.ts';"],
      ['policy-tests/fixtures/platform.ts', "import { POD_SECURITY_ENFORCE_LABEL } from '../rules/platform/namespace-pod-security.ts';"],
    ])), []);
  });
});
