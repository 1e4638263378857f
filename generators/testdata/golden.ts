// Golden files: what a concern's generators produce for the tiny model, committed under
// generators/<concern>/testdata/<env>/<output path>. Compared as parsed objects (and the model path
// each comes from); rewritten only when UPDATE_GOLDEN=1 (`npm run golden`), never by a plain test run.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'yaml';
import type { LoadedModel } from '../../model/loaded.ts';
import type { OutputFile } from '../core/types.ts';
import { emitYaml } from '../core/yaml-emitter.ts';
import { loadTiny, TINY_ENVS } from './tiny-model.ts';

const UPDATE = process.env.UPDATE_GOLDEN === '1';
const HOW_TO_UPDATE = 'if the change is intended, run `npm run golden` (UPDATE_GOLDEN=1) and review the diff of the golden files';
const header = (source: string) => `# Golden output for the tiny model, from ${source}. Regenerate with npm run golden.\n`;

function goldenText(file: OutputFile): string {
  return emitYaml(file.object, header(file.source));
}

function readGolden(text: string): { source: string | null; object: unknown } {
  const source = /^# Golden output for the tiny model, from (.+)\. Regenerate/.exec(text)?.[1] ?? null;
  return { source, object: parse(text) };
}

function yamlFiles(root: string, dir = root): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isDirectory() ? yamlFiles(root, join(dir, e.name)) : e.name.endsWith('.yaml') ? [relative(root, join(dir, e.name))] : []));
}

/** The first place two parsed documents differ, as `json.path: expected … got …`. */
export function firstDifference(expected: unknown, actual: unknown, path = ''): string | null {
  if (isDeepStrictEqual(expected, actual)) return null;
  const bothObjects = expected !== null && actual !== null && typeof expected === 'object' && typeof actual === 'object' && Array.isArray(expected) === Array.isArray(actual);
  if (bothObjects) {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    for (const key of new Set([...Object.keys(e), ...Object.keys(a)])) {
      const at = Array.isArray(expected) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      const difference = firstDifference(e[key], a[key], at);
      if (difference) return difference;
    }
  }
  return `${path || '(document)'}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}

/** Every difference between the golden folder and `files`, one line each (empty when they match). */
export function goldenDifferences(folder: string, files: readonly OutputFile[]): string[] {
  const golden = new Set(yamlFiles(folder));
  const problems: string[] = [];
  for (const file of files) {
    if (!golden.delete(file.path)) {
      problems.push(`${file.path}: generated, but there is no golden file`);
      continue;
    }
    const expected = readGolden(readFileSync(join(folder, file.path), 'utf8'));
    const actual = readGolden(goldenText(file));
    if (expected.source !== actual.source) problems.push(`${file.path}: comes from ${actual.source}, the golden file says ${expected.source}`);
    const difference = firstDifference(expected.object, actual.object);
    if (difference) problems.push(`${file.path}: ${difference}`);
  }
  for (const path of [...golden].sort()) problems.push(`${path}: golden file, but nothing generates it`);
  return problems;
}

/**
 * Assert that `files` are exactly the golden files of `<testdata>/<env>/`; with UPDATE_GOLDEN=1,
 * rewrite that folder from them instead (and report that it did).
 */
export function assertGolden(testdata: string, env: string, files: readonly OutputFile[]): void {
  const folder = join(testdata, env);
  if (UPDATE) {
    rmSync(folder, { recursive: true, force: true });
    for (const file of files) {
      mkdirSync(dirname(join(folder, file.path)), { recursive: true });
      writeFileSync(join(folder, file.path), goldenText(file));
    }
    process.stderr.write(`golden: rewrote ${files.length} files in ${relative(process.cwd(), folder)}\n`);
    return;
  }
  const problems = goldenDifferences(folder, files);
  if (problems.length > 0) {
    throw new Error(`${relative(process.cwd(), folder)} does not match the generated objects (${problems.length} difference(s)):\n${problems.map((p) => `  - ${p}`).join('\n')}\n${HOW_TO_UPDATE}`);
  }
}

/** One test per tiny environment: `render(model)` must be the golden files of `<testdata>/<env>/`. */
export function goldenTests(testdata: string, what: string, render: (model: LoadedModel) => readonly OutputFile[]): void {
  describe('golden files', () => {
    for (const env of TINY_ENVS) {
      test(`${env}: ${what} render ${relative(process.cwd(), join(testdata, env))}/`, () => assertGolden(testdata, env, render(loadTiny(env))));
    }
  });
}
