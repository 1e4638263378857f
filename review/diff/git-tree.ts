// A git ref's tree, extracted to a temporary directory so it can be rendered from its own sources.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

function git(repo: string, args: string[], input?: Buffer): Buffer {
  return execFileSync('git', ['-C', repo, ...args], { input, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** The full commit id of `ref`, or a GitRefError saying how to get it. */
export function resolveCommit(repo: string, ref: string): string {
  try {
    return git(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).toString().trim();
  } catch {
    throw new GitRefError(`"${ref}" is not a commit in ${repo}: check the spelling, or fetch it first (git fetch origin ${ref.replace(/^origin\//, '')}; in CI check out with fetch-depth: 0)`);
  }
}

export interface ExtractedTree {
  dir: string;
  remove(): void;
}

/** Write the files of `commit` to a new temporary directory, with node_modules linked in. */
export function extractTree(repo: string, commit: string): ExtractedTree {
  const dir = mkdtempSync(join(scratchRoot(), 'gm-diff-'));
  try {
    // git archive streams straight into tar (no buffering of the whole tree in this process).
    execFileSync('bash', ['-c', 'set -o pipefail; git -C "$1" archive --format=tar "$2" | tar -x -C "$3"', 'bash', repo, commit, dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    symlinkSync(NODE_MODULES, join(dir, 'node_modules'), 'dir');
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
