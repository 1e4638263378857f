// Writes docs/POLICIES.md from the rule catalog (policy-tests/rules/). `--check` exits 1 when the file is stale.
import { join } from 'node:path';
import { policyDocs } from '../policy-tests/lib/policy-docs.ts';
import { parseCommand } from './cli/command.ts';
import { writeOrCheckDoc } from './cli/generated-doc.ts';

const usage = `Usage: npm run docs:policies [-- --check]

Writes docs/POLICIES.md from the rule catalog (policy-tests/rules/).
  --check      write nothing; exit 1 when docs/POLICIES.md differs from the catalog
  -h, --help   show this help

Exit codes: 0 written (or up to date), 1 stale, 2 usage error.`;

const { values } = parseCommand({ name: 'docs:policies', usage, options: { check: { type: 'boolean' } } });
const path = join(import.meta.dirname, '..', 'docs', 'POLICIES.md');
const text = policyDocs();
writeOrCheckDoc(path, text, values.check === true, 'npm run docs:policies');
