// One side of a review diff: a git ref or the working tree, rendered in memory from its own model
// sources (its own render/render.ts, imported from its own path), never from committed rendered/.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RenderResult } from '../../render/render.ts';
import { compareRendered } from '../../render/tree-writer.ts';
import { extractTree, resolveCommit } from './git-tree.ts';
import type { Snapshot, SnapshotWaiver } from './types.ts';

export class SnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotError';
  }
}

type RenderModule = typeof import('../../render/render.ts');

/** Where a tree keeps its in-memory renderer: today's layout first, then the one before render/ existed. */
const RENDERER_PATHS = ['render/render.ts', 'scripts/lib/render.ts'];

/**
 * Render the tree at `root` with its own renderer; `label` names the side in messages. With
 * `checkStale`, also list the rendered/ files on disk that do not match (only the head needs it).
 */
export async function renderTree(root: string, label: string, checkStale = true): Promise<Snapshot> {
  let result: RenderResult;
  try {
    const renderer = RENDERER_PATHS.map((path) => join(root, path)).find((path) => existsSync(path)) ?? join(root, RENDERER_PATHS[0]);
    const module = (await import(pathToFileURL(renderer).href)) as RenderModule;
    result = module.renderAll();
  } catch (error) {
    const err = error as Error & { problems?: unknown[] };
    const what = err.name === 'ModelError' ? 'its model has problems' : 'rendering failed';
    throw new SnapshotError(`${label} does not render (${what}): ${err.message}\nFix ${label === 'working tree' ? 'the model' : `the model at ${label}`} (npm run render shows each problem with its file and line), then diff again.`);
  }
  const stale = checkStale ? staleFiles(root, result) : [];
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

const cache = new Map<string, { checkStale: boolean; snapshot: Promise<Snapshot> }>();

/** Render `ref` of `repo`; cached per commit for the life of the process (a render with staleness serves both kinds of request). */
export function renderRef(repo: string, ref: string, checkStale = true): Promise<Snapshot> {
  const commit = resolveCommit(repo, ref);
  const label = ref === commit ? commit.slice(0, 12) : `${ref} (${commit.slice(0, 12)})`;
  const key = `${repo}\0${commit}`;
  let entry = cache.get(key);
  if (!entry || (checkStale && !entry.checkStale)) {
    const snapshot = (async () => {
      const tree = await extractTree(repo, commit);
      try {
        return await renderTree(tree.dir, label, checkStale);
      } finally {
        tree.remove();
      }
    })();
    const fresh = { checkStale, snapshot };
    entry = fresh;
    cache.set(key, fresh);
    snapshot.catch(() => cache.get(key) === fresh && cache.delete(key));
  }
  return entry.snapshot.then((s) => ({ ...s, label, stale: checkStale ? s.stale : [] }));
}

/** Render the working tree of `repo` (uncommitted changes included). */
export function renderWorkingTree(repo: string): Promise<Snapshot> {
  return renderTree(repo, 'working tree');
}
