/**
 * Redis clients from REDIS_URL / REDIS_USERNAME / REDIS_PASSWORD (or REDIS_PASSWORD_FILE), and the live-counter channel. Live counters are
 * best-effort: commands fail fast while Redis is down (no offline queue) instead of piling up.
 */
import { readFileSync } from 'node:fs';
import { Redis, type RedisOptions } from 'ioredis';
import type { RedisConfig } from './config.ts';

/**
 * Pub/sub channel of live per-game counters: event-processor publishes
 * `{"gameId":..., "counts":{<type>: n}}` after each committed chunk (new events only), and
 * analytics-api subscribes.
 */
export const COUNTERS_CHANNEL = 'gamemetrics:live-game-counters';

/** The password in `file` (a trailing newline dropped), or null when it cannot be read. */
function readPassword(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch {
    return null;
  }
}

/**
 * `extra` adds client options (prediction-api: auto-pipelining of its per-request limiter calls). With
 * REDIS_PASSWORD_FILE (the mounted credential Secret) the password is read from the file at start and again
 * before every reconnection, so a rotated password is used without a restart; open connections stay authenticated.
 */
export function createRedis(config: RedisConfig, name: string, extra: RedisOptions = {}): Redis {
  const file = config.REDIS_PASSWORD_FILE;
  const client = new Redis(config.REDIS_URL, {
    // ACL user and password (AUTH <user> <password>); without a user name, AUTH <password> as `default`.
    username: config.REDIS_USERNAME,
    password: (file && readPassword(file)) || config.REDIS_PASSWORD,
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    ...extra,
  });
  // Errors surface through commands and readiness; an unhandled 'error' event would crash the process.
  client.on('error', () => undefined);
  // ioredis authenticates each new connection with options.password: refresh it from the file first.
  if (file) {
    client.on('reconnecting', () => {
      const current = readPassword(file);
      if (current) client.options.password = current;
    });
  }
  return client;
}

export function redisReady(client: Redis): boolean {
  return client.status === 'ready';
}
