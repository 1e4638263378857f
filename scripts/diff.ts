// npm run diff -- --base <git-ref> [--head <git-ref>] [--format text|markdown|json] [--out-dir <dir>]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { diffRefs } from '../review/diff/index.ts';
import { formatMarkdown } from '../review/diff/format-markdown.ts';
import { GitRefError } from '../review/diff/git-tree.ts';
import { FORMATS, formatReport, isFormat } from '../review/diff/output.ts';
import { SnapshotError } from '../review/diff/snapshot.ts';
import { runCommand, UsageError } from './cli/command.ts';

const usage = `Usage: npm run diff -- --base <git-ref> [--head <git-ref>] [--format text|markdown|json] [--out-dir <dir>]

Renders both sides in memory, each from its own model (never from committed rendered/), and prints
what changes per environment, Argo CD Application and resource, field by field, with the blast
radius (tenants, services, environments) and risk flags (production, security, destructive, capacity).

  --base <ref>      the side to compare against, e.g. origin/main (required)
  --head <ref>      the changed side (default: the working tree, uncommitted changes included)
  --format <f>      text (default), markdown (pull-request comments), json
  --out-dir <dir>   markdown only: write comment-1.md, comment-2.md, … (one per PR comment) instead of printing
  -h, --help        show this help

Exit codes: 0 done (with or without changes), 1 a side does not render, 2 usage error (a ref git does not know included).`;

const options = { base: { type: 'string' }, head: { type: 'string' }, format: { type: 'string', default: 'text' }, 'out-dir': { type: 'string' } } as const;

await runCommand({ name: 'diff', usage, options }, async ({ values }) => {
  const problems: string[] = [];
  if (!values.base) problems.push('--base is required (e.g. --base origin/main)');
  if (!isFormat(values.format)) problems.push(`unknown --format "${values.format}": use ${FORMATS.join(', ')}`);
  if (values['out-dir'] && values.format !== 'markdown') problems.push('--out-dir only applies to --format markdown');
  if (problems.length > 0 || !isFormat(values.format)) throw new UsageError(...problems);
  const repo = resolve(import.meta.dirname, '..');
  let report;
  try {
    report = await diffRefs({ repo, base: values.base!, head: values.head });
  } catch (error) {
    if (error instanceof GitRefError) throw new UsageError(error.message);
    if (error instanceof SnapshotError) {
      console.error(`diff: ${error.message}`);
      return 1;
    }
    throw error;
  }
  if (values['out-dir']) {
    const parts = formatMarkdown(report);
    const dir = resolve(values['out-dir']);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    parts.forEach((part, i) => writeFileSync(join(dir, `comment-${i + 1}.md`), part));
    console.error(`diff: wrote ${parts.length} comment file(s) to ${dir}`);
  } else process.stdout.write(formatReport(report, values.format));
  return 0;
});
