// npm run golden: rewrite the generators' golden files after an intended change (review their diff).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseCommand } from './cli/command.ts';

parseCommand({
  name: 'golden',
  usage: `Usage: npm run golden

Runs the generator tests with UPDATE_GOLDEN=1: each concern's golden files (generators/<concern>/testdata/<env>/,
its output for the tiny model in generators/testdata/) are rewritten to what the generators now render.
Review their diff before committing; a plain npm test only compares.`,
  options: {},
});

const repo = join(import.meta.dirname, '..');
const run = spawnSync(process.execPath, ['--test', 'generators/**/*.test.ts'], { cwd: repo, stdio: 'inherit', env: { ...process.env, UPDATE_GOLDEN: '1' } });
process.exitCode = run.status ?? 1;
