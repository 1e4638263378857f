import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { relative, join } from 'node:path';
import { describe, test } from 'node:test';
import { controlsFile } from '../compliance/catalog-file.ts';
import { isDeclaredInput } from './inputs.ts';
import { COMPLIANCE_DOC, } from '../compliance/report.ts';
import { ARCHITECTURE_DOC, EXTERNALS_DOC, RATE_LIMITS_DOC } from './render.ts';

const repo = join(import.meta.dirname, '..');
const OUTPUTS = [ARCHITECTURE_DOC, EXTERNALS_DOC, RATE_LIMITS_DOC, COMPLIANCE_DOC];

/** Why a path a render touched is not covered by render/inputs.ts, or null when it is. */
function undeclared(path: string): string | null {
  if (path === controlsFile()) return null;
  const rel = relative(repo, path);
  if (rel.startsWith('..')) return `${path} is outside the repository`;
  if (rel.startsWith('node_modules/')) return null; // packages, pinned by the lockfiles; the caches derive from inputs
  if (rel === 'rendered' || rel.startsWith('rendered/') || OUTPUTS.includes(rel)) return null; // its own output
  return isDeclaredInput(rel) ? null : `${rel} is read by the render but is not a declared input`;
}

describe('render/inputs.ts declares everything a render reads', () => {
  test('every module a render imports and every file it reads is a declared input, an output or a package', () => {
    const traced = spawnSync(process.execPath, [join(import.meta.dirname, 'testdata/trace-render.ts'), repo], { encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.equal(traced.status, 0, traced.stderr);
    const { imported, read } = JSON.parse(traced.stdout) as { imported: string[]; read: string[] };
    const problems = [...imported, ...read].map(undeclared).filter((p) => p !== null);
    assert.deepEqual(problems, []);
    // The trace saw the render's own reads, so the check above means something.
    assert.ok(imported.includes(join(repo, 'model/platform.ts')) && imported.includes(join(repo, 'generators/index.ts')), 'the model and the generators are imported');
    assert.ok(read.some((p) => p.startsWith(join(repo, 'migrations/')) && p.endsWith('.sql')), 'the migrations are read');
    assert.ok(read.includes(join(repo, 'model/topic-schemas.lock.json')), 'the topic schema lock is read');
  });

  test('tests, test data and code outside the source folders are not inputs', () => {
    assert.equal(isDeclaredInput('model/tenants/gamemetrics.ts'), true);
    assert.equal(isDeclaredInput('apps/lib/http-buckets.ts'), true);
    assert.equal(isDeclaredInput('node_modules/.package-lock.json'), true);
    assert.equal(isDeclaredInput('generators/workloads/workloads.test.ts'), false);
    assert.equal(isDeclaredInput('generators/testdata/model.ts'), false);
    assert.equal(isDeclaredInput('policy-tests/fixtures/builders.ts'), false);
    assert.equal(isDeclaredInput('scripts/cli/command.ts'), false);
    assert.equal(isDeclaredInput('apps/lib/redis.ts'), false);
    assert.equal(undeclared(join(repo, 'scripts/cli/command.ts')), 'scripts/cli/command.ts is read by the render but is not a declared input');
    assert.equal(undeclared(join(repo, 'rendered/dev/namespaces/namespace-data.yaml')), null);
  });
});
