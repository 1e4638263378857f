// Writes docs/POLICIES.md from the rule catalog (policy-tests/rules/). `--check` exits 1 when the file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { policyDocs } from '../policy-tests/lib/policy-docs.ts';

const path = join(import.meta.dirname, '..', 'docs', 'POLICIES.md');
const text = policyDocs();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    console.error('docs/POLICIES.md is out of date: run npm run docs:policies');
    process.exitCode = 1;
  }
} else {
  writeFileSync(path, text);
  console.log(`wrote ${path}`);
}
