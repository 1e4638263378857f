import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { RACY_MS, type RenderKey, forgetRender, recordPath, recordRender, snapshotInputs, upToDate } from './last-render.ts';

// A checkout in miniature: one model file, one test beside it, one rendered environment, one generated doc.
let repo: string;
let key: RenderKey;
const summary = [{ env: 'dev', files: 1 }];
const rendered = 'rendered/dev/namespace.yaml';
const doc = 'docs/architecture.md';
const write = (path: string, content: string) => {
  mkdirSync(join(repo, path, '..'), { recursive: true });
  writeFileSync(join(repo, path), content);
};
const outputs = (files: Record<string, string> = { [rendered]: 'kind: Namespace\n', [doc]: '# Architecture\n' }) => ({ folders: ['rendered/dev'], files: new Map(Object.entries(files)) });
/** Record a render as if it ran `ageMs` ago: an older record trusts the times alone. */
function record(ageMs = 0, files?: Record<string, string>): void {
  const now = Date.now() + ageMs;
  recordRender(key, snapshotInputs(repo, now), outputs(files), summary, now);
}

beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'gm-last-render-'));
  key = { repoRoot: repo, envs: undefined, today: '2026-11-30' };
  write('model/platform.ts', 'export const platform = {};\n');
  write('model/platform.test.ts', '// a test\n');
  write(rendered, 'kind: Namespace\n');
  write(doc, '# Architecture\n');
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

describe('the record of the last render', () => {
  test('with nothing changed, the render is up to date, recent files included (compared by content)', () => {
    record();
    assert.deepEqual(upToDate(key), summary);
    const entries = JSON.parse(readFileSync(recordPath(repo), 'utf8')) as { files: Record<string, unknown[] | null> };
    assert.equal(entries.files['model/platform.ts']?.length, 5, 'a file written just now carries its hash');
    assert.equal(entries.files['model/platform.test.ts'], undefined, 'tests are not inputs');
    assert.equal(entries.files['node_modules/.package-lock.json'], null, 'a missing input is recorded as missing');
    record(RACY_MS + 1_000);
    const aged = JSON.parse(readFileSync(recordPath(repo), 'utf8')) as { files: Record<string, unknown[] | null> };
    assert.equal(aged.files['model/platform.ts']?.length, 4, 'an older file is compared by its times alone');
    assert.deepEqual(upToDate(key), summary);
  });

  test('an edited input, even of the same size, needs a render', () => {
    record(RACY_MS + 1_000);
    write('model/platform.ts', 'export const platform = [];\n'.slice(0, 28));
    assert.equal(upToDate(key), null);
  });

  test('a file added to or removed from an input folder needs a render', () => {
    record(RACY_MS + 1_000);
    write('model/tenants.ts', 'export {};\n');
    assert.equal(upToDate(key), null);
    record(RACY_MS + 1_000);
    rmSync(join(repo, 'model/tenants.ts'));
    assert.equal(upToDate(key), null);
  });

  test('an input that appears where the record says none was needs a render', () => {
    record();
    write('node_modules/.package-lock.json', '{}\n');
    assert.equal(upToDate(key), null);
  });

  test('editing a test does not', () => {
    record();
    write('model/platform.test.ts', '// another test\n');
    assert.deepEqual(upToDate(key), summary);
  });

  test('an output edited by hand, removed, or a file added among them needs a render', () => {
    record(RACY_MS + 1_000);
    writeFileSync(join(repo, rendered), 'kind: Secret\n');
    assert.equal(upToDate(key), null, 'edited');
    write(rendered, 'kind: Namespace\n');
    record(RACY_MS + 1_000);
    rmSync(join(repo, doc));
    assert.equal(upToDate(key), null, 'a generated doc removed');
    write(doc, '# Architecture\n');
    record(RACY_MS + 1_000);
    write('rendered/dev/extra.yaml', 'kind: ConfigMap\n');
    assert.equal(upToDate(key), null, 'an extra file');
  });

  test('a recent output is held to what the render wrote, not to what is on disk when recorded', () => {
    // Written by someone else in the moment between the render's write and the record: same times, other bytes.
    record(0, { [rendered]: 'kind: Namespace\nmetadata: {}\n', [doc]: '# Architecture\n' });
    assert.equal(upToDate(key), null);
  });

  test('no record when the owned folders hold other files than those written (added or removed since the commit)', () => {
    write('rendered/dev/stray.yaml', 'kind: ConfigMap\n');
    record();
    assert.equal(upToDate(key), null, 'a file the render did not write');
    rmSync(join(repo, 'rendered/dev/stray.yaml'));
    rmSync(join(repo, doc));
    record();
    assert.equal(upToDate(key), null, 'a file the render wrote is gone');
    write(doc, '# Architecture\n');
    record();
    assert.deepEqual(upToDate(key), summary);
  });

  test('another date, other environments or another checkout are another render', () => {
    record();
    assert.equal(upToDate({ ...key, today: '2026-12-01' }), null, 'waivers may expire overnight');
    assert.equal(upToDate({ ...key, envs: ['dev'] }), null);
    assert.equal(upToDate({ ...key, repoRoot: `${repo}/` }), null);
  });

  test('a forgotten, corrupt or foreign record is not used', () => {
    record();
    forgetRender(repo);
    assert.equal(upToDate(key), null);
    record();
    writeFileSync(recordPath(repo), '{"format":1,');
    assert.equal(upToDate(key), null);
    record();
    const foreign = JSON.parse(readFileSync(recordPath(repo), 'utf8'));
    writeFileSync(recordPath(repo), JSON.stringify({ ...foreign, format: 0 }));
    assert.equal(upToDate(key), null);
  });
});
