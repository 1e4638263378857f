/**
 * A real S3-compatible server (MinIO, built from the Go module proxy; see minio-binary.ts) for tests.
 *
 * ```ts
 * import { startMinio } from './minio.ts';
 *
 * const minio = await startMinio();
 * after(() => minio.stop());
 * const store = createObjectStore({ ...minio, bucket: 'archive' });   // apps/lib/object-store.ts
 * ```
 *
 * - 127.0.0.1:<free port> for the S3 API; the console on a second free port; data in a temp dir.
 * - `endpoint`: http://127.0.0.1:<port>; `accessKey`/`secretKey`: the root user; `region`: us-east-1.
 * - `restart()`, `stopServer()`, `stop()` as for the other servers (the data dir survives a restart).
 * - `mcEnv`: the environment in which MinIO's admin client `mc` reaches this server as alias `local` (root);
 *   `runMc(minio, ['admin', 'user', 'info', 'local', 'svc', '--json'])` runs the cached `mc` in it.
 * - Not built yet: fails with the command that builds it (setup.sh does it once, ~8 min).
 */
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { cachedMc, cachedMinio, mcBinaryPath, minioBinaryPath } from './minio-binary.ts';
import { freePort, managedServer, startedServer, startInTempDir, type StartedServer } from './process.ts';

export interface MinioServer extends StartedServer {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  accessKey: string;
  secretKey: string;
  region: string;
  /** `MC_HOST_local` (this server, as root) and `MC_CONFIG_DIR` (in the server's temp dir). */
  mcEnv: Record<string, string>;
}

const ACCESS_KEY = 'gm-test-root';
const SECRET_KEY = 'gm-test-root-secret';
const REGION = 'us-east-1';

/** Starts a fresh MinIO server; see the file header. */
export async function startMinio(): Promise<MinioServer> {
  const binary = cachedMinio();
  if (!binary) {
    throw new Error(`MinIO is not built (${minioBinaryPath()} is missing): run node scripts/harness/fetch-minio.ts (or bash scripts/harness/setup.sh) once`);
  }
  return await startInTempDir('gm-minio-', (workDir) => startServer(binary, workDir));
}

async function startServer(binary: string, workDir: string): Promise<MinioServer> {
  const host = '127.0.0.1';
  const dataDir = join(workDir, 'data');
  await mkdir(dataDir, { recursive: true });
  const port = await freePort();
  const consolePort = await freePort();
  const logFile = join(workDir, `minio-${port}.log`);
  const endpoint = `http://${host}:${port}`;
  const server = managedServer({
    spec: () => ({
      name: 'minio',
      command: binary,
      args: ['server', dataDir, '--address', `${host}:${port}`, '--console-address', `${host}:${consolePort}`, '--quiet'],
      logFile,
      env: {
        ...process.env,
        MINIO_ROOT_USER: ACCESS_KEY,
        MINIO_ROOT_PASSWORD: SECRET_KEY,
        MINIO_REGION: REGION,
        MINIO_BROWSER: 'off',
        MINIO_UPDATE: 'off',
        HOME: workDir,
      },
      stopSignal: 'SIGTERM',
    }),
    what: `MinIO on ${host}:${port}`,
    ready: async () => {
      const res = await fetch(`${endpoint}/minio/health/live`, { signal: AbortSignal.timeout(1_000) });
      return res.ok ? true : undefined;
    },
    timeoutMs: 30_000,
    intervalMs: 100,
    stopTimeoutMs: 10_000,
    workDir,
  });
  await server.start();
  const mcEnv = { MC_HOST_local: `http://${ACCESS_KEY}:${SECRET_KEY}@${host}:${port}`, MC_CONFIG_DIR: join(workDir, 'mc') };
  return { ...startedServer(host, port, logFile, server), endpoint, accessKey: ACCESS_KEY, secretKey: SECRET_KEY, region: REGION, mcEnv };
}

/** The cached `mc` binary; not built yet: fails with the command that builds it. */
export function mcBinary(): string {
  const binary = cachedMc();
  if (!binary) throw new Error(`mc is not built (${mcBinaryPath()} is missing): run node scripts/harness/fetch-minio.ts (or bash scripts/harness/setup.sh) once`);
  return binary;
}

/** Runs `mc <args>` against the server as root (alias `local`), `input` on stdin; resolves to stdout, rejects with mc's output. */
export function runMc(server: MinioServer, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(mcBinary(), args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: server.mcEnv.MC_CONFIG_DIR, ...server.mcEnv }, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`mc ${args.join(' ')} failed: ${(stdout + stderr).trim() || error.message}`));
      else resolve(stdout);
    });
    child.stdin?.end(input ?? '');
  });
}
