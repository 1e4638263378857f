// Every relative link in the repository's Markdown resolves; the check finds a broken one, and leaves web
// links, anchors and code alone.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { brokenLinks, markdownFiles } from './doc-links.ts';

const REPO = join(import.meta.dirname, '..', '..');

describe('links in the Markdown', () => {
  test("every relative link of the repository's Markdown names a file that exists", () => {
    const files = markdownFiles(REPO);
    assert.ok(files.some((f) => f.endsWith('README.md')) && files.some((f) => f.includes('/docs/runbooks/')), 'README, docs and runbooks are read');
    assert.deepEqual(brokenLinks(REPO, files), []);
  });

  test('a broken link is reported with its file and line; web links, anchors, code and fenced blocks are not', () => {
    const root = mkdtempSync(join(tmpdir(), 'gm-doc-links-'));
    try {
      mkdirSync(join(root, 'docs'));
      writeFileSync(join(root, 'docs', 'here.md'), '# here\n');
      writeFileSync(join(root, 'README.md'), [
        '[ok](docs/here.md) and [ok with anchor](docs/here.md#here) and [web](https://example.com/x.md) and [anchor](#top)',
        'inline code `[not a link](missing-in-code.md)`',
        '```',
        '[not a link](missing-in-fence.md)',
        '```',
        'see [the runbook](docs/gone.md "title")',
      ].join('\n'));
      assert.deepEqual(brokenLinks(root), [{ file: 'README.md', line: 6, target: 'docs/gone.md' }]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
