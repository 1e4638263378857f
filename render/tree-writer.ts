// The only code that writes rendered output to disk, in two steps, so a render that fails (on the model,
// a generator or while staging) leaves rendered/ as it was. stageTree compares an environment's render with rendered/<env> and writes only the new and
// changed files into a staging folder beside it (an environment without a folder yet is staged whole).
// Once every environment has rendered and staged, commitTrees moves the staged files into place by
// rename and deletes the files no longer rendered; unchanged files are never touched. The commit renames
// file by file: a failure in it (a disk error) can leave an environment part old, part new.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { RenderResult } from './render.ts';

/** Every file under `dir`, as paths relative to it, sorted. */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (current: string, prefix: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = prefix + entry.name;
      if (entry.isDirectory()) walk(join(current, entry.name), `${path}/`);
      else out.push(path);
    }
  };
  walk(dir, '');
  return out.sort();
}

/** Where the environments are built before they are swapped into `renderedDir`: one folder per render process. */
export function stagingDir(renderedDir: string): string {
  return join(renderedDir, `.render-${process.pid}`);
}

/** What stageTree staged for one environment, and what committing it does. */
export interface StagedTree {
  /** The environment had no folder: the staged folder is the whole tree and is moved in as one. */
  whole: boolean;
  /** Paths (relative to the environment) staged because they are new or differ from the file in place. */
  written: string[];
  /** Paths in place that are no longer rendered. */
  removed: string[];
}

/** Nothing to commit: the environment's folder already holds exactly its render. */
export function unchangedTree(tree: StagedTree): boolean {
  return !tree.whole && tree.written.length === 0 && tree.removed.length === 0;
}

/**
 * Stage `files` (path relative to the environment → content) against `previous`, the environment's
 * folder in rendered/: every file that is missing there or differs is written under `dir`; every file
 * there that is not rendered any more is listed. Nothing under `previous` changes. `known`, when the caller
 * knows it: every file under `previous` with its content, compared instead of reading the folder.
 */
export function stageTree(dir: string, files: ReadonlyMap<string, string>, previous: string, known?: ReadonlyMap<string, string>): StagedTree {
  const whole = known ? false : !existsSync(previous);
  const existing = new Set(known ? known.keys() : whole ? [] : listFiles(previous));
  const written: string[] = [];
  const made = new Set<string>();
  for (const [path, content] of files) {
    if (existing.has(path) && (known ? known.get(path) : readFileSync(join(previous, path), 'utf8')) === content) continue;
    const target = join(dir, path);
    const parent = dirname(target);
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    writeFileSync(target, content);
    written.push(path);
  }
  const removed = [...existing].filter((path) => !files.has(path));
  return { whole, written, removed };
}

/**
 * Commit what stageTree staged under `staging` (one folder per environment) into `renderedDir`, then the
 * docs under `repoRoot` (each written beside its target first, then renamed), then remove the staging folder
 * and any doc temporary left by a failure.
 */
export function commitTrees(repoRoot: string, renderedDir: string, staging: string, trees: ReadonlyMap<string, StagedTree>, docs: ReadonlyMap<string, string>): void {
  const docTemporaries: Array<[string, string]> = [];
  try {
    for (const [path, content] of docs) {
      const target = join(repoRoot, path);
      if (sameContent(target, content)) continue;
      mkdirSync(dirname(target), { recursive: true });
      const temporary = `${target}.render-${process.pid}`;
      writeFileSync(temporary, content);
      docTemporaries.push([temporary, target]);
    }
    for (const [env, tree] of trees) {
      const target = join(renderedDir, env);
      if (tree.whole) {
        // An environment of no files stages no folder.
        if (existsSync(join(staging, env))) renameSync(join(staging, env), target);
        continue;
      }
      for (const path of tree.removed) {
        unlinkSync(join(target, path));
        removeEmptyParents(target, path);
      }
      const made = new Set<string>();
      for (const path of tree.written) {
        const parent = dirname(join(target, path));
        if (!made.has(parent)) {
          mkdirSync(parent, { recursive: true });
          made.add(parent);
        }
        renameSync(join(staging, env, path), join(target, path));
      }
    }
    for (const [temporary, target] of docTemporaries) renameSync(temporary, target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
    for (const [temporary] of docTemporaries) rmSync(temporary, { force: true });
  }
}

/** Remove the folders of `path` under `root` that its removal left empty (never `root` itself). */
function removeEmptyParents(root: string, path: string): void {
  for (let folder = dirname(path); folder !== '.'; folder = dirname(folder)) {
    const full = join(root, folder);
    if (readdirSync(full).length > 0) return;
    rmdirSync(full);
  }
}

function sameContent(path: string, content: string): boolean {
  try {
    return readFileSync(path, 'utf8') === content;
  } catch {
    return false;
  }
}

export interface TreeDifference {
  changed: string[];
  missing: string[];
  extra: string[];
}

/** The `files` (relative to `root`) that are missing there or differ; `extra` stays empty. */
function compareFiles(root: string, files: ReadonlyMap<string, string>): TreeDifference {
  const difference: TreeDifference = { changed: [], missing: [], extra: [] };
  for (const [path, content] of files) {
    const full = join(root, path);
    if (!existsSync(full)) difference.missing.push(path);
    else if (readFileSync(full, 'utf8') !== content) difference.changed.push(path);
  }
  return difference;
}

/** Files of one environment that differ from `envDir` on disk, or are there and no longer rendered; paths relative to `envDir`. */
export function compareTree(envDir: string, files: ReadonlyMap<string, string>): TreeDifference {
  const difference = compareFiles(envDir, files);
  for (const path of listFiles(envDir)) if (!files.has(path)) difference.extra.push(path);
  return difference;
}

/** Generated docs that differ from the files under `repoRoot`; paths are repository-relative. */
export function compareDocs(repoRoot: string, docs: ReadonlyMap<string, string>): TreeDifference {
  return compareFiles(repoRoot, docs);
}

/** Add `part`'s paths, each under `prefix`, to `into`. */
export function addDifference(into: TreeDifference, part: TreeDifference, prefix: string): void {
  for (const key of ['changed', 'missing', 'extra'] as const) into[key].push(...part[key].map((path) => join(prefix, path)));
}

/** Compare the in-memory render with what is on disk; paths are repository-relative. */
export function compareRendered(repoRoot: string, renderedDir: string, result: RenderResult): TreeDifference {
  const difference: TreeDifference = { changed: [], missing: [], extra: [] };
  for (const env of result.environments) {
    const envDir = join(renderedDir, env.env);
    addDifference(difference, compareTree(envDir, env.files), relative(repoRoot, envDir));
  }
  addDifference(difference, compareDocs(repoRoot, result.docs), '');
  return difference;
}
