// Writes docs/alerts.md from the rendered alert rules and their unit tests. `--check` exits 1 when the file is stale.
import { join } from 'node:path';
import { ModelError } from '../model/problems.ts';
import { alertsDoc } from '../policy-tests/alerting/alerts-doc.ts';
import { parseCommand } from './cli/command.ts';
import { writeOrCheckDoc } from './cli/generated-doc.ts';
import { reportModelError } from './cli/report-problems.ts';

const usage = `Usage: npm run docs:alerts [-- --check]

Writes docs/alerts.md from rendered/<env>/ (the PrometheusRules; run npm run render first) and
policy-tests/alerting/units/ (the unit tests).
  --check      write nothing; exit 1 when docs/alerts.md differs
  -h, --help   show this help

Exit codes: 0 written (or up to date), 1 stale, 2 usage error.`;

const { values } = parseCommand({ name: 'docs:alerts', usage, options: { check: { type: 'boolean' } } });
const repoRoot = join(import.meta.dirname, '..');
let text: string;
try {
  text = alertsDoc();
} catch (error) {
  // A model mistake is the user's: reported with its file and line, no stack trace, nothing written.
  if (!(error instanceof ModelError)) throw error;
  process.exit(await reportModelError(error, repoRoot, 'docs:alerts'));
}
writeOrCheckDoc(join(repoRoot, 'docs', 'alerts.md'), text, values.check === true, 'npm run docs:alerts');
