/**
 * closePool on a real PostgreSQL 15 (scripts/harness): it resolves only once every connection of
 * the pool is closed, so a server that stops right after never talks to a forgotten client. And the
 * pool's clients as the services export them (`db_pool_clients`), saturated and idle.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { startPostgres, type PostgresServer } from '../../../scripts/harness/postgres.ts';
import { createMetrics } from '../metrics.ts';
import { closePool } from '../postgres.ts';

let server: PostgresServer;

/** A pool holding `n` open, idle connections; counts the connections it has closed. */
async function poolWith(n: number) {
  const pool = new pg.Pool({ connectionString: server.connectionString, max: n });
  const counts = { closed: 0 };
  pool.on('remove', () => counts.closed++);
  const clients = await Promise.all(Array.from({ length: n }, () => pool.connect()));
  for (const client of clients) client.release();
  return { pool, counts };
}

describe('closePool on PostgreSQL', () => {
  before(async () => {
    server = await startPostgres();
  });
  after(async () => {
    await server?.stop();
  });

  test('resolves after every idle connection is closed (pool.end() alone resolves before)', async () => {
    const plain = await poolWith(3);
    await plain.pool.end();
    assert.equal(plain.counts.closed, 0, 'pool.end() resolved with its connections still open');

    const closing = await poolWith(3);
    await closePool(closing.pool);
    assert.equal(closing.counts.closed, 3);
  });

  test('waits for a checked-out client to be released and closed', async () => {
    const { pool, counts } = await poolWith(2);
    const busy = await pool.connect();
    let done = false;
    const closed = closePool(pool).then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(done, false, 'resolved while a client was still checked out');
    busy.release();
    await closed;
    assert.equal(counts.closed, 2);
  });

  test('db_pool_clients: a saturated pool shows its queued queries as waiting, then all idle', async () => {
    const metrics = createMetrics('pool-test', false);
    const series = async () => Object.fromEntries((await metrics.registry.getSingleMetric('db_pool_clients')!.get()).values.map((v) => [v.labels.state, v.value]));
    assert.deepEqual(await series(), {}, 'nothing before a pool is watched');
    const { pool } = await poolWith(1);
    metrics.watchDatabasePool(pool);
    const busy = await pool.connect();
    const queued = [pool.query('select 1'), pool.query('select 2')];
    assert.deepEqual(await series(), { total: 1, idle: 0, waiting: 2 });
    busy.release();
    await Promise.all(queued);
    assert.deepEqual(await series(), { total: 1, idle: 1, waiting: 0 });
    assert.match(await metrics.registry.metrics(), /^db_pool_clients\{state="waiting",service="pool-test"\} 0$/m);
    await closePool(pool);
  });

  test('an empty pool closes at once; the server can stop right after a close', async () => {
    await closePool(new pg.Pool({ connectionString: server.connectionString }));
    const { pool } = await poolWith(2);
    await closePool(pool);
    await server.stop();
  });
});
