/**
 * Graceful shutdown on SIGTERM/SIGINT: run the service's steps in order (stop accepting, finish
 * in-flight work, flush producers, commit offsets, close connections), then exit 0. If the steps
 * take longer than the timeout, exit 1 so Kubernetes' grace period is never the one that kills us.
 */
import type { FastifyBaseLogger as Logger } from 'fastify';

export interface ShutdownStep {
  name: string;
  run: () => Promise<void>;
}

export function installShutdown(logger: Logger, steps: ShutdownStep[], timeoutMs: number): () => Promise<void> {
  let running: Promise<void> | null = null;
  const shutdown = (): Promise<void> => {
    if (running) return running;
    running = (async () => {
      const timer = setTimeout(() => {
        logger.error({ timeoutMs }, 'graceful shutdown timed out; exiting');
        process.exit(1);
      }, timeoutMs);
      timer.unref();
      let failed = false;
      for (const step of steps) {
        try {
          await step.run();
          logger.info({ step: step.name }, 'shutdown step done');
        } catch (err) {
          failed = true;
          logger.error({ err, step: step.name }, 'shutdown step failed');
        }
      }
      clearTimeout(timer);
      logger.info('shutdown complete');
      process.exit(failed ? 1 : 0);
    })();
    return running;
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
  return shutdown;
}
