/**
 * Line coverage of prediction-api's own code while its test file runs, from V8's precise coverage (the
 * data Node's --experimental-test-coverage reads), taken in-process through node:inspector: `npm test`
 * measures it without running the suite a second time. Import this module first, so the coverage starts
 * before the measured modules run. Under --experimental-test-coverage (NODE_V8_COVERAGE set) it stays off
 * and leaves the measurement to the test runner, since taking coverage here would reset its counters.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from 'node:inspector';
import { fileURLToPath } from 'node:url';

interface Range {
  startOffset: number;
  endOffset: number;
  count: number;
}
interface ScriptCoverage {
  url: string;
  functions: Array<{ ranges: Range[] }>;
}

const session = new Session();
const enabled = process.env.NODE_V8_COVERAGE === undefined;
if (enabled) {
  session.connect();
  // An in-process session answers synchronously.
  session.post('Profiler.enable');
  session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
}

export interface FileCoverage {
  file: string;
  lines: number;
  covered: number;
  uncovered: number[];
}

/** Per file under `dir` (absolute), the lines holding code and those that ran; undefined when the runner measures. */
export function lineCoverage(dir: string): FileCoverage[] | undefined {
  if (!enabled) return undefined;
  let scripts: ScriptCoverage[] = [];
  session.post('Profiler.takePreciseCoverage', (err, result) => {
    if (err) throw err;
    scripts = result.result as ScriptCoverage[];
  });
  const counted = new Map<string, Int32Array>();
  for (const script of scripts) {
    if (!script.url.startsWith('file://')) continue;
    const file = fileURLToPath(script.url);
    if (!file.startsWith(dir)) continue;
    // Paint each character with the count of the innermost range holding it (the larger ranges first).
    const counts = new Int32Array(readFileSync(file, 'utf8').length).fill(-1);
    const ranges = script.functions.flatMap((f) => f.ranges).sort((a, b) => b.endOffset - b.startOffset - (a.endOffset - a.startOffset));
    for (const r of ranges) counts.fill(r.count, r.startOffset, Math.min(r.endOffset, counts.length));
    counted.set(file, counts);
  }
  const out: FileCoverage[] = [];
  // Every .ts file of the folder: one no test loaded counts with none of its lines covered.
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    if (!name.endsWith('.ts')) continue;
    const file = join(dir, name);
    const source = readFileSync(file, 'utf8');
    const counts = counted.get(file) ?? new Int32Array(source.length);
    let offset = 0;
    const result: FileCoverage = { file, lines: 0, covered: 0, uncovered: [] };
    source.split('\n').forEach((line, i) => {
      const first = line.search(/\S/);
      const text = line.trim();
      const code = first >= 0 && !/^(\/\/|\/\*|\*)/.test(text) && !/^[}\])]*[;,]?$/.test(text);
      if (code) {
        result.lines += 1;
        if (counts[offset + first] !== 0) result.covered += 1;
        else result.uncovered.push(i + 1);
      }
      offset += line.length + 1;
    });
    out.push(result);
  }
  return out.sort((a, b) => a.file.localeCompare(b.file));
}
