/**
 * The MinIO server and its admin client `mc` for tests: each built once from the Go module proxy and cached.
 *
 *   $GM_CACHE_DIR (default ~/.cache/gamemetrics-platform)/minio/<MINIO_VERSION>/minio
 *   $GM_CACHE_DIR (default ~/.cache/gamemetrics-platform)/mc/<MC_VERSION>/mc
 *
 * `go install` of MinIO takes about 7 minutes on 2 cores (../shared/notes/object-storage.md), `mc` about a
 * minute more (it shares most modules), so setup.sh runs `node scripts/harness/fetch-minio.ts` once and every later
 * start finds the binaries.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { cacheRoot } from './kafka-jars.ts';
import { findCommand } from './process.ts';

/** A pseudo-version of github.com/minio/minio the Go module proxy serves (the module has no tagged semver). */
export const MINIO_VERSION = 'v0.0.0-20260212201848-7aac2a2c5b7c';
/**
 * A pseudo-version of github.com/minio/mc the Go module proxy serves (2025-03-13, its newest). The chart's
 * image (generators/data/minio-users.ts) is RELEASE.2024-11-21T17-21-54Z, which the proxy does not serve;
 * the commands the user-sync sidecar runs (admin user add/info, admin policy attach/detach) are the same
 * source in both.
 */
export const MC_VERSION = 'v0.0.0-20250313080218-cf909e1063a9';

interface GoBinary {
  module: string;
  version: string;
  name: string;
  /** How long a build takes on 2 cores, for the log line. */
  takes: string;
}
const MINIO: GoBinary = { module: 'github.com/minio/minio', version: MINIO_VERSION, name: 'minio', takes: 'about 7 minutes' };
const MC: GoBinary = { module: 'github.com/minio/mc', version: MC_VERSION, name: 'mc', takes: 'about a minute after the server' };

function binaryPath(b: GoBinary): string {
  return join(cacheRoot(), b.name, b.version, b.name);
}

function cached(b: GoBinary): string | undefined {
  const path = binaryPath(b);
  return existsSync(path) ? path : undefined;
}

export function minioBinaryPath(): string {
  return binaryPath(MINIO);
}

/** The cached server binary, or undefined when it has not been built yet. */
export function cachedMinio(): string | undefined {
  return cached(MINIO);
}

export function mcBinaryPath(): string {
  return binaryPath(MC);
}

/** The cached `mc` binary, or undefined when it has not been built yet. */
export function cachedMc(): string | undefined {
  return cached(MC);
}

/** Builds a binary into the cache unless present; throws an actionable error when Go is missing or the build fails. */
function ensure(b: GoBinary, log: (line: string) => void): string {
  const found = cached(b);
  if (found) return found;
  const go = findCommand('go');
  if (!go) throw new Error(`${b.name} is built from the Go module proxy, but 'go' is not on PATH: install Go (apt-get install -y golang) and run node scripts/harness/fetch-minio.ts`);
  const target = binaryPath(b);
  const staging = `${target}.building-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  log(`building ${b.module}@${b.version} with go install (${b.takes} on 2 cores, once)`);
  const result = spawnSync(go, ['install', `${b.module}@${b.version}`], {
    env: { ...process.env, GOBIN: staging, GOFLAGS: '-mod=mod' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0 || !existsSync(join(staging, b.name))) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`go install ${b.module}@${b.version} failed (exit ${result.status ?? result.signal}); is the Go module proxy reachable (GOPROXY)?`);
  }
  renameSync(join(staging, b.name), target);
  rmSync(staging, { recursive: true, force: true });
  return target;
}

/** Builds the server binary into the cache unless present. */
export function ensureMinio(log: (line: string) => void = () => undefined): string {
  return ensure(MINIO, log);
}

/** Builds `mc` into the cache unless present. */
export function ensureMc(log: (line: string) => void = () => undefined): string {
  return ensure(MC, log);
}
