// The cost command (scripts/cost.ts is its entry point): requested CPU and memory per tenant and environment, priced.
import { join } from 'node:path';
import { environmentNames } from '../../render/sources.ts';
import { loadEnvironments } from '../../render/render.ts';
import { ModelError } from '../../model/problems.ts';
import { describeError, reportInternalError, reportModelError } from './report-problems.ts';
import { runCommand, UsageError } from './command.ts';
import { costMarkdown, costText } from './cost-report.ts';

const usage = `Usage: npm run cost -- [--env <name>]... [--format text|markdown]

Per tenant and environment: the CPU and memory the services request at minimum scale (HPA minReplicas,
fixed replicas, cron jobs idle) and at maximum scale (HPA maxReplicas, one running pod per cron job), and
their monthly cost at the list prices of model/capacity.ts. Environments: ${environmentNames().join(', ')}
(default: all). Default format: text.

Exit codes: 0 printed, 1 model problems, 2 usage error.`;

const options = { env: { type: 'string', multiple: true }, format: { type: 'string', default: 'text' } } as const;

await runCommand({ name: 'cost', usage, options }, ({ values }) => {
  const known = environmentNames();
  const envs = values.env ?? known;
  const unknown = envs.filter((e) => !known.includes(e));
  if (unknown.length > 0) throw new UsageError(...unknown.map((e) => `unknown environment "${e}"; known: ${known.join(', ')}`));
  if (values.format !== 'text' && values.format !== 'markdown') throw new UsageError(`--format must be text or markdown, not "${values.format}"`);
  try {
    const models = loadEnvironments(envs);
    process.stdout.write(values.format === 'text' ? costText(models) : costMarkdown(models));
    return 0;
  } catch (error) {
    if (error instanceof ModelError) return reportModelError(error, join(import.meta.dirname, '..', '..'), 'cost');
    return reportInternalError('cost', describeError(error));
  }
});
