// Architecture decision records (docs/adr/): each NNNN-title.md has its number as title, a status and a date,
// then Context, Decision and Consequences in that order; the numbers run without gaps; the index lists each.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const RECORD = /^(\d{4})-[a-z0-9-]+\.md$/;
const STATUS = /^Status: (proposed|accepted|deprecated|superseded by \d{4})$/m;
const SECTIONS = ['## Context', '## Decision', '## Consequences'];

/** Every problem of the records in `dir`, each naming its file. */
export function adrProblems(dir: string): string[] {
  const problems: string[] = [];
  const files = readdirSync(dir).filter((f) => f !== 'README.md' && f.endsWith('.md')).sort();
  const index = readFileSync(join(dir, 'README.md'), 'utf8');
  files.forEach((file, i) => {
    const m = RECORD.exec(file);
    if (!m) return void problems.push(`${file}: name it NNNN-title-in-kebab-case.md`);
    const expected = String(i + 1).padStart(4, '0');
    if (m[1] !== expected) problems.push(`${file}: numbered ${m[1]}, expected ${expected} (no gaps, no duplicates)`);
    const text = readFileSync(join(dir, file), 'utf8');
    if (!text.startsWith(`# ${m[1]}. `)) problems.push(`${file}: the first line must be "# ${m[1]}. <title>"`);
    if (!STATUS.test(text)) problems.push(`${file}: no "Status: proposed|accepted|deprecated|superseded by NNNN" line`);
    if (!/^Date: \d{4}-\d{2}-\d{2}$/m.test(text)) problems.push(`${file}: no "Date: YYYY-MM-DD" line`);
    const at = SECTIONS.map((s) => text.split('\n').indexOf(s));
    if (at.some((n) => n < 0) || at.some((n, j) => j > 0 && n < at[j - 1])) problems.push(`${file}: needs ${SECTIONS.join(', ')}, in that order`);
    if (!index.includes(`(${file})`)) problems.push(`${file}: not listed in README.md`);
  });
  return problems;
}
