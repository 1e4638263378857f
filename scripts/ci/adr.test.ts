// The architecture decision records are well formed and indexed; the check finds a malformed one.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { adrProblems } from './adr.ts';

const good = (n: string) => `# ${n}. A decision\n\nStatus: accepted\nDate: 2026-11-30\n\n## Context\n\nx\n\n## Decision\n\ny\n\n## Consequences\n\nz\n`;

describe('architecture decision records', () => {
  test('docs/adr: every record has its number, status, date and sections, and is listed', () => {
    assert.deepEqual(adrProblems(join(import.meta.dirname, '..', '..', 'docs', 'adr')), []);
  });

  test('a gap in the numbers, a missing section and an unlisted record are each reported', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gm-adr-'));
    try {
      writeFileSync(join(dir, 'README.md'), '[0001](0001-first.md) [0003](0003-third.md)\n');
      writeFileSync(join(dir, '0001-first.md'), good('0001'));
      writeFileSync(join(dir, '0003-third.md'), good('0003').replace('## Decision\n', ''));
      writeFileSync(join(dir, '0004-fourth.md'), good('0004').replace('Status: accepted', 'Status: maybe'));
      assert.deepEqual(adrProblems(dir), [
        '0003-third.md: numbered 0003, expected 0002 (no gaps, no duplicates)',
        '0003-third.md: needs ## Context, ## Decision, ## Consequences, in that order',
        '0004-fourth.md: numbered 0004, expected 0003 (no gaps, no duplicates)',
        '0004-fourth.md: no "Status: proposed|accepted|deprecated|superseded by NNNN" line',
        '0004-fourth.md: not listed in README.md',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
