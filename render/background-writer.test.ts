import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BACKGROUND_FROM, BackgroundWriter } from './background-writer.ts';
import { listFiles } from './tree-writer.ts';

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

  test('stages large trees on its worker: a new tree whole, then only what differs from the tree in place', async () => {
    const first = tree(BACKGROUND_FROM + 10, 'v1');
    const writer = new BackgroundWriter();
    writer.write(join(dir, 'large-1'), first, join(dir, 'none'));
    const staged = await writer.finish();
    assert.deepEqual(staged.get(join(dir, 'large-1')), { whole: true, written: [...first.keys()], removed: [] });
    for (const [path, content] of first) assert.equal(readFileSync(join(dir, 'large-1', path), 'utf8'), content, path);

    const second = new Map(first);
    second.set('ns-3/file-3.yaml', 'kind: ConfigMap\nname: changed\n');
    second.delete('ns-4/file-4.yaml');
    second.set('ns-new/file-new.yaml', 'kind: ConfigMap\nname: new\n');
    const again = new BackgroundWriter();
    again.write(join(dir, 'large-2'), second, join(dir, 'large-1'));
    const restaged = (await again.finish()).get(join(dir, 'large-2'));
    assert.deepEqual(restaged, { whole: false, written: ['ns-3/file-3.yaml', 'ns-new/file-new.yaml'], removed: ['ns-4/file-4.yaml'] });
    assert.deepEqual(listFiles(join(dir, 'large-2')), ['ns-3/file-3.yaml', 'ns-new/file-new.yaml'], 'only the changed and new files are written');
    assert.equal(readFileSync(join(dir, 'large-2/ns-3/file-3.yaml'), 'utf8'), 'kind: ConfigMap\nname: changed\n');
    assert.equal(readFileSync(join(dir, 'large-1/ns-3/file-3.yaml'), 'utf8'), first.get('ns-3/file-3.yaml'), 'the tree in place is not touched');
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
