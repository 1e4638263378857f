// The compliance command (scripts/compliance.ts is its entry point): write docs/compliance.md, or with --check compare it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMPLIANCE_DOC, complianceDoc, ControlCatalogError, readControlIds } from '../../compliance/report.ts';
import { runCommand } from './command.ts';

const usage = `Usage: npm run compliance [-- --check]

Writes ${COMPLIANCE_DOC}: one row per control of the control catalog (../shared/requirements/controls.md, or
$GM_CONTROLS_FILE) with its status, what implements it and the test that proves it, from compliance/controls.ts.
npm run render writes it too. --check compares instead of writing.

Exit codes: 0 written (or up to date), 1 catalog missing or --check found a difference, 2 usage error.`;

const repoRoot = join(import.meta.dirname, '..', '..');

await runCommand({ name: 'compliance', usage, options: { check: { type: 'boolean' } } }, ({ values }) => {
  let doc: string;
  try {
    doc = complianceDoc(readControlIds());
  } catch (error) {
    if (!(error instanceof ControlCatalogError)) throw error;
    console.error(`compliance: ${error.message}`);
    return 1;
  }
  const path = join(repoRoot, COMPLIANCE_DOC);
  if (values.check) {
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {}
    if (current === doc) {
      console.log(`compliance --check: ${COMPLIANCE_DOC} is up to date`);
      return 0;
    }
    console.error(`compliance --check: ${COMPLIANCE_DOC} differs from compliance/controls.ts and the catalog; run npm run compliance and commit it`);
    return 1;
  }
  writeFileSync(path, doc);
  console.log(`compliance: wrote ${COMPLIANCE_DOC} (${doc.split('\n').filter((l) => /^\| [A-Z]/.test(l)).length} controls)`);
  return 0;
});
