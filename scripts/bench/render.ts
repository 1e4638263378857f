// npm run bench:render: cold renders (Node start-up included) of the real model and of synthetic
// models of 10, 100 and 1,000 services, three environments each, next to cdk8s synth of the same
// objects in the same run, with the output on disk and in memory (/dev/shm), and the disk's floor
// for the same files. Prints Markdown tables for docs/BENCHMARKS.md.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { delimiter, join, sep } from 'node:path';
import { scratchCheckout } from '../../render/testdata/scratch-checkout.ts';
import { parseCommand } from '../cli/command.ts';
import { daemonPlace } from '../cli/render-daemon/place.ts';

const args = parseCommand({
  name: 'bench:render',
  usage: `Usage: npm run bench:render [-- --real-only]

Cold renders of the real model and of synthetic models (10, 100, 1,000 services) next to cdk8s synth of
the same objects, output on disk and in /dev/shm; prints Markdown tables for docs/BENCHMARKS.md.
  --real-only    only the real model's figures (the synthetic and cdk8s runs take many minutes)
Environment: BENCH_RUNS (runs per figure, default 5), BENCH_OUT_DIR (one output folder instead of both).`,
  options: { 'real-only': { type: 'boolean' } },
});

const repo = join(import.meta.dirname, '../..');
const node = process.execPath;
const runs = Number(process.env.BENCH_RUNS ?? 5);
/** Where output trees go: the disk, and memory (tmpfs), which separates our code's cost from the disk's. BENCH_OUT_DIR picks one. */
const outputRoots = process.env.BENCH_OUT_DIR ? [process.env.BENCH_OUT_DIR] : [tmpdir(), ...(existsSync('/dev/shm') ? ['/dev/shm'] : [])];

/**
 * The PATH of the shell that ran `npm run bench:render`: npm puts node_modules/.bin first for its scripts, which
 * would run the measured `npm` itself on the project's Node instead of the one a person's `npm run render` gets.
 */
const userPath = (process.env.PATH ?? '').split(delimiter).filter((dir) => !dir.endsWith(`node_modules${sep}.bin`)).join(delimiter);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Median wall time in ms of `<command> <args>` over `runs` runs. Cold output: each run writes into
 * an empty folder. Warm output: one untimed run (run -1) fills the folder, then each timed run
 * (0, 1, …) re-renders over it; `args` gets the run number, so each run can render a changed model
 * (it runs before the clock starts, so it may also prepare the run: edit a file, delete a cache).
 */
function time(command: string[], args: (out: string, run: number) => string[], options: { cwd?: string; warmOutput?: boolean; env?: NodeJS.ProcessEnv; outputRoot?: string; expect?: RegExp; daemonLog?: string } = {}): { ms: number; files: number } {
  const outputRoot = options.outputRoot ?? tmpdir();
  const samples: number[] = [];
  let files = 0;
  const run = (argv: string[]) => execFileSync(command[0], [...command.slice(1), ...argv], { cwd: options.cwd ?? repo, encoding: 'utf8', env: { ...process.env, PATH: userPath, ...options.env } });
  const warm = options.warmOutput ? mkdtempSync(join(outputRoot, 'gm-bench-')) : null;
  if (warm) run(args(warm, -1));
  for (let i = 0; i < runs; i++) {
    const out = warm ?? mkdtempSync(join(outputRoot, 'gm-bench-'));
    const argv = args(out, i);
    const start = performance.now();
    const stdout = run(argv);
    samples.push(performance.now() - start);
    if (!warm) rmSync(out, { recursive: true, force: true });
    const last = stdout.trim().split('\n').at(-1)!;
    if (options.expect && !options.expect.test(last)) throw new Error(`bench:render: ${command.join(' ')} ${argv.join(' ')} printed "${last}", not the kind of run measured (${options.expect})`);
    if (options.daemonLog) {
      const outcome = readFileSync(options.daemonLog, 'utf8').trim().split('\n').filter((line) => / (served in|fallback:) /.test(line)).at(-1) ?? '';
      if (!outcome.includes(' served in ')) throw new Error(`bench:render: the render daemon did not serve ${command.join(' ')} ${argv.join(' ')}: "${outcome}"`);
    }
    files = last.startsWith('{') ? JSON.parse(last).files : Number(/(\d+) files/.exec(last)?.[1] ?? 0);
  }
  if (warm) rmSync(warm, { recursive: true, force: true });
  return { ms: median(samples), files };
}

// The real model, rendered in a scratch copy of the repository (so the bench never touches rendered/). The
// copy has its own node_modules folder (links to the repository's packages) and so its own caches
// (node_modules/.cache: Node's compile cache, the model schema's validator), which the cold rows delete.
const scratch = scratchCheckout('gm-bench-repo-', { ownCaches: true });
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const compileCache = { NODE_COMPILE_CACHE: join(scratch, 'node_modules/.cache/node-compile-cache') };
/** The command by itself (GAMEMETRICS_RENDER_DAEMON=0), and with the checkout's render daemon. */
const alone = { ...compileCache, GAMEMETRICS_RENDER_DAEMON: '0' };
const withDaemon = { ...compileCache, GAMEMETRICS_RENDER_DAEMON: '1' };
const coldCaches = () => rmSync(join(scratch, 'node_modules/.cache'), { recursive: true, force: true });
const renderDirect = [node, join(scratch, 'scripts/render.ts')];
const renderNpm = [npm, 'run', '-s', 'render'];
/** Each run edits one value of the model (back and forth), as a person does between renders. */
const edited = join(scratch, 'model/tenants/gamemetrics.ts');
const editedSource = readFileSync(edited, 'utf8');
const editEachRun = (_out: string, run: number) => {
  writeFileSync(edited, run % 2 === 0 ? editedSource.replace("MAX_BATCH_EVENTS: '500'", "MAX_BATCH_EVENTS: '400'") : editedSource);
  return [];
};
/** As editEachRun, then a second's pause before the clock starts (a person switching from the editor). */
const editAndPauseEachRun = (out: string, run: number) => {
  const argv = editEachRun(out, run);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1_000);
  return argv;
};
const emptyEachRun = () => {
  rmSync(join(scratch, 'rendered'), { recursive: true, force: true });
  return [];
};
/** Deletes the caches before each run, as on a clean clone. */
const coldEachRun = (_out: string, run: number) => {
  if (run >= 0) coldCaches();
  return [];
};
const at = { cwd: scratch, env: alone, warmOutput: true } as const;
const skipped = { ...at, expect: /^rendered\/ is up to date/ };
const rendered = { ...at, expect: /^rendered \d+ files/ };
const commandRuns = [
  ['`npm run render`, nothing changed since the last render (up to date: checked, not rendered)', time(renderNpm, () => [], skipped)],
  ['`node scripts/render.ts`, nothing changed since the last render (checked, not rendered)', time(renderDirect, () => [], skipped)],
  ["npm's own start-up and shell (`npm run -s env`, for comparison)", time([npm, 'run', '-s', 'env'], () => [], at)],
  ['`npm run render` after a one-line model edit (a render)', time(renderNpm, editEachRun, rendered)],
  ['`npm run render -- --force`, nothing changed (a render that writes nothing)', time(renderNpm, () => ['--', '--force'], rendered)],
  ['`node scripts/render.ts --force`, nothing changed', time(renderDirect, () => ['--force'], rendered)],
  ['`npm run render`, nothing changed, cold caches (a clean clone)', time(renderNpm, coldEachRun, rendered)],
  ['`npm run render` into an empty `rendered/`', time(renderNpm, emptyEachRun, rendered)],
  ['`node scripts/render.ts --force`, nothing changed, without the compile cache', time(renderDirect, () => ['--force'], { ...rendered, env: { ...alone, NODE_DISABLE_COMPILE_CACHE: '1' } })],
] as const;
// The render daemon: a first render starts it; the bench waits until it answers, then measures.
execFileSync(npm, ['run', '-s', 'render', '--', '--force'], { cwd: scratch, env: { ...process.env, PATH: userPath, ...withDaemon } });
const daemonLog = daemonPlace(scratch)!.log;
for (let i = 0; i < 300 && !(existsSync(daemonLog) && readFileSync(daemonLog, 'utf8').includes('started')); i++) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
const daemon = { ...at, env: withDaemon, daemonLog } as const;
const daemonRuns = [
  ['`npm run render` with the render daemon, nothing changed (up to date)', time(renderNpm, () => [], { ...daemon, expect: /^rendered\/ is up to date/ })],
  ['`npm run render` with the render daemon, right after a one-line model edit', time(renderNpm, editEachRun, { ...daemon, expect: /^rendered \d+ files/ })],
  ['`npm run render` with the render daemon, a second after a one-line model edit (rendered ahead)', time(renderNpm, editAndPauseEachRun, { ...daemon, expect: /^rendered \d+ files/ })],
  ['`npm run render -- --force` with the render daemon, nothing changed (a render that writes nothing)', time(renderNpm, () => ['--', '--force'], { ...daemon, expect: /^rendered \d+ files/ })],
] as const;
execFileSync(npm, ['run', '-s', 'render', '--', '--stop-daemon'], { cwd: scratch, env: { ...process.env, PATH: userPath } });
const realRuns = [...commandRuns, ...daemonRuns];
writeFileSync(edited, editedSource);
rmSync(scratch, { recursive: true, force: true });
const realRows = realRuns.map(([label, figure]) => `| real model, ${label} | ${figure.files || '–'} | ${figure.ms.toFixed(0)} ms |`);

if (args.values['real-only']) {
  printReal();
  process.exit(0);
}

/** Median time to write the same files with plain fs.writeFileSync into an empty folder (as reported by the writer). */
function writeFloor(services: number, outputRoot: string): { ms: number; files: number } {
  const samples: number[] = [];
  let files = 0;
  for (let i = 0; i < runs; i++) {
    const out = mkdtempSync(join(outputRoot, 'gm-bench-'));
    const report = JSON.parse(execFileSync(node, [join(repo, 'scripts/bench/write-floor.ts'), '--services', String(services), '--out', out], { encoding: 'utf8' }).trim());
    rmSync(out, { recursive: true, force: true });
    samples.push(report.writeMs);
    files = report.files;
  }
  return { ms: median(samples), files };
}

const synthetic = (services: number) => (out: string) => ['--services', String(services), '--out', out];
/** Each timed run changes one service's configuration (every environment) against the run before. */
const changedEachRun = (services: number) => (out: string, run: number) => ['--services', String(services), '--out', out, '--variant', String(run + 1)];
const tables: string[] = [];
for (const outputRoot of outputRoots) {
  const rows: string[] = [];
  let floor = { ms: 0, files: 0 };
  for (const services of [10, 100, 1000]) {
    const ours = time([node, join(repo, 'scripts/bench/render-synthetic.ts')], synthetic(services), { outputRoot });
    const oursChanged = time([node, join(repo, 'scripts/bench/render-synthetic.ts')], changedEachRun(services), { outputRoot, warmOutput: true });
    const oursSame = time([node, join(repo, 'scripts/bench/render-synthetic.ts')], synthetic(services), { outputRoot, warmOutput: true });
    const cdk8s = time([node, join(repo, 'scripts/bench/cdk8s-synth.ts')], synthetic(services), { outputRoot });
    rows.push(`| ${services} services | ${ours.files} | ${ours.ms.toFixed(0)} ms | ${oursChanged.ms.toFixed(0)} ms | ${oursSame.ms.toFixed(0)} ms | ${cdk8s.ms.toFixed(0)} ms | ${(cdk8s.ms / ours.ms).toFixed(1)}× |`);
    if (services === 1000) floor = writeFloor(services, outputRoot);
  }
  tables.push(`Output under ${outputRoot}:\n`);
  tables.push('| input | files | render, empty output | re-render after a one-service change | re-render, nothing changed | cdk8s synth (same objects, empty output) | cdk8s / ours (empty output) |');
  tables.push('|---|---|---|---|---|---|---|');
  tables.push(...rows);
  tables.push(`\nFloor under ${outputRoot}: writing the same ${floor.files} files (1,000 services) with plain fs.writeFileSync into an empty folder, and nothing else, takes ${floor.ms.toFixed(0)} ms.\n`);
}

printReal();
for (const line of tables) console.log(line);

function printReal(): void {
  console.log(`npm run bench:render — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0].model}, Node ${process.version}, median of ${runs} runs; every run is a new process (Node start-up, module loading and file writes included); three environments each\n`);
  console.log('| input | files | wall |');
  console.log('|---|---|---|');
  for (const row of realRows) console.log(row);
  console.log('');
}
