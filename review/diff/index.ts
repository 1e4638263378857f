// The review diff, end to end: render base and head from their own sources, compare.
import { compareSnapshots } from './compare.ts';
import { renderRef, renderWorkingTree } from './snapshot.ts';
import type { DiffReport } from './types.ts';

export interface DiffOptions {
  /** Repository root. */
  repo: string;
  /** Git ref of the base side. */
  base: string;
  /** Git ref of the head side; the working tree when absent. */
  head?: string;
}

export async function diffRefs(options: DiffOptions): Promise<DiffReport> {
  const [base, head] = await Promise.all([
    renderRef(options.repo, options.base, false),
    options.head === undefined ? renderWorkingTree(options.repo) : renderRef(options.repo, options.head),
  ]);
  return compareSnapshots(base, head);
}

export { compareSnapshots, isEmpty } from './compare.ts';
export type * from './types.ts';
