import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { locateProblems } from './locate.ts';
import type { Problem } from './problems.ts';

const repo = join(import.meta.dirname, '..');

/** 1-based line of the first line of `file` containing `text`. */
function lineOf(file: string, text: string): number {
  const line = readFileSync(join(repo, file), 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;
  assert.ok(line > 0, `${text} not in ${file}`);
  return line;
}

test('model paths map to the file and line of the entry, following imports', () => {
  const problems: Problem[] = [
    { path: ['tenants', 'gamemetrics', 'services', 'event-processor', 'consumes', 0, 'topic'], message: 'x' },
    { path: ['topics', 'player.events.raw.dlq', 'purpose'], message: 'x' },
    { path: ['environments', 'prod', 'topics', 'player.events.raw', 'partitions'], message: 'x' },
    { path: ['environments', 'staging', 'images', 'analytics-api'], message: 'x' },
  ];
  locateProblems(problems, repo);
  const at = problems.map((p) => `${relative(repo, p.file!)}:${p.line}`);
  assert.deepEqual(at, [
    `model/tenants/gamemetrics.ts:${lineOf('model/tenants/gamemetrics.ts', "consumes: [{ topic: 'player.events.raw'")}`,
    `model/topics.ts:${lineOf('model/topics.ts', "description: 'Raw events event-processor could not process") + 3}`,
    `environments/prod/index.ts:${lineOf('environments/prod/index.ts', "'player.events.raw': { partitions: 12 }")}`,
    `environments/staging/images.ts:${lineOf('environments/staging/images.ts', "'analytics-api':")}`,
  ]);
});

test('an entry that is not written (a default) points at its nearest written parent', () => {
  const problems: Problem[] = [{ path: ['tenants', 'gamemetrics', 'services', 'analytics-api', 'health', 'liveness'], message: 'x' }];
  locateProblems(problems, repo);
  assert.equal(relative(repo, problems[0].file!), 'model/tenants/gamemetrics.ts');
  assert.equal(problems[0].line, lineOf('model/tenants/gamemetrics.ts', "'analytics-api': {"));
});

test('a missing entry of an imported object points into the file that holds the object', () => {
  const problems: Problem[] = [{ path: ['environments', 'staging', 'images', 'no-such-service'], message: 'x' }];
  locateProblems(problems, repo);
  assert.equal(relative(repo, problems[0].file!), 'environments/staging/images.ts');
  assert.equal(problems[0].line, lineOf('environments/staging/images.ts', 'export const images'));
});
