// Worker-thread validation gives the same findings, in the same order, as the main-thread path.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { collectFiles, loadDocuments } from './lib/documents.ts';
import { deployment } from './fixtures/builders.ts';
import { sortFindings } from './lib/findings.ts';
import { shouldParallelize, validateInWorkers } from './lib/validate-parallel.ts';
import { validateDocuments } from './lib/validate.ts';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'validate-parallel-'));
  for (let i = 0; i < 12; i++) {
    writeFileSync(join(dir, `d${i}.yaml`), [deployment(), deployment((d) => (d.spec.template.spec.containers[0][`imagePullPolicy${i}`] = 'Always'))].join('---\n'));
  }
  writeFileSync(join(dir, 'real.yaml'), 'apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: p}\nspec: {maxUnavailable: 1}\n');
});
after(() => rmSync(dir, { recursive: true, force: true }));

it('finds the same problems in two workers as on the main thread', async () => {
  const files = collectFiles([dir]);
  assert.equal(shouldParallelize(files), false);
  assert.equal(shouldParallelize(files, 1), true);
  const serial = await validateDocuments(loadDocuments([dir]).docs, { kubernetesMinor: () => 34 });
  const parallel = await validateInWorkers({ files, minorByEnv: {}, defaultEnv: 'prod', defaultMinor: 34 }, 2);
  assert.equal(parallel.docs.length, 25);
  assert.deepEqual(sortFindings(parallel.findings), sortFindings(serial));
  assert.equal(serial.length, 13);
});

it('reports unparsable files from workers as input errors', async () => {
  const bad = join(dir, 'zz-broken.yaml');
  writeFileSync(bad, 'a: [1\n');
  await assert.rejects(validateInWorkers({ files: collectFiles([dir]), minorByEnv: {}, defaultEnv: 'prod', defaultMinor: 34 }, 1), (e: Error & { problems?: string[] }) => /zz-broken\.yaml:\d+: YAML error/.test(e.problems?.join('\n') ?? ''));
  rmSync(bad);
});
