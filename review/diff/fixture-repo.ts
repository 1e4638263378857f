// Test support: a throwaway git repository holding this repository's committed sources (model,
// environments, generators, scripts, rendered/), where tests commit model changes and diff them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_MODULES, scratchRoot } from './git-tree.ts';
import { type EditableSource, openSource } from '../promote/object-literal.ts';

const REPO = join(import.meta.dirname, '..', '..');

export interface FixtureRepo {
  dir: string;
  git(...args: string[]): string;
  /** Edit files (repository-relative path → edit of its source), commit, return the commit id. */
  commit(message: string, edits: Record<string, (source: EditableSource) => void>): string;
  read(path: string): string;
  remove(): void;
}

/** A new repository with one commit: the sources of this repository's HEAD. */
export function fixtureRepo(): FixtureRepo {
  const dir = mkdtempSync(join(scratchRoot(), 'gm-fixture-'));
  execFileSync('bash', ['-c', 'set -o pipefail; git -C "$1" archive --format=tar HEAD | tar -x -C "$2"', 'bash', REPO, dir]);
  symlinkSync(NODE_MODULES, join(dir, 'node_modules'), 'dir');
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', dir, '-c', 'user.name=fixture', '-c', 'user.email=fixture@example.invalid', '-c', 'commit.gpgsign=false', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  git('init', '-q', '-b', 'main');
  writeFileSync(join(dir, '.git', 'info', 'exclude'), 'node_modules\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'fixture: sources of the platform repository');
  const read = (path: string) => readFileSync(join(dir, path), 'utf8');
  return {
    dir,
    git,
    read,
    commit(message, edits) {
      for (const [path, edit] of Object.entries(edits)) {
        const source = openSource(path, read(path));
        edit(source);
        writeFileSync(join(dir, path), source.text());
      }
      git('add', '-A');
      git('commit', '-q', '-m', message);
      return git('rev-parse', 'HEAD');
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
