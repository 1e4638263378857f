// npm run promote -- <service...|--all> --from <env> --to <env> [--force] [--dry-run] [--format text|markdown|json]
import { resolve } from 'node:path';
import { environmentNames } from '../render/sources.ts';
import { FORMATS, formatReport, isFormat } from '../review/diff/output.ts';
import { SourceEditError } from '../review/promote/object-literal.ts';
import { BUILD_SOURCE, promote, PromotionError } from '../review/promote/promote.ts';
import { runCommand, UsageError } from './cli/command.ts';

const usage = `Usage: npm run promote -- <service>... | --all --from <env> --to <env> [--force] [--dry-run] [--format text|markdown|json]

Copies the pinned image digests of the named services (or all of them) from environments/<from>/images.ts
to environments/<to>/images.ts, and changes nothing else. Then prints the rendered diff it caused.

  <service>        a service to promote; <service>@sha256:… also states the digest you expect to ship
  --all            every service in the source environment
  --from <env>     the environment that runs the digests now, or \`build\`: digests CI has just built and
                   signed, each given as <service>@sha256:…, promoted into the first environment
  --to <env>       the next environment in the promotion order (environments/index.ts)
  --force          allow skipping an environment (dev → prod) or promoting backwards (a rollback)
  --dry-run        print the diff without editing the file
  --format <f>     text (default), markdown, json
  -h, --help       show this help

Refuses (exit 1, every reason listed) a digest the source environment does not run — its rendered/<from>/
must run what its images.ts pins — and skipping an environment without --force.
Exit codes: 0 promoted (or nothing to do), 1 refused, 2 usage error.`;

const options = {
  all: { type: 'boolean' }, from: { type: 'string' }, to: { type: 'string' }, force: { type: 'boolean' },
  'dry-run': { type: 'boolean' }, format: { type: 'string', default: 'text' },
} as const;

await runCommand({ name: 'promote', usage, options, positionals: true }, async ({ values, positionals }) => {
  const problems: string[] = [];
  if (!values.from) problems.push('--from is required');
  if (!values.to) problems.push('--to is required');
  for (const flag of ['from', 'to'] as const) {
    const env = values[flag];
    if (env && !(flag === 'from' && env === BUILD_SOURCE) && !environmentNames().includes(env)) problems.push(`--${flag}: unknown environment "${env}"; known: ${environmentNames().join(', ')}`);
  }
  if (values.all && positionals.length > 0) problems.push('give service names or --all, not both');
  if (!values.all && positionals.length === 0) problems.push('name the services to promote, or pass --all');
  if (!isFormat(values.format)) problems.push(`unknown --format "${values.format}": use ${FORMATS.join(', ')}`);
  if (problems.length > 0 || !isFormat(values.format)) throw new UsageError(...problems);
  const repo = resolve(import.meta.dirname, '..');
  let result;
  try {
    result = await promote({ repo, services: values.all ? 'all' : positionals, from: values.from!, to: values.to!, force: values.force, dryRun: values['dry-run'] });
  } catch (error) {
    if (error instanceof PromotionError || error instanceof SourceEditError) {
      console.error(`promote: ${error.message}`);
      return 1;
    }
    throw error;
  }
  const verb = values['dry-run'] ? 'would set' : 'set';
  for (const p of result.promoted) console.error(`promote: ${verb} ${p.service} in ${result.file}: ${p.before ?? '(none)'} → ${p.after}`);
  if (result.unchanged.length > 0) console.error(`promote: already at the ${values.from} digest: ${result.unchanged.join(', ')}`);
  if (result.promoted.length === 0) {
    console.error('promote: nothing to promote');
    return 0;
  }
  process.stdout.write(formatReport(result.report, values.format, result));
  if (!values['dry-run']) console.error(`promote: review the diff above, run npm run render, and commit ${result.file} with rendered/${values.to}/`);
  return 0;
});
