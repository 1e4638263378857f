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

/**
 * Write `files` under `dir`. A file whose content equals the one at the same path under `previous`
 * is hard-linked from there instead of written: a link costs a fraction of a write, so re-rendering
 * a large, mostly unchanged tree stays cheap while the new tree is still built apart and swapped in.
 */
function writeTree(dir: string, files: Map<string, string>, previous: string): void {
  const made = new Set<string>();
  for (const [path, content] of files) {
    const target = join(dir, path);
    const parent = dirname(target);
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    const old = join(previous, path);
    if (sameContent(old, content)) {
      try {
        linkSync(old, target);
        continue;
      } catch {
        // Hard links unsupported here: write instead.
      }
    }
    writeFileSync(target, content);
  }
}

function sameContent(path: string, content: string): boolean {
  try {
    return readFileSync(path, 'utf8') === content;
  } catch {
    return false;
  }
}

/** Write the environments under `renderedDir` and the docs under `repoRoot`, atomically per tree. */
export function writeRendered(repoRoot: string, renderedDir: string, result: RenderResult): void {
  const staging = join(renderedDir, `.render-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    for (const env of result.environments) writeTree(join(staging, env.env), env.files, join(renderedDir, env.env));
    for (const env of result.environments) {
      const target = join(renderedDir, env.env);
      const old = join(staging, `${env.env}.old`);
      if (existsSync(target)) renameSync(target, old);
      try {
        renameSync(join(staging, env.env), target);
      } catch (error) {
        if (existsSync(old)) renameSync(old, target);
        throw error;
      }
    }
    for (const [path, content] of result.docs) {
      const target = join(repoRoot, path);
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

/** Compare the in-memory render with what is on disk; paths are repository-relative. */
export function compareRendered(repoRoot: string, renderedDir: string, result: RenderResult): TreeDifference {
  const difference: TreeDifference = { changed: [], missing: [], extra: [] };
  const check = (path: string, content: string) => {
    const full = join(repoRoot, path);
    if (!existsSync(full)) difference.missing.push(path);
    else if (readFileSync(full, 'utf8') !== content) difference.changed.push(path);
  };
  for (const env of result.environments) {
    const envDir = join(renderedDir, env.env);
    const prefix = relative(repoRoot, envDir);
    for (const [path, content] of env.files) check(join(prefix, path), content);
    for (const path of listFiles(envDir)) if (!env.files.has(path)) difference.extra.push(join(prefix, path));
  }
  for (const [path, content] of result.docs) check(path, content);
  return difference;
}
