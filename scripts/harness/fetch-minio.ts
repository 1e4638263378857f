/**
 * Builds the cached MinIO server binary unless present (setup.sh runs it; see minio-binary.ts).
 *
 *   node scripts/harness/fetch-minio.ts
 */
import { ensureMinio } from './minio-binary.ts';

try {
  const path = ensureMinio((line) => console.log(`harness setup: ${line}`));
  console.log(`harness setup: MinIO at ${path}`);
} catch (error) {
  console.error(`harness setup: ${(error as Error).message}`);
  process.exit(1);
}
