// Writes docs/alerts.md from the rendered alert rules and their unit tests. `--check` exits 1 when the file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alertsDoc } from '../policy-tests/alerting/alerts-doc.ts';
import { parseCommand } from './cli/command.ts';

const usage = `Usage: npm run docs:alerts [-- --check]

Writes docs/alerts.md from rendered/<env>/ (the PrometheusRules; run npm run render first) and
policy-tests/alerting/units/ (the unit tests).
  --check      write nothing; exit 1 when docs/alerts.md differs
  -h, --help   show this help

Exit codes: 0 written (or up to date), 1 stale, 2 usage error.`;

const { values } = parseCommand({ name: 'docs:alerts', usage, options: { check: { type: 'boolean' } } });
const path = join(import.meta.dirname, '..', 'docs', 'alerts.md');
const text = alertsDoc();
if (values.check) {
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    console.error('docs/alerts.md is out of date: run npm run docs:alerts');
    process.exitCode = 1;
  }
} else {
  writeFileSync(path, text);
  console.log(`wrote ${path}`);
}
