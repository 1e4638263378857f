// A git ref's tree, extracted to a temporary directory so it can be rendered from its own sources.
import { accessSync, constants, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, execaSync } from 'execa';

/** The installed dependencies every tree renders with (the head's: a base ref is not re-installed). */
export const NODE_MODULES = realpathSync(join(import.meta.dirname, '..', '..', 'node_modules'));

/** Trees are written to memory (/dev/shm) when available: disk-backed temp dirs can be 10× slower. */
export function scratchRoot(): string {
  if (process.env.GM_DIFF_TMPDIR) return process.env.GM_DIFF_TMPDIR;
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

export class GitRefError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitRefError';
  }
}

/** The full commit id of `ref`, or a GitRefError saying how to get it. */
export function resolveCommit(repo: string, ref: string): string {
  const found = execaSync('git', ['-C', repo, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { reject: false });
  if (found.exitCode !== 0) {
    throw new GitRefError(`"${ref}" is not a commit in ${repo}: check the spelling, or fetch it first (git fetch origin ${ref.replace(/^origin\//, '')}; in CI check out with fetch-depth: 0)`);
  }
  return found.stdout;
}

export interface ExtractedTree {
  dir: string;
  remove(): void;
}

/** Write the files of `commit` (a commit id or ref) to a new temporary directory, with node_modules linked in. */
export async function extractTree(repo: string, commit: string, prefix = 'gm-diff-'): Promise<ExtractedTree> {
  const dir = mkdtempSync(join(scratchRoot(), prefix));
  try {
    // git archive streams straight into tar (no shell, no buffering of the whole tree in this process).
    await execa('git', ['-C', repo, 'archive', '--format=tar', commit]).pipe('tar', ['-x', '-C', dir]);
    symlinkSync(NODE_MODULES, join(dir, 'node_modules'), 'dir');
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
