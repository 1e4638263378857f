// Writes docs/POLICIES.md from the rule catalog (policy-tests/rules/). `--check` exits 1 when the file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { policyDocs } from '../policy-tests/lib/policy-docs.ts';
import { parseCommand } from './cli/command.ts';

const usage = `Usage: npm run docs:policies [-- --check]

Writes docs/POLICIES.md from the rule catalog (policy-tests/rules/).
  --check      write nothing; exit 1 when docs/POLICIES.md differs from the catalog
  -h, --help   show this help

Exit codes: 0 written (or up to date), 1 stale, 2 usage error.`;

const { values } = parseCommand({ name: 'docs:policies', usage, options: { check: { type: 'boolean' } } });
const path = join(import.meta.dirname, '..', 'docs', 'POLICIES.md');
const text = policyDocs();
if (values.check) {
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
