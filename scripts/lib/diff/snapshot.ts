// One side of a review diff: a git ref or the working tree, rendered in memory from its own model
// sources (its own scripts/lib/render.ts, imported from its own path), never from committed rendered/.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RenderResult } from '../render.ts';
import { compareRendered } from '../tree-writer.ts';
import { extractTree, resolveCommit } from './git-tree.ts';
import type { Snapshot, SnapshotWaiver } from './types.ts';

export class SnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotError';
  }
}

type RenderModule = typeof import('../render.ts');

/** Render the tree at `root` with its own renderer; `label` names the side in messages. */
export async function renderTree(root: string, label: string): Promise<Snapshot> {
  let result: RenderResult;
  try {
    const module = (await import(pathToFileURL(join(root, 'scripts', 'lib', 'render.ts')).href)) as RenderModule;
    result = module.renderAll();
  } catch (error) {
    const err = error as Error & { problems?: unknown[] };
    const what = err.name === 'ModelError' ? 'its model has problems' : 'rendering failed';
    throw new SnapshotError(`${label} does not render (${what}): ${err.message}\nFix ${label === 'working tree' ? 'the model' : `the model at ${label}`} (npm run render shows each problem with its file and line), then diff again.`);
  }
  const stale = staleFiles(root, result);
  return {
    label,
    stale,
    environments: result.environments.map((e) => ({
      env: e.env,
      tier: e.model.environment.tier,
      files: e.files,
      waivers: e.model.policies.waivers.map((w): SnapshotWaiver => ({
        rule: w.rule, target: w.target, environments: w.environments, reason: w.reason, expires: w.expires, approvedBy: w.approvedBy,
      })),
    })),
  };
}

/** Committed (or on-disk) rendered/ files that do not match the model. */
function staleFiles(root: string, result: RenderResult): string[] {
  const difference = compareRendered(root, join(root, 'rendered'), { environments: result.environments, docs: new Map() });
  return [...difference.changed, ...difference.missing, ...difference.extra].sort();
}

const cache = new Map<string, Promise<Snapshot>>();

/** Render `ref` of `repo` (cached per commit for the life of the process). */
export function renderRef(repo: string, ref: string): Promise<Snapshot> {
  const commit = resolveCommit(repo, ref);
  const label = ref === commit ? commit.slice(0, 12) : `${ref} (${commit.slice(0, 12)})`;
  const key = `${repo}\0${commit}`;
  let snapshot = cache.get(key);
  if (!snapshot) {
    snapshot = (async () => {
      const tree = extractTree(repo, commit);
      try {
        return await renderTree(tree.dir, label);
      } finally {
        tree.remove();
      }
    })();
    cache.set(key, snapshot);
    snapshot.catch(() => cache.delete(key));
  }
  return snapshot.then((s) => ({ ...s, label }));
}

/** Render the working tree of `repo` (uncommitted changes included). */
export function renderWorkingTree(repo: string): Promise<Snapshot> {
  return renderTree(repo, 'working tree');
}
