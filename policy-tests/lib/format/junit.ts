// JUnit XML: one test suite per file, one test case per document, a failure per error finding.
import type { Finding, Report } from '../findings.ts';

const x = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function formatJunit(r: Report, docsByFile: Map<string, Array<{ index: number; ref: string }>>): string {
  const byDoc = new Map<string, Finding[]>();
  for (const f of r.findings) {
    const k = `${f.file}#${f.documentIndex}`;
    if (!byDoc.has(k)) byDoc.set(k, []);
    byDoc.get(k)!.push(f);
  }
  const suites: string[] = [];
  let total = 0;
  let failed = 0;
  // Findings outside any document (model waivers) get a suite of their own.
  const files = new Map(docsByFile);
  for (const f of r.findings) if (!files.has(f.file)) files.set(f.file, [{ index: f.documentIndex, ref: f.object }]);
  for (const [file, docs] of [...files].sort((a, b) => a[0].localeCompare(b[0]))) {
    const cases = docs.map((d) => {
      const fs = byDoc.get(`${file}#${d.index}`) ?? [];
      const errors = fs.filter((f) => !f.waiver && f.severity === 'error');
      total++;
      if (errors.length) failed++;
      const body =
        errors.map((f) => `      <failure type="${x(f.ruleId)}" message="${x(`${f.path}: ${f.message}`)}">${x(`${f.file}:${f.line} ${f.ruleId} ${f.path}: ${f.message}${f.fix ? `\nfix: ${f.fix}` : ''}`)}</failure>`).join('\n') +
        fs
          .filter((f) => f.waiver || f.severity === 'warning')
          .map((f) => `\n      <system-out>${x(`${f.waiver ? 'waived' : 'warning'} ${f.ruleId} ${f.path}: ${f.message}${f.waiver ? ` (${f.waiver.reason})` : ''}`)}</system-out>`)
          .join('');
      return `    <testcase classname="${x(file)}" name="${x(`[doc ${d.index}] ${d.ref}`)}">${body ? `\n${body.replace(/^\n/, '')}\n    ` : ''}</testcase>`;
    });
    const suiteFailures = docs.filter((d) => (byDoc.get(`${file}#${d.index}`) ?? []).some((f) => !f.waiver && f.severity === 'error')).length;
    suites.push(`  <testsuite name="${x(file)}" tests="${docs.length}" failures="${suiteFailures}">\n${cases.join('\n')}\n  </testsuite>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${r.tool}" tests="${total}" failures="${failed}">\n${suites.join('\n')}\n</testsuites>\n`;
}
