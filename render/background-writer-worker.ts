// The worker thread of render/background-writer.ts: stages each tree it is sent, answers with what it staged.
import { parentPort } from 'node:worker_threads';
import type { TreeWrite } from './background-writer.ts';
import { stageTree } from './tree-writer.ts';

parentPort!.on('message', (tree: TreeWrite) => {
  try {
    parentPort!.postMessage({ dir: tree.dir, staged: stageTree(tree.dir, tree.files, tree.previous) });
  } catch (error) {
    parentPort!.postMessage({ dir: tree.dir, error: { message: (error as Error).message, stack: (error as Error).stack } });
  }
});
