// npm run diff:comment -- --dir <dir> --repo <owner/name> --pr <number>
// Posts (or updates in place) the markdown comments written by `npm run diff -- --format markdown --out-dir <dir>`.
// Needs GITHUB_TOKEN with pull-requests: write; CI runs it (.github/workflows/ci.yml).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { syncComments } from '../review/diff/pr-comments.ts';

const usage = 'Usage: GITHUB_TOKEN=… npm run diff:comment -- --dir <dir> --repo <owner/name> --pr <number>';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { dir: { type: 'string' }, repo: { type: 'string' }, pr: { type: 'string' } } });
  const problems = [
    !values.dir && '--dir is required (the --out-dir of npm run diff)',
    !values.repo?.includes('/') && '--repo owner/name is required',
    !/^\d+$/.test(values.pr ?? '') && '--pr <number> is required',
    !process.env.GITHUB_TOKEN && 'GITHUB_TOKEN is not set',
  ].filter(Boolean);
  if (problems.length > 0) {
    console.error(`diff:comment: ${problems.join('\ndiff:comment: ')}\n${usage}`);
    return 2;
  }
  const files = readdirSync(values.dir!).filter((f) => /^comment-\d+\.md$/.test(f)).sort((a, b) => Number(a.match(/\d+/)![0]) - Number(b.match(/\d+/)![0]));
  if (files.length === 0) {
    console.error(`diff:comment: no comment-N.md files in ${values.dir}`);
    return 1;
  }
  const parts = files.map((f) => readFileSync(join(values.dir!, f), 'utf8'));
  const plan = await syncComments({ repository: values.repo!, pullRequest: Number(values.pr), token: process.env.GITHUB_TOKEN!, apiUrl: process.env.GITHUB_API_URL }, parts);
  const count = (action: string) => plan.filter((p) => p.action === action).length;
  console.log(`diff:comment: ${parts.length} part(s): ${count('create')} created, ${count('update')} updated, ${count('delete')} deleted, ${parts.length - count('create') - count('update')} unchanged`);
  return 0;
}

process.exitCode = await main();
