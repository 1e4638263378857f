// The only code that writes rendered output to disk. Each environment is written to a temporary
// tree beside rendered/<env>, then swapped in by rename, so a failed render leaves rendered/ as it was.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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

function writeTree(dir: string, files: Map<string, string>): void {
  const made = new Set<string>();
  for (const [path, content] of files) {
    const parent = dirname(join(dir, path));
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    writeFileSync(join(dir, path), content);
  }
}

/** Write the environments under `renderedDir` and the docs under `repoRoot`, atomically per tree. */
export function writeRendered(repoRoot: string, renderedDir: string, result: RenderResult): void {
  const staging = join(renderedDir, `.render-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    for (const env of result.environments) writeTree(join(staging, env.env), env.files);
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
