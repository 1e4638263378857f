/**
 * The MinIO server binary for tests: built once from the Go module proxy and cached.
 *
 *   $GM_CACHE_DIR (default ~/.cache/gamemetrics-platform)/minio/<MINIO_VERSION>/minio
 *
 * `go install` of MinIO takes about 7 minutes on 2 cores (../shared/notes/object-storage.md), so setup.sh
 * runs `node scripts/harness/fetch-minio.ts` once and every later start finds the binary.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { cacheRoot } from './kafka-jars.ts';
import { findCommand } from './process.ts';

/** A pseudo-version of github.com/minio/minio the Go module proxy serves (the module has no tagged semver). */
export const MINIO_VERSION = 'v0.0.0-20260212201848-7aac2a2c5b7c';
const MINIO_MODULE = 'github.com/minio/minio';

export function minioBinaryPath(): string {
  return join(cacheRoot(), 'minio', MINIO_VERSION, 'minio');
}

/** The cached binary, or undefined when it has not been built yet. */
export function cachedMinio(): string | undefined {
  const path = minioBinaryPath();
  return existsSync(path) ? path : undefined;
}

/** Builds the binary into the cache unless present; throws an actionable error when Go is missing or the build fails. */
export function ensureMinio(log: (line: string) => void = () => undefined): string {
  const cached = cachedMinio();
  if (cached) return cached;
  const go = findCommand('go');
  if (!go) throw new Error(`MinIO is built from the Go module proxy, but 'go' is not on PATH: install Go (apt-get install -y golang) and run node scripts/harness/fetch-minio.ts`);
  const target = minioBinaryPath();
  const staging = `${target}.building-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  log(`building ${MINIO_MODULE}@${MINIO_VERSION} with go install (about 7 minutes on 2 cores, once)`);
  const result = spawnSync(go, ['install', `${MINIO_MODULE}@${MINIO_VERSION}`], {
    env: { ...process.env, GOBIN: staging, GOFLAGS: '-mod=mod' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0 || !existsSync(join(staging, 'minio'))) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`go install ${MINIO_MODULE}@${MINIO_VERSION} failed (exit ${result.status ?? result.signal}); is the Go module proxy reachable (GOPROXY)?`);
  }
  renameSync(join(staging, 'minio'), target);
  rmSync(staging, { recursive: true, force: true });
  return target;
}
