// npm run bench:validate: documents per second of validate and policy, on rendered/ and on a large synthetic
// tree, and kubeconform (-strict, local schemas exported from ours) on the same files in the same run; and the
// first run of a fresh clone (cold: no validator folder, no V8 code cache) against kubeconform's time.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadDocuments } from '../../policy-tests/lib/documents.ts';
import { runPolicy } from '../../policy-tests/lib/engine.ts';
import { buildContext } from '../../policy-tests/lib/model-context.ts';
import { loadSchemas } from '../../policy-tests/lib/schema/compile.ts';
import { currentInputs } from '../../policy-tests/lib/schema/inputs.ts';
import { checkPrecompiled } from '../../policy-tests/lib/schema/precompiled.ts';
import { exportKindSchemas, KUBECONFORM_TEMPLATE } from '../../policy-tests/lib/schema/export.ts';
import { validateDocuments } from '../../policy-tests/lib/validate.ts';
import { CATALOG } from '../../policy-tests/rules/index.ts';
import { parseCommand } from '../cli/command.ts';

parseCommand({
  name: 'bench:validate',
  usage: `Usage: npm run bench:validate

Documents per second of validate and policy on rendered/ and on a large synthetic tree, next to
kubeconform -strict on the same files (installed with go install when missing); prints a Markdown table.
Environment: BENCH_RUNS (runs per figure, default 3), BENCH_COPIES (copies of rendered/ in the synthetic tree, default 40).`,
  options: {},
});

const ROOT = join(import.meta.dirname, '..', '..');
const COPIES = Number(process.env.BENCH_COPIES ?? 40);
/** Each figure is the median of this many runs (the machine is shared). */
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;
const rate = (docs: number, millis: number) => Math.round((docs / millis) * 1000);

function findKubeconform(): string | null {
  for (const p of [join(homedir(), 'go', 'bin', 'kubeconform'), '/usr/local/bin/kubeconform']) if (existsSync(p)) return p;
  const which = spawnSync('which', ['kubeconform'], { encoding: 'utf8' });
  if (which.status === 0) return which.stdout.trim();
  console.error('kubeconform not found: installing with go install github.com/yannh/kubeconform/cmd/kubeconform@latest');
  const r = spawnSync('go', ['install', 'github.com/yannh/kubeconform/cmd/kubeconform@latest'], { stdio: 'inherit' });
  const p = join(homedir(), 'go', 'bin', 'kubeconform');
  return r.status === 0 && existsSync(p) ? p : null;
}

/** A tree of `copies` renamed copies of the rendered documents, 10 documents per file. */
function syntheticTree(dir: string, copies: number): number {
  const { docs } = loadDocuments([join(ROOT, 'rendered')]);
  let n = 0;
  for (let c = 0; c < copies; c++) {
    const batch: string[] = [];
    const flush = () => {
      if (batch.length) writeFileSync(join(dir, `copy${c}-${n}.yaml`), batch.join('---\n'));
      batch.length = 0;
    };
    for (const d of docs) {
      const data = structuredClone(d.data);
      if (data.metadata?.name) data.metadata.name = `${data.metadata.name}-c${c}`;
      if (data.metadata?.namespace) data.metadata.namespace = `${data.metadata.namespace}-c${c}`;
      batch.push(stringify(data));
      n++;
      if (batch.length === 10) flush();
    }
    flush();
  }
  return n;
}

async function measure(label: string, paths: string[]) {
  let t = process.hrtime.bigint();
  const { docs } = loadDocuments(paths);
  const parseMs = ms(t);
  const ctx = await buildContext(docs, { env: 'prod' });
  t = process.hrtime.bigint();
  const vf = await validateDocuments(docs, { kubernetesMinor: ctx.kubernetesMinor });
  const validateMs = ms(t);
  t = process.hrtime.bigint();
  const pf = runPolicy(docs, CATALOG, { rulesets: [], envOf: ctx.envOf, waivers: ctx.waivers, noWaivers: false, today: '2026-01-01' });
  const policyMs = ms(t);
  return { label, docs: docs.length, parseMs, validateMs, policyMs, validateErrors: vf.filter((f) => f.severity === 'error').length, policyFindings: pf.length };
}

/** Whole command, as a user runs it (process start, schema import, parse, validate). */
function cliRun(paths: string[], jobs: number): number {
  const t = process.hrtime.bigint();
  spawnSync(process.execPath, [join(ROOT, 'scripts', 'validate.ts'), ...paths, '--format', 'json', '--jobs', String(jobs)], { encoding: 'utf8', maxBuffer: 1 << 30 });
  return ms(t);
}

/** CPU time (user + system) of this process's finished children, ms (Linux /proc; null elsewhere). */
function childrenCpuMs(): number | null {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10; // cutime + cstime, in 1/100 s
  } catch {
    return null;
  }
}

/** Whole command as the first run after `npm ci`: fresh, empty validator and compile caches. Wall and CPU ms. */
function coldRun(paths: string[]): { ms: number; cpuMs: number | null } {
  const caches = mkdtempSync(join(tmpdir(), 'bench-validate-cold-'));
  try {
    const env = { ...process.env, GM_VALIDATE_CACHE_DIR: join(caches, 'validate'), NODE_COMPILE_CACHE: join(caches, 'node') };
    const cpu = childrenCpuMs();
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'validate.ts'), ...paths, '--format', 'json'], { encoding: 'utf8', env, maxBuffer: 1 << 30 });
    const took = ms(t);
    const cpuAfter = childrenCpuMs();
    if (r.stderr.trim()) console.error(`  cold run said: ${r.stderr.trim()}`);
    return { ms: took, cpuMs: cpu === null || cpuAfter === null ? null : cpuAfter - cpu };
  } finally {
    rmSync(caches, { recursive: true, force: true });
  }
}

function kubeconformRun(bin: string, schemaDir: string, paths: string[]): { ms: number; summary: string } {
  const t = process.hrtime.bigint();
  const r = spawnSync(bin, ['-strict', '-summary', '-output', 'text', '-schema-location', join(schemaDir, KUBECONFORM_TEMPLATE), ...paths], { encoding: 'utf8', maxBuffer: 1 << 30 });
  return { ms: ms(t), summary: (r.stdout.trim().split('\n').pop() ?? '') + (r.status ? ` (exit ${r.status})` : '') };
}

const work = mkdtempSync(join(tmpdir(), 'bench-validate-'));
try {
  const schemas = await loadSchemas(); // build/warm the cache outside the measurements
  const schemaDir = join(work, 'schemas');
  const exported = exportKindSchemas(schemas.bundle, schemaDir);
  const synth = join(work, 'synthetic');
  mkdirSync(synth);
  const synthDocs = syntheticTree(synth, COPIES);

  const sets = [
    { label: 'rendered/ (3 environments)', paths: [join(ROOT, 'rendered')] },
    { label: `synthetic (${COPIES} copies of rendered/, 10 docs per file)`, paths: [synth] },
  ];
  const kubeconform = findKubeconform();
  const kcVersion = kubeconform ? execFileSync(kubeconform, ['-v'], { encoding: 'utf8' }).trim() : 'not available';
  console.log(`# bench:validate ${new Date().toISOString().slice(0, 10)}, median of ${RUNS} runs, on ${cpus().length} x ${cpus()[0]?.model ?? '?'}; node ${process.version}; kubeconform ${kcVersion}; ${exported} kind schemas exported`);
  const precompiled = checkPrecompiled(currentInputs());
  console.log(`precompiled validators: ${precompiled.fresh ? 'current' : precompiled.reason}`);
  const jobs = cpus().length;
  const coldRows: string[] = [];
  console.log(`| tree | docs | parse docs/s | validate docs/s | policy docs/s | validate CLI (end to end) docs/s | validate CLI --jobs ${jobs} docs/s | kubeconform -strict docs/s | ratio (CLI / kubeconform) |`);
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const s of sets) {
    const ms_: Array<Awaited<ReturnType<typeof measure>>> = [];
    const cliTimes: number[] = [];
    const jobTimes: number[] = [];
    const coldRuns: Array<ReturnType<typeof coldRun>> = [];
    const kcRuns: Array<{ ms: number; summary: string }> = [];
    for (let i = 0; i < RUNS; i++) {
      ms_.push(await measure(s.label, s.paths));
      coldRuns.push(coldRun(s.paths));
      cliTimes.push(cliRun(s.paths, 1));
      jobTimes.push(cliRun(s.paths, jobs));
      if (kubeconform) kcRuns.push(kubeconformRun(kubeconform, schemaDir, s.paths));
    }
    const m = { ...ms_[0], parseMs: median(ms_.map((x) => x.parseMs)), validateMs: median(ms_.map((x) => x.validateMs)), policyMs: median(ms_.map((x) => x.policyMs)) };
    const cli = median(cliTimes);
    const cliJobs = median(jobTimes);
    const kc = kcRuns.length ? { ms: median(kcRuns.map((k) => k.ms)), summary: kcRuns[0].summary } : null;
    const cliRate = rate(m.docs, cli);
    const kcRate = kc ? rate(m.docs, kc.ms) : null;
    console.log(`| ${s.label} | ${m.docs} | ${rate(m.docs, m.parseMs)} | ${rate(m.docs, m.validateMs)} | ${rate(m.docs, m.policyMs)} | ${cliRate} | ${rate(m.docs, cliJobs)} | ${kcRate ?? 'n/a'} | ${kcRate ? (cliRate / kcRate).toFixed(2) : 'n/a'} |`);
    const cold = median(coldRuns.map((c) => c.ms));
    const coldCpu = coldRuns.every((c) => c.cpuMs !== null) ? Math.round(median(coldRuns.map((c) => c.cpuMs!))) : 'n/a';
    coldRows.push(`| ${s.label} | ${m.docs} | ${Math.round(cold)} | ${coldCpu} | ${Math.round(cli)} | ${kc ? Math.round(kc.ms) : 'n/a'} | ${kc ? (cold / kc.ms).toFixed(2) : 'n/a'} |`);
    console.error(`  ${s.label}: ${m.validateErrors} validation errors, ${m.policyFindings} policy findings; kubeconform: ${kc?.summary ?? 'n/a'}`);
  }
  console.log('');
  console.log('| tree | docs | validate CLI first run (cold: no caches) ms | same, CPU ms | validate CLI again (warm) ms | kubeconform -strict ms | ratio (cold / kubeconform) |');
  console.log('|---|---|---|---|---|---|---|');
  for (const row of coldRows) console.log(row);
  console.error(`synthetic tree: ${synthDocs} documents`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
