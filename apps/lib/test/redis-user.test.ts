/**
 * The Redis client logs in as the service's ACL user (REDIS_USERNAME + REDIS_PASSWORD, from its
 * `<service>-redis` Secret), on a real Redis with one such user; without a user name it is the
 * server's `default` user, as before ACL users.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Redis } from 'ioredis';
import { startRedis, type RedisServer } from '../../../scripts/harness/redis.ts';
import { loadConfig, redisSchema, type RedisConfig } from '../config.ts';
import { createRedis } from '../redis.ts';

async function whenSettled(client: Redis): Promise<string> {
  for (let i = 0; i < 200 && client.status !== 'ready' && client.status !== 'end' && client.status !== 'reconnecting'; i++) await new Promise((r) => setTimeout(r, 25));
  return client.status;
}

describe('createRedis with an ACL user, on a real Redis', () => {
  let server: RedisServer;
  before(async () => {
    server = await startRedis({ password: 'default-pw', extraArgs: ['--user', 'analytics-api', 'on', '>its-pw', '%R~*', '-@all', '+@connection', '+@read', '+info', '+acl|whoami'] });
  });
  after(async () => {
    await server?.stop();
  });

  test('REDIS_USERNAME and REDIS_PASSWORD log in as that user, with its rights', async () => {
    const config = loadConfig<RedisConfig>('t', redisSchema, { REDIS_URL: `redis://${server.host}:${server.port}/0`, REDIS_USERNAME: 'analytics-api', REDIS_PASSWORD: 'its-pw' });
    const client = createRedis(config, 't');
    try {
      assert.equal(await whenSettled(client), 'ready');
      assert.equal(await client.call('ACL', 'WHOAMI'), 'analytics-api');
      await assert.rejects(client.set('k', 'v'), /NOPERM/);
    } finally {
      client.disconnect();
    }
  });

  test('a wrong password for the user never becomes ready; no user name is the default user', async () => {
    const wrong = createRedis(loadConfig<RedisConfig>('t', redisSchema, { REDIS_URL: `redis://${server.host}:${server.port}/0`, REDIS_USERNAME: 'analytics-api', REDIS_PASSWORD: 'default-pw' }), 't');
    try {
      assert.notEqual(await whenSettled(wrong), 'ready');
    } finally {
      wrong.disconnect();
    }
    const plain = createRedis(loadConfig<RedisConfig>('t', redisSchema, { REDIS_URL: `redis://${server.host}:${server.port}/0`, REDIS_PASSWORD: 'default-pw' }), 't');
    try {
      assert.equal(await whenSettled(plain), 'ready');
      assert.equal(await plain.call('ACL', 'WHOAMI'), 'default');
    } finally {
      plain.disconnect();
    }
  });

  test('a user name with a space is a configuration error naming the variable', () => {
    assert.throws(() => loadConfig<RedisConfig>('t', redisSchema, { REDIS_URL: 'redis://r:6379/0', REDIS_USERNAME: 'a b', REDIS_PASSWORD: 'x' }), /REDIS_USERNAME/);
  });
});
