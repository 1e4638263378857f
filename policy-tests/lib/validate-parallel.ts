// Validation of large trees on several cores (`validate --jobs <n>`): the files are split between worker threads
// (validate-worker.ts), each parsing and validating its share. Small inputs stay on the main thread, where start-up
// is cheaper; on a busy machine the main thread alone is usually faster, hence no workers by default.
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { displayPath, InputError } from './documents.ts';
import type { Finding } from './findings.ts';

export interface ParallelJob {
  files: string[];
  /** Kubernetes minor version per environment name. */
  minorByEnv: Record<string, number>;
  /** Environment of files outside `rendered/<env>/`. */
  defaultEnv: string;
  defaultMinor: number;
}

export interface ParallelResult {
  docs: Array<{ file: string; index: number; ref: string }>;
  findings: Finding[];
  problems: string[];
}

/** Worth starting workers: several cores and a few megabytes of YAML. */
export function shouldParallelize(files: string[], minBytes = 4 << 20): boolean {
  if (availableParallelism() < 2) return false;
  let bytes = 0;
  for (const f of files) {
    bytes += statSync(f).size;
    if (bytes >= minBytes) return true;
  }
  return false;
}

/** Split by size into one share per core; results come back in file order. */
export async function validateInWorkers(job: ParallelJob, workers = Math.min(availableParallelism(), 8)): Promise<ParallelResult> {
  const sized = job.files.map((f, i) => ({ f, i, size: statSync(f).size }));
  const shares: Array<typeof sized> = Array.from({ length: workers }, () => []);
  const load = new Array<number>(workers).fill(0);
  for (const s of [...sized].sort((a, b) => b.size - a.size)) {
    const k = load.indexOf(Math.min(...load));
    shares[k].push(s);
    load[k] += s.size;
  }
  const results = await Promise.all(
    shares
      .filter((s) => s.length)
      .map(
        (share) =>
          new Promise<ParallelResult>((resolve, reject) => {
            const files = share.sort((a, b) => a.i - b.i).map((s) => s.f);
            const w = new Worker(new URL('./validate-worker.ts', import.meta.url), { workerData: { ...job, files } satisfies ParallelJob });
            w.once('message', resolve);
            w.once('error', reject);
            w.once('exit', (code) => code !== 0 && reject(new Error(`validation worker exited with ${code}`)));
          }),
      ),
  );
  const out: ParallelResult = { docs: [], findings: [], problems: [] };
  for (const r of results) {
    out.docs.push(...r.docs);
    out.findings.push(...r.findings);
    out.problems.push(...r.problems);
  }
  if (out.problems.length) throw new InputError(out.problems);
  const order = new Map(job.files.map((f, i) => [displayPath(f), i]));
  out.docs.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || a.index - b.index);
  return out;
}
