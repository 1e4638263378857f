/**
 * model-training, a CronJob: one run trains, evaluates against the version in service and publishes a new
 * version (apps/model-training/README.md), then exits 0; exit 1 with one line saying why if it cannot.
 */
import { loadConfigOrExit } from '@gamemetrics/service-kit/config.ts';
import { createObjectStore, objectStoreOptions } from '@gamemetrics/service-kit/object-store.ts';
import { trainingSchema, type TrainingConfig } from './config.ts';
import { trainAndPublish } from './publish.ts';
import { weekSeed } from './train.ts';

const config = loadConfigOrExit<TrainingConfig>('model-training', trainingSchema);
const log = (level: string, msg: string, extra: Record<string, unknown> = {}) =>
  process.stdout.write(`${JSON.stringify({ level, time: Date.now(), service: config.SERVICE_NAME, msg, ...extra })}\n`);
const store = createObjectStore(objectStoreOptions(config));
const now = new Date();
const seed = config.TRAINING_SEED ?? weekSeed(now);
try {
  const result = await trainAndPublish(store, { seed, samples: config.TRAINING_SAMPLES, now });
  log('info', result.published ? `published model version ${result.version}` : `model version ${result.version} was already published; nothing to do`, { ...result, seed });
  process.exitCode = 0;
} catch (error) {
  log('error', `training run failed: ${(error as Error).message}`, { seed });
  process.exitCode = 1;
} finally {
  store.close();
}
