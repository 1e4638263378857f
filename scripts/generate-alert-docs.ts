// Writes docs/alerts.md from the rendered alert rules and their unit tests. `--check` exits 1 when the file is stale.
import { join } from 'node:path';
import { alertsDoc } from '../policy-tests/alerting/alerts-doc.ts';
import { parseCommand } from './cli/command.ts';
import { writeOrCheckDoc } from './cli/generated-doc.ts';

const usage = `Usage: npm run docs:alerts [-- --check]

Writes docs/alerts.md from rendered/<env>/ (the PrometheusRules; run npm run render first) and
policy-tests/alerting/units/ (the unit tests).
  --check      write nothing; exit 1 when docs/alerts.md differs
  -h, --help   show this help

Exit codes: 0 written (or up to date), 1 stale, 2 usage error.`;

const { values } = parseCommand({ name: 'docs:alerts', usage, options: { check: { type: 'boolean' } } });
const path = join(import.meta.dirname, '..', 'docs', 'alerts.md');
const text = alertsDoc();
writeOrCheckDoc(path, text, values.check === true, 'npm run docs:alerts');
