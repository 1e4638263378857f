// npm run bench:diff: wall time of `npm run diff` for a one-line model change on the real model
// (cold node process, both sides rendered from their own sources, markdown formatted), in a
// scratch git repository holding this repository's HEAD, so the bench never touches the working tree.
// Prints a Markdown table for docs/BENCHMARKS.md.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fixtureRepo } from '../../review/diff/fixture-repo.ts';
import { openSource, setProperty } from '../../review/promote/object-literal.ts';
import { parseCommand } from '../cli/command.ts';

parseCommand({
  name: 'bench:diff',
  usage: `Usage: npm run bench:diff

Wall time of npm run diff for a one-line model change of the real model, in a scratch git repository;
prints a Markdown table for docs/BENCHMARKS.md. Environment: BENCH_RUNS (runs per figure, default 5).`,
  options: {},
});

const runs = Number(process.env.BENCH_RUNS ?? 5);
const TARGET_MS = 5000;
const node = process.execPath;

const stats = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)], max: sorted[sorted.length - 1] };
};

const repo = await fixtureRepo();
try {
  // The one-line change: event-ingestion requests more CPU in prod.
  const file = 'environments/prod/index.ts';
  const before = repo.read(file);
  const source = openSource(file, before);
  setProperty(source, 'prod', ['services', 'event-ingestion', 'resources', 'requests', 'cpu'], "'750m'");
  const changedLines = before.split('\n').filter((line, i) => line !== source.text().split('\n')[i]).length;
  if (changedLines !== 1) throw new Error(`expected a one-line change in ${file}, got ${changedLines} lines`);
  writeFileSync(join(repo.dir, file), source.text());

  const time = (args: string[]) => {
    const samples: number[] = [];
    let output = '';
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      output = execFileSync(node, ['scripts/diff.ts', ...args], { cwd: repo.dir, encoding: 'utf8' });
      samples.push(performance.now() - start);
    }
    return { ...stats(samples), output };
  };
  const workingTree = time(['--base', 'HEAD', '--format', 'markdown']);
  repo.git('commit', '-q', '-am', 'one-line change');
  const refs = time(['--base', 'HEAD~1', '--head', 'HEAD', '--format', 'markdown']);
  if (!/Rollout gamemetrics\/event-ingestion/.test(refs.output)) throw new Error(`the diff does not show the change:\n${refs.output}`);

  const files = execFileSync('git', ['-C', repo.dir, 'ls-files', 'rendered'], { encoding: 'utf8' }).trim().split('\n').length;
  const row = (what: string, s: { min: number; median: number; max: number }) =>
    `| ${what} | ${Math.round(s.median)} | ${Math.round(s.min)} | ${Math.round(s.max)} | ${s.median < TARGET_MS ? 'yes' : '**no**'} |`;
  console.log(`diff of a one-line model change, real model (${files} rendered files over 3 environments), ${runs} runs, ${cpus().length} cores (load average ${loadavg()[0].toFixed(1)}), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
  console.log('| command | median ms | min ms | max ms | under 5 s |');
  console.log('| --- | ---: | ---: | ---: | --- |');
  console.log(row('`diff --base HEAD` (working tree)', workingTree));
  console.log(row('`diff --base HEAD~1 --head HEAD` (two refs, as in CI)', refs));
} finally {
  repo.remove();
}
