// npm run diff:comment -- --dir <dir> --repo <owner/name> --pr <number>
// Posts (or updates in place) the markdown comments written by `npm run diff -- --format markdown --out-dir <dir>`.
// Needs GITHUB_TOKEN with pull-requests: write; CI runs it (.github/workflows/ci.yml).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { syncComments } from '../review/diff/pr-comments.ts';
import { runCommand, UsageError } from './cli/command.ts';

const usage = `Usage: GITHUB_TOKEN=… npm run diff:comment -- --dir <dir> --repo <owner/name> --pr <number>

Posts (or updates in place) the pull-request comments written by npm run diff -- --format markdown --out-dir <dir>.
GITHUB_TOKEN needs pull-requests: write; GITHUB_API_URL overrides https://api.github.com.

Exit codes: 0 posted, 1 no comment files in <dir> or GitHub refused, 2 usage error.`;

const options = { dir: { type: 'string' }, repo: { type: 'string' }, pr: { type: 'string' } } as const;

await runCommand({ name: 'diff:comment', usage, options }, async ({ values }) => {
  const problems = [
    !values.dir && '--dir is required (the --out-dir of npm run diff)',
    !values.repo?.includes('/') && '--repo owner/name is required',
    !/^\d+$/.test(values.pr ?? '') && '--pr <number> is required',
    !process.env.GITHUB_TOKEN && 'GITHUB_TOKEN is not set',
  ].filter((p) => typeof p === 'string');
  if (values.dir && !existsSync(values.dir)) problems.push(`--dir ${values.dir} does not exist`);
  if (problems.length > 0) throw new UsageError(...problems);
  const files = readdirSync(values.dir!).filter((f) => /^comment-\d+\.md$/.test(f)).sort((a, b) => Number(a.match(/\d+/)![0]) - Number(b.match(/\d+/)![0]));
  if (files.length === 0) {
    console.error(`diff:comment: no comment-N.md files in ${values.dir}`);
    return 1;
  }
  const parts = files.map((f) => readFileSync(join(values.dir!, f), 'utf8'));
  let plan;
  try {
    plan = await syncComments({ repository: values.repo!, pullRequest: Number(values.pr), token: process.env.GITHUB_TOKEN!, apiUrl: process.env.GITHUB_API_URL }, parts);
  } catch (error) {
    console.error(`diff:comment: ${(error as Error).message}`);
    return 1;
  }
  const count = (action: string) => plan.filter((p) => p.action === action).length;
  console.log(`diff:comment: ${parts.length} part(s): ${count('create')} created, ${count('update')} updated, ${count('delete')} deleted, ${parts.length - count('create') - count('update')} unchanged`);
  return 0;
});
