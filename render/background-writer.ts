// Stages environment trees (tree-writer's stageTree) on a worker thread, so the render thread goes on
// emitting the next environment while this one's files are compared and written: on a large model,
// writing is a fifth of a render. Small trees are staged in place: starting a worker would cost more.
import { Worker } from 'node:worker_threads';
import { type StagedTree, stageTree } from './tree-writer.ts';

/** Trees with fewer files are written on the calling thread. */
export const BACKGROUND_FROM = 1_000;

export interface TreeWrite {
  dir: string;
  files: ReadonlyMap<string, string>;
  previous: string;
}

export class BackgroundWriter {
  private worker: Worker | undefined;
  private pending = 0;
  private failure: Error | undefined;
  private idle: (() => void) | undefined;
  private readonly staged = new Map<string, StagedTree>();
  private readonly background: boolean;

  /** `background` false: every tree is staged on the calling thread (when nothing is left to render meanwhile). */
  constructor(background = true) {
    this.background = background;
  }

  /** Stage the tree now (small, or `known`: see stageTree) or queue it on the worker (large); errors surface in finish(). */
  readonly write = (dir: string, files: ReadonlyMap<string, string>, previous: string, known?: ReadonlyMap<string, string>): void => {
    if ((!this.background || known || files.size < BACKGROUND_FROM) && !this.worker) {
      this.staged.set(dir, stageTree(dir, files, previous, known));
      return;
    }
    this.pending++;
    this.start().postMessage({ dir, files, previous } satisfies TreeWrite);
  };

  /** Wait until every queued tree is staged, stop the worker, and throw the first write error; what each staging folder holds. */
  async finish(): Promise<Map<string, StagedTree>> {
    if (this.pending > 0) await new Promise<void>((resolve) => (this.idle = resolve));
    await this.worker?.terminate();
    this.worker = undefined;
    if (this.failure) throw this.failure;
    return this.staged;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./background-writer-worker.ts', import.meta.url));
    worker.on('message', (message: { dir: string; staged?: StagedTree; error?: { message: string; stack?: string } }) => {
      if (message.staged) this.staged.set(message.dir, message.staged);
      if (message.error && !this.failure) this.failure = Object.assign(new Error(message.error.message), { stack: message.error.stack });
      if (--this.pending === 0) this.idle?.();
    });
    worker.on('error', (error) => {
      this.failure ??= error;
      this.pending = 0;
      this.idle?.();
    });
    this.worker = worker;
    return worker;
  }
}
