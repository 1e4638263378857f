// The only code that writes rendered output to disk. Each environment is written to a temporary
// tree beside rendered/<env>, then swapped in by rename, so a failed render leaves rendered/ as it was.
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { RenderResult } from './render.ts';

/** Every file under `dir`, as paths relative to it, sorted. */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

/** Where the environments are built before they are swapped into `renderedDir`: one folder per render process. */
export function stagingDir(renderedDir: string): string {
  return join(renderedDir, `.render-${process.pid}`);
}

/**
 * Write `files` under `dir` (a new folder in the staging tree). A file whose content equals the one
 * at the same path under `previous` is hard-linked from there instead of written: a link costs a
 * fraction of a write, so re-rendering a large, mostly unchanged tree stays cheap while the new
 * tree is still built apart and swapped in. When `previous` already holds exactly `files` (same
 * paths, same contents, nothing else), nothing is written and `dir` is not created: swapIn then
 * leaves that environment's files (and their inodes and times) untouched.
 */
export function writeTree(dir: string, files: ReadonlyMap<string, string>, previous: string): void {
  const made = new Set<string>();
  const hasPrevious = existsSync(previous);
  // Until a file differs, unchanged paths are only noted: an unchanged tree is then never linked.
  let writing = !hasPrevious;
  const unchanged: string[] = [];
  const place = (path: string, content: string | null) => {
    const target = join(dir, path);
    const parent = dirname(target);
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    if (content === null) {
      try {
        return linkSync(join(previous, path), target);
      } catch {
        // Hard links unsupported here: write instead.
        content = files.get(path)!;
      }
    }
    writeFileSync(target, content);
  };
  const startWriting = () => {
    writing = true;
    mkdirSync(dir, { recursive: true });
    for (const path of unchanged) place(path, null);
  };
  for (const [path, content] of files) {
    const same = hasPrevious && sameContent(join(previous, path), content);
    if (!writing && same) unchanged.push(path);
    else {
      if (!writing) startWriting();
      place(path, same ? null : content);
    }
  }
  if (!writing && countFiles(previous) !== files.size) startWriting();
}

function countFiles(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => !entry.isDirectory()).length;
}

function sameContent(path: string, content: string): boolean {
  try {
    return readFileSync(path, 'utf8') === content;
  } catch {
    return false;
  }
}

/**
 * Swap the environments built under `staging` (by writeTree) into `renderedDir`, write the docs
 * under `repoRoot` (each by rename), then remove the staging tree with the replaced environments.
 */
export function swapIn(repoRoot: string, renderedDir: string, staging: string, envs: readonly string[], docs: ReadonlyMap<string, string>): void {
  try {
    for (const env of envs) {
      // writeTree built nothing for an environment whose files are already in place.
      if (!existsSync(join(staging, env))) continue;
      const target = join(renderedDir, env);
      const old = join(staging, `${env}.old`);
      if (existsSync(target)) renameSync(target, old);
      try {
        renameSync(join(staging, env), target);
      } catch (error) {
        if (existsSync(old)) renameSync(old, target);
        throw error;
      }
    }
    for (const [path, content] of docs) {
      const target = join(repoRoot, path);
      if (sameContent(target, content)) continue;
      mkdirSync(dirname(target), { recursive: true });
      const temporary = `${target}.render-${process.pid}`;
      writeFileSync(temporary, content);
      renameSync(temporary, target);
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
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
