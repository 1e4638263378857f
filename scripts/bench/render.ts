// npm run bench:render: cold renders (Node start-up included) of the real model and of synthetic
// models of 10, 100 and 1,000 services, three environments each, next to cdk8s synth of the same
// objects in the same run. Prints a Markdown table for docs/BENCHMARKS.md.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = join(import.meta.dirname, '../..');
const node = process.execPath;
const runs = Number(process.env.BENCH_RUNS ?? 5);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Median wall time in ms of `node <args>` over `runs` runs, each into a fresh output folder. */
function time(script: string, args: (out: string) => string[], cwd = repo): { ms: number; files: number } {
  const samples: number[] = [];
  let files = 0;
  for (let i = 0; i < runs; i++) {
    const out = mkdtempSync(join(tmpdir(), 'gm-bench-'));
    const start = performance.now();
    const stdout = execFileSync(node, [script, ...args(out)], { cwd, encoding: 'utf8' });
    samples.push(performance.now() - start);
    rmSync(out, { recursive: true, force: true });
    const last = stdout.trim().split('\n').at(-1)!;
    files = last.startsWith('{') ? JSON.parse(last).files : Number(/rendered (\d+) files/.exec(last)?.[1] ?? 0);
  }
  return { ms: median(samples), files };
}

// The real model, rendered into a scratch copy of the repository (so the bench never touches rendered/).
const scratch = mkdtempSync(join(tmpdir(), 'gm-bench-repo-'));
for (const entry of ['model', 'environments', 'generators', 'policy-tests', 'scripts', 'package.json', 'tsconfig.json']) cpSync(join(repo, entry), join(scratch, entry), { recursive: true });
symlinkSync(join(repo, 'node_modules'), join(scratch, 'node_modules'));
const real = time(join(scratch, 'scripts/render.ts'), () => [], scratch);
rmSync(scratch, { recursive: true, force: true });

const rows = [`| real model (3 environments) | ${real.files} | ${real.ms.toFixed(0)} ms | – | – |`];
for (const services of [10, 100, 1000]) {
  const ours = time(join(repo, 'scripts/bench/render-synthetic.ts'), (out) => ['--services', String(services), '--out', out]);
  const cdk8s = time(join(repo, 'scripts/bench/cdk8s-synth.ts'), (out) => ['--services', String(services), '--out', out]);
  rows.push(`| ${services} services (3 environments) | ${ours.files} | ${ours.ms.toFixed(0)} ms | ${cdk8s.ms.toFixed(0)} ms | ${(cdk8s.ms / ours.ms).toFixed(1)}× |`);
}

console.log(`npm run bench:render — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0].model}, Node ${process.version}, median of ${runs} cold runs (Node start-up and file writes included)\n`);
console.log('| input | files | npm run render | cdk8s synth (same objects) | cdk8s / ours |');
console.log('|---|---|---|---|---|');
for (const row of rows) console.log(row);
