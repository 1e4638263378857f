/**
 * Redis clients from REDIS_URL / REDIS_USERNAME / REDIS_PASSWORD, and the live-counter channel. Live counters are
 * best-effort: commands fail fast while Redis is down (no offline queue) instead of piling up.
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { RedisConfig } from './config.ts';

/**
 * Pub/sub channel of live per-game counters: event-processor publishes
 * `{"gameId":..., "counts":{<type>: n}}` after each committed chunk (new events only), and
 * analytics-api subscribes.
 */
export const COUNTERS_CHANNEL = 'gamemetrics:live-game-counters';

/** `extra` adds client options (prediction-api: auto-pipelining of its per-request limiter calls). */
export function createRedis(config: RedisConfig, name: string, extra: RedisOptions = {}): Redis {
  const client = new Redis(config.REDIS_URL, {
    // ACL user and password (AUTH <user> <password>); without a user name, AUTH <password> as `default`.
    username: config.REDIS_USERNAME,
    password: config.REDIS_PASSWORD,
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    ...extra,
  });
  // Errors surface through commands and readiness; an unhandled 'error' event would crash the process.
  client.on('error', () => undefined);
  return client;
}

export function redisReady(client: Redis): boolean {
  return client.status === 'ready';
}
