// The worker thread of render/background-writer.ts: writes each tree it is sent, answers when done.
import { parentPort } from 'node:worker_threads';
import type { TreeWrite } from './background-writer.ts';
import { writeTree } from './tree-writer.ts';

parentPort!.on('message', (tree: TreeWrite) => {
  try {
    writeTree(tree.dir, tree.files, tree.previous);
    parentPort!.postMessage({});
  } catch (error) {
    parentPort!.postMessage({ error: { message: (error as Error).message, stack: (error as Error).stack } });
  }
});
