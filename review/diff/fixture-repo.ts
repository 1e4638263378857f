// Test support: a throwaway git repository holding this repository's committed sources (model,
// environments, generators, scripts, rendered/), where tests commit model changes and diff them.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execaSync } from 'execa';
import { extractTree } from './git-tree.ts';
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
export async function fixtureRepo(): Promise<FixtureRepo> {
  const { dir } = await extractTree(REPO, 'HEAD', 'gm-fixture-');
  const git = (...args: string[]) => execaSync('git', ['-C', dir, '-c', 'user.name=fixture', '-c', 'user.email=fixture@example.invalid', '-c', 'commit.gpgsign=false', ...args]).stdout.trim();
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
