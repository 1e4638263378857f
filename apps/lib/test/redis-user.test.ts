/**
 * The Redis client logs in as the service's ACL user (REDIS_USERNAME + REDIS_PASSWORD, from its
 * `<service>-redis` Secret), on a real Redis with one such user; without a user name it is the
 * server's `default` user, as before ACL users. With REDIS_PASSWORD_FILE, a rotated password reaches the
 * client at its next reconnection.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { waitFor } from '../../../scripts/harness/process.ts';
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

  test('REDIS_PASSWORD_FILE: a rotated password is picked up at the next reconnection, without a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gm-redis-pw-'));
    const file = join(dir, 'password');
    await writeFile(file, 'its-pw\n');
    const admin = new Redis({ host: server.host, port: server.port, password: 'default-pw' });
    const config = loadConfig<RedisConfig>('t', redisSchema, { REDIS_URL: `redis://${server.host}:${server.port}/0`, REDIS_USERNAME: 'analytics-api', REDIS_PASSWORD_FILE: file });
    const client = createRedis(config, 't');
    try {
      assert.equal(await whenSettled(client), 'ready');
      // The server's side of a rotation (the acl-sync sidecar): the user's password replaced.
      await admin.call('ACL', 'SETUSER', 'analytics-api', 'reset', 'on', '>rotated-pw', '%R~*', '-@all', '+@connection', '+@read', '+info', '+acl|whoami');
      assert.equal(await client.get('k'), null, 'the open connection stays authenticated');
      // The client's side: the kubelet refreshes the mounted file; the connection drops (here: killed) and comes back with the new password.
      await writeFile(file, 'rotated-pw\n');
      await admin.call('CLIENT', 'KILL', 'USER', 'analytics-api');
      await waitFor(async () => (client.status === 'ready' && (await client.call('ACL', 'WHOAMI').catch(() => undefined)) === 'analytics-api' ? true : undefined), { timeoutMs: 15_000, intervalMs: 50, what: 'the client to reconnect with the rotated password' });
      await assert.rejects(admin.call('AUTH', 'analytics-api', 'its-pw'), /WRONGPASS/, 'the old password is refused');
    } finally {
      client.disconnect();
      admin.disconnect();
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a user name with a space is a configuration error naming the variable', () => {
    assert.throws(() => loadConfig<RedisConfig>('t', redisSchema, { REDIS_URL: 'redis://r:6379/0', REDIS_USERNAME: 'a b', REDIS_PASSWORD: 'x' }), /REDIS_USERNAME/);
  });
});
