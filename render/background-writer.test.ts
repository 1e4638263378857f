import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BACKGROUND_FROM, BackgroundWriter } from './background-writer.ts';

const tree = (count: number, tag: string) => new Map(Array.from({ length: count }, (_, i) => [`ns-${i % 7}/file-${i}.yaml`, `kind: ConfigMap\nname: ${tag}-${i}\n`]));

describe('BackgroundWriter', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gm-writer-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('writes a small tree on the calling thread, before finish()', async () => {
    const writer = new BackgroundWriter();
    writer.write(join(dir, 'small'), tree(3, 'small'), join(dir, 'none'));
    assert.equal(readFileSync(join(dir, 'small/ns-2/file-2.yaml'), 'utf8'), 'kind: ConfigMap\nname: small-2\n');
    await writer.finish();
  });

  test('writes large trees on its worker: every file, exact content, old files linked when unchanged', async () => {
    const first = tree(BACKGROUND_FROM + 10, 'v1');
    const writer = new BackgroundWriter();
    writer.write(join(dir, 'large-1'), first, join(dir, 'none'));
    const second = new Map(first);
    second.set('ns-3/file-3.yaml', 'kind: ConfigMap\nname: changed\n');
    await writer.finish();
    const again = new BackgroundWriter();
    again.write(join(dir, 'large-2'), second, join(dir, 'large-1'));
    await again.finish();
    for (const [path, content] of second) assert.equal(readFileSync(join(dir, 'large-2', path), 'utf8'), content, path);
    assert.equal(statSync(join(dir, 'large-2/ns-1/file-1.yaml')).ino, statSync(join(dir, 'large-1/ns-1/file-1.yaml')).ino);
    assert.notEqual(statSync(join(dir, 'large-2/ns-3/file-3.yaml')).ino, statSync(join(dir, 'large-1/ns-3/file-3.yaml')).ino);
  });

  test('a write error on the worker surfaces in finish(), naming the path', async () => {
    writeFileSync(join(dir, 'blocker'), 'a file where a folder must go\n');
    const writer = new BackgroundWriter();
    writer.write(join(dir, 'blocker/tree'), tree(BACKGROUND_FROM, 'x'), join(dir, 'none'));
    await assert.rejects(writer.finish(), (error: Error) => {
      assert.match(error.message, /ENOTDIR/);
      assert.match(error.message, /blocker\/tree/);
      return true;
    });
  });
});
