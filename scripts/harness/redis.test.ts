// A real Redis server through the harness, exercised with ioredis.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { dirname } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { startRedis, type RedisServer } from './redis.ts';

let secured: RedisServer;
let open: RedisServer;

/** Runs `fn` with an ioredis client that fails fast instead of reconnecting. */
async function withClient<T>(url: string, fn: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await fn(client);
  } finally {
    client.disconnect();
  }
}

describe('Redis harness', () => {
  before(async () => {
    [secured, open] = await Promise.all([startRedis({ password: 'p@ss word' }), startRedis()]);
  });
  after(async () => {
    await Promise.all([secured?.stop(), open?.stop()]);
  });

  it('serves on two different free ports of 127.0.0.1, with and without a password', async () => {
    assert.notEqual(secured.port, open.port);
    assert.equal(secured.url, `redis://:p%40ss%20word@127.0.0.1:${secured.port}`);
    assert.equal(open.url, `redis://127.0.0.1:${open.port}`);
    assert.equal(await withClient(secured.url, async (c) => (await c.set('k', 'v'), await c.get('k'))), 'v');
    assert.equal(await withClient(open.url, (c) => c.ping()), 'PONG');
  });

  it('refuses commands without the password (NOAUTH)', async () => {
    // ioredis hides the reply behind its own connection handshake: speak RESP directly
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(secured.port, secured.host, () => socket.write('GET k\r\n'));
      socket.setEncoding('utf8').once('data', (data: string) => {
        socket.destroy();
        resolve(data);
      });
      socket.once('error', reject);
    });
    assert.match(reply, /^-NOAUTH /);
    assert.equal(await withClient(secured.url, (c) => c.get('k')), 'v');
  });

  it('runs without persistence', async () => {
    const config = await withClient(open.url, async (c) => ({
      save: await c.config('GET', 'save'),
      appendonly: await c.config('GET', 'appendonly'),
    }));
    assert.deepEqual(config, { save: ['save', ''], appendonly: ['appendonly', 'no'] });
  });

  it('restart() waits for a port held for a moment, and gives up on one held for good', async () => {
    const redis = await startRedis();
    try {
      await redis.stopServer();
      const holder = createServer();
      await new Promise<void>((resolve) => holder.listen(redis.port, redis.host, resolve));
      setTimeout(() => holder.close(), 600);
      await redis.restart();
      assert.equal(await withClient(redis.url, (c) => c.ping()), 'PONG');

      await redis.stopServer();
      const squatter = createServer();
      await new Promise<void>((resolve) => squatter.listen(redis.port, redis.host, resolve));
      try {
        await assert.rejects(redis.restart(), /Address already in use/);
      } finally {
        squatter.close();
      }
    } finally {
      await redis.stop();
    }
  });

  it('stop() deletes its files for good: a later restart() says so', async () => {
    const redis = await startRedis();
    await redis.stop();
    assert.equal(existsSync(dirname(redis.logFile)), false);
    await assert.rejects(redis.restart(), /^Error: Redis on 127\.0\.0\.1:\d+ was destroyed \(its files are deleted\): start a new server instead$/);
  });

  it('restarts on the same port with an empty dataset', async () => {
    await withClient(open.url, (c) => c.set('gone', '1'));
    const port = open.port;
    await open.stopServer();
    await assert.rejects(withClient(open.url, (c) => c.ping()), /ECONNREFUSED|Connection is closed/);
    await open.restart();
    assert.equal(open.port, port);
    assert.equal(await withClient(open.url, (c) => c.exists('gone')), 0);
  });
});
