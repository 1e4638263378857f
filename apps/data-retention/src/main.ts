/**
 * data-retention entry point (the CronJob's container): one run, one JSON audit line, exit 0; exit 1
 * when the run fails (the Job retries; the next run picks up where it stopped), 78 on bad configuration.
 * SIGTERM stops after the batch in progress.
 */
import { loadConfigOrExit } from '@gamemetrics/service-kit/config.ts';
import { createObjectStore, objectStoreOptions } from '@gamemetrics/service-kit/object-store.ts';
import { closePool, createPool } from '@gamemetrics/service-kit/postgres.ts';
import { retentionSchema, type RetentionConfig } from './config.ts';
import { runRetention } from './run.ts';

const config = loadConfigOrExit<RetentionConfig>('data-retention', retentionSchema);
const log = (level: string, fields: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ level, time: new Date().toISOString(), service: config.SERVICE_NAME, tenant: config.TENANT, ...fields })}\n`);
let stopping = false;
process.once('SIGTERM', () => {
  stopping = true;
});
const pool = createPool(config);
const store = createObjectStore(objectStoreOptions(config));
const auditStore = createObjectStore({ ...objectStoreOptions(config), bucket: config.AUDIT_BUCKET });
let status = 0;
try {
  const summary = await runRetention(pool, store, { retentionDays: config.RETENTION_DAYS, batchRows: config.RETENTION_BATCH_ROWS, service: config.SERVICE_NAME, stopping: () => stopping, auditStore });
  log('info', { msg: summary.ran ? 'retention run' : 'retention run skipped: another run holds the lock', ...summary, retentionDays: config.RETENTION_DAYS, bucket: config.S3_BUCKET, auditBucket: config.AUDIT_BUCKET, stopped: stopping });
} catch (err) {
  status = 1;
  log('error', { msg: 'retention run failed; the next run resumes', err: { message: (err as Error).message, code: (err as { code?: string }).code } });
} finally {
  store.close();
  auditStore.close();
  await closePool(pool).catch(() => undefined);
}
process.exit(status);
