/**
 * A real Redis server (Debian's `redis-server`) for tests.
 *
 * ```ts
 * import { startRedis } from './redis.ts';
 * import { Redis } from 'ioredis';
 *
 * const redis = await startRedis({ password: 's3cret' });   // password optional
 * after(() => redis.stop());
 * const client = new Redis(redis.url);
 * ```
 *
 * - 127.0.0.1:<free port>, no persistence (no RDB snapshots, no AOF), working dir in a temp dir.
 * - `url`: redis://[:password@]127.0.0.1:<port>
 * - `restart()`: stops and starts again on the same port (the data is gone: no persistence).
 * - `stopServer()`: stops the server only (fault tests; `restart()` brings it back).
 * - `stop()`: stops the server and deletes the temp dir. Call it in `after()`.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, managedServer, requireCommand, startedServer, startInTempDir, type StartedServer } from './process.ts';

export interface RedisServer extends StartedServer {
  password?: string;
  /** redis://[:password@]127.0.0.1:<port> */
  url: string;
}

export interface StartRedisOptions {
  /** Require this password (AUTH / requirepass). */
  password?: string;
  /** Where the server log goes (default: the temp dir). */
  logDir?: string;
  /** More config directives, command-line style (`['--include', '/dir/*.conf']`). */
  extraArgs?: string[];
}

/** Starts a fresh Redis server; see the file header. */
export async function startRedis(opts: StartRedisOptions = {}): Promise<RedisServer> {
  requireCommand('redis-server', 'Install it with: apt-get install -y redis-server (or run scripts/harness/setup.sh).');
  return await startInTempDir('gm-redis-', (workDir) => startServer(workDir, opts));
}

async function startServer(workDir: string, opts: StartRedisOptions): Promise<RedisServer> {
  const host = '127.0.0.1';
  const logDir = opts.logDir ?? workDir;
  await mkdir(logDir, { recursive: true });
  const port = await freePort();
  const logFile = join(logDir, `redis-${port}.log`);
  const auth = opts.password === undefined ? '' : `:${encodeURIComponent(opts.password)}@`;
  const url = `redis://${auth}${host}:${port}`;
  const args = [
    '--bind', host, '--port', String(port), '--dir', workDir, '--daemonize', 'no',
    '--save', '', '--appendonly', 'no', '--logfile', '', '--databases', '16',
    ...(opts.password === undefined ? [] : ['--requirepass', opts.password]),
    ...(opts.extraArgs ?? []),
  ];

  const server = managedServer({
    spec: () => ({ name: 'redis', command: 'redis-server', args, logFile, stopSignal: 'SIGTERM' }),
    what: `Redis on ${host}:${port}`,
    ready: async () => {
      const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1_000, commandTimeout: 1_000 });
      client.on('error', () => undefined);
      try {
        await client.connect();
        return (await client.ping()) === 'PONG' ? true : undefined;
      } finally {
        client.disconnect();
      }
    },
    timeoutMs: 15_000,
    intervalMs: 50,
    stopTimeoutMs: 10_000,
    workDir,
  });

  await server.start();
  return { ...startedServer(host, port, logFile, server), password: opts.password, url };
}
