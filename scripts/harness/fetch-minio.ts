/**
 * Builds the cached MinIO server and `mc` binaries unless present (setup.sh runs it; see minio-binary.ts).
 *
 *   node scripts/harness/fetch-minio.ts
 */
import { ensureMc, ensureMinio } from './minio-binary.ts';

try {
  const log = (line: string) => console.log(`harness setup: ${line}`);
  console.log(`harness setup: MinIO at ${ensureMinio(log)}`);
  console.log(`harness setup: mc at ${ensureMc(log)}`);
} catch (error) {
  console.error(`harness setup: ${(error as Error).message}`);
  process.exit(1);
}
