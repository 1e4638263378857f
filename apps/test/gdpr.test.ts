/**
 * GDPR deletion end to end on real servers, every service booted from rendered/dev: Kafka (the
 * rendered topics, users and ACLs), PostgreSQL (the rendered roles, migrations and grants), Redis.
 * A player is created in user-service, plays through event-ingestion → event-processor →
 * recommendation-engine, gets recommendations (cached, invalidated by new events, published), is
 * deleted, and then nothing of theirs is left: no event row, no stats, no Redis key or index entry,
 * no profile; each store's audit row is there and the request reports completed. Poison records
 * on each consumed topic reach that topic's DLQ with the reason.
 *
 * recommendation-engine runs with SIMILARITY_BACKEND=redis (no Qdrant server here); with its exact
 * rendered configuration (qdrant) it boots, is healthy and reports only `qdrant` down.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import pg from 'pg';
import { eventually, makeEvent, postEvents, readTopic, type TestEvent } from './client.ts';
import { join } from 'node:path';
import { freePort, spawnServer, tailFile, waitFor } from '../../scripts/harness/process.ts';
import { createObjectStore, type ObjectStore } from '@gamemetrics/service-kit/object-store.ts';
import { startMinio, type MinioServer } from '../../scripts/harness/minio.ts';
import { decodeLines } from '../data-retention/src/archive.ts';
import { topicNameOf } from '../../scripts/harness/kafka-rendered.ts';
import { IMAGE_NODE_OPTIONS, provisionRenderedBucket, renderedBucketVersioned, REPO, runJobOnce, serviceEnv, startService, startStack, type RunningService, type Stack } from './stack.ts';

const EXTRA = ['user-service', 'recommendation-engine', 'data-retention'];
const REDIS_SIMILARITY = { SIMILARITY_BACKEND: 'redis' };
let stack: Stack;
const services: Record<string, RunningService> = {};
let db: pg.Pool;
let redis: Redis;
let minio: MinioServer;
let archive: ObjectStore;

/** One run of the data-retention CronJob's container, with its rendered environment; its audit line. */
const retentionRun = () => runJobOnce(stack, 'data-retention');

/** Archived lines of the player, in every version of every object (the bucket is versioned, as rendered). */
async function archivedOf(playerId: string): Promise<number> {
  let n = 0;
  for (const v of await archive.listVersions(''))
    if (!v.deleteMarker) for (const line of await decodeLines((await archive.getVersion(v.key, v.versionId)) as Uint8Array)) if (JSON.parse(line).playerId === playerId) n++;
  return n;
}

const call = async (service: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${services[service].url}${path}`, {
    method,
    headers: { ...(service === 'analytics-api' ? { 'x-api-key': stack.apiKey } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
};

/** Every Redis key naming the player, and every sorted set holding the player as a member. */
async function redisTraces(playerId: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'COUNT', 1000);
    cursor = next;
    for (const key of batch) {
      if (key.includes(playerId)) found.push(`key ${key}`);
      const type = await redis.type(key);
      if (type === 'zset' && (await redis.zscore(key, playerId)) !== null) found.push(`member of ${key}`);
      if (type === 'hash' && (await redis.hexists(key, playerId))) found.push(`field of ${key}`);
      if (type === 'string' && (await redis.get(key))?.includes(`"${playerId}"`)) found.push(`value of ${key}`);
    }
  } while (cursor !== '0');
  return found;
}

describe('GDPR deletion end to end, configured by rendered/dev', () => {
  before(async () => {
    minio = await startMinio();
    stack = await startStack({ services: EXTRA, objectStore: minio });
    // In the cluster the MinIO chart creates the model's buckets.
    archive = createObjectStore({ ...minio, bucket: stack.rendered['data-retention'].config.S3_BUCKET });
    await archive.ensureBucket({ versioning: renderedBucketVersioned(archive.bucket) });
    await provisionRenderedBucket(minio, stack.rendered['data-retention'].config.AUDIT_BUCKET);
    services['event-processor'] = await startService(stack, 'event-processor');
    services['event-ingestion'] = await startService(stack, 'event-ingestion');
    services['analytics-api'] = await startService(stack, 'analytics-api');
    services['user-service'] = await startService(stack, 'user-service');
    services['recommendation-engine'] = await startService(stack, 'recommendation-engine', REDIS_SIMILARITY);
    db = new pg.Pool({ ...stack.databaseAdmin(), max: 2 });
    redis = new Redis({ host: stack.redis.host, port: stack.redis.port, password: stack.redis.password });
  });

  after(async () => {
    redis?.disconnect();
    archive?.close();
    await minio?.stop();
    await db?.end().catch(() => undefined);
    await Promise.allSettled(Object.values(services).map((s) => s.process.stop(10_000)));
    await stack?.stop();
  });

  test('contract: user-service boots ready from its rendered configuration; recommendation-engine as rendered reports only Qdrant down', async () => {
    const ready = await call('user-service', 'GET', '/readyz');
    assert.equal(ready.status, 200, JSON.stringify(ready.body));
    assert.deepEqual(ready.body.checks, { postgres: 'up', kafkaProducer: 'up' });
    assert.equal(stack.rendered['recommendation-engine'].config.SIMILARITY_BACKEND, 'qdrant');
    // Exactly as rendered it cannot become ready here (no Qdrant): every other dependency is up.
    const port = await freePort();
    const logFile = join(stack.logDir, 'recommendation-engine-as-rendered.log');
    const proc = spawnServer({
      name: 'recommendation-engine (as rendered)',
      command: process.execPath,
      args: [...IMAGE_NODE_OPTIONS, join(REPO, 'apps', 'recommendation-engine', 'src', 'main.ts')],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...serviceEnv(stack, 'recommendation-engine', port) },
      logFile,
      cwd: REPO,
    });
    try {
      const asRendered = await waitFor(
        async () => {
          const res = await fetch(`http://127.0.0.1:${port}/readyz`);
          const body = (await res.json()) as { checks: Record<string, string> };
          return body.checks.kafkaConsumer === 'up' ? { status: res.status, body } : undefined;
        },
        { what: 'recommendation-engine as rendered', timeoutMs: 60_000, detail: () => tailFile(logFile, 30), abort: () => proc.exited() },
      );
      assert.equal(asRendered.status, 503);
      assert.deepEqual(asRendered.body.checks, { kafkaConsumer: 'up', redis: 'up', postgres: 'up', qdrant: 'down' });
      assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
    } finally {
      await proc.stop(10_000);
    }
    // Every topic their ConfigMaps name is a provisioned topic; each Kafka user has its ACLs.
    const topics = new Set(stack.plan.topics.map(topicNameOf));
    for (const s of EXTRA) {
      for (const [key, value] of Object.entries(stack.rendered[s].config))
        if (/^KAFKA_(DLQ_)?TOPIC_/.test(key)) assert.ok(topics.has(value), `${s}: ${key}=${value} is not a provisioned topic`);
      const username = stack.rendered[s].config.KAFKA_USERNAME;
      if (username) assert.ok(stack.plan.users.some((u) => u.metadata?.name === username && (u.spec.authorization?.acls ?? []).length > 0), `${s}: no KafkaUser ${username}`);
    }
    const rec = await call('recommendation-engine', 'GET', '/readyz');
    assert.deepEqual(rec.body.checks, { kafkaConsumer: 'up', redis: 'up', postgres: 'up', similarity: 'up' });
  });

  test('create a player, play, get recommendations, delete the player: nothing of them remains', async () => {
    const run = randomUUID().slice(0, 8);
    const ann = `ann-${run}`;
    const [bob, cyd] = [`bob-${run}`, `cyd-${run}`];
    const game = (g: string) => `${g}-${run}`;
    const created = await call('user-service', 'POST', '/v1/players', { playerId: ann, displayName: 'Ann', email: 'ann@example.com', consent: { analytics: true, marketing: true } });
    assert.equal(created.status, 201, JSON.stringify(created.body));

    const events: TestEvent[] = [
      ...[game('g1'), game('g2'), game('g2')].map((g) => makeEvent(g, ann, 10)),
      ...[game('g1'), game('g2'), game('g3'), game('g3')].map((g) => makeEvent(g, bob, 5)),
      ...[game('g2'), game('g4')].map((g) => makeEvent(g, cyd, 1)),
    ];
    assert.equal((await postEvents(services['event-ingestion'].url, stack.apiKey, events)).status, 202);
    // Every event counted (not only some): ann 3 events, bob 4, cyd 2.
    const counted = async (player: string) => (await redis.hvals(`rec:features:${player}`)).reduce((sum, v) => sum + Number(v), 0);
    await eventually('ann, bob and cyd counted in the features', async () => ((await counted(ann)) === 3 && (await counted(bob)) === 4 && (await counted(cyd)) === 2 ? true : undefined), 60_000);

    const first = await call('recommendation-engine', 'GET', `/v1/players/${ann}/recommendations`);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.headers.get('x-cache'), 'miss');
    assert.equal(first.body.playerId, ann);
    // ann {g1:1, g2:2}; cyd {g2:1, g4:1}: cosine 2/√10, g4 half of cyd's events; bob {g1:1, g2:1, g3:2}: cosine 3/√30, g3 half of bob's.
    const expected = [
      { gameId: game('g4'), score: Math.round((2 / Math.sqrt(10)) * 0.5 * 1e6) / 1e6, reason: 'similar-players' },
      { gameId: game('g3'), score: Math.round((3 / Math.sqrt(30)) * 0.5 * 1e6) / 1e6, reason: 'similar-players' },
    ];
    assert.deepEqual(first.body.recommendations.slice(0, 2), expected, 'games of similar players, by similarity × share');
    assert.equal(first.body.neighbours, 2);
    const second = await call('recommendation-engine', 'GET', `/v1/players/${ann}/recommendations?limit=1`);
    assert.equal(second.headers.get('x-cache'), 'hit');
    assert.equal(second.body.recommendations.length, 1);
    assert.ok((await redis.ttl(`rec:cache:${ann}`)) > 0, 'the cache entry has a TTL');
    // A new event of the player drops the cached answer.
    assert.equal((await postEvents(services['event-ingestion'].url, stack.apiKey, [makeEvent(game('g3'), ann, 1)])).status, 202);
    await eventually('cache invalidated by the new event', async () => ((await redis.exists(`rec:cache:${ann}`)) === 0 ? true : undefined));
    const third = await call('recommendation-engine', 'GET', `/v1/players/${ann}/recommendations`);
    assert.equal(third.headers.get('x-cache'), 'miss');
    assert.ok(!third.body.recommendations.some((r: { gameId: string }) => r.gameId === game('g3')), 'a game the player now plays is not recommended');
    const generated = await readTopic(stack.adminClient(), 'recommendations.generated', (ms) => ms.filter((m) => String(m.key) === ann).length >= 2);
    assert.ok(generated.filter((m) => String(m.key) === ann).every((m) => JSON.parse(String(m.value)).playerId === ann));
    await eventually('ann stored', async () => ((await db.query('SELECT count(*)::int AS n FROM player_events WHERE player_id = $1', [ann])).rows[0].n === 4 ? true : undefined));

    // Events past retention (400 days old, RETENTION_DAYS is 395): a data-retention run archives them.
    const old = new Date(Date.now() - 400 * 86400_000).toISOString();
    const oldEvents = [makeEvent(game('g1'), ann, 3), makeEvent(game('g1'), ann, 4), makeEvent(game('g1'), bob, 5)].map((e) => ({ ...e, timestamp: old }));
    assert.equal((await postEvents(services['event-ingestion'].url, stack.apiKey, oldEvents)).status, 202);
    await eventually('the old events stored', async () => ((await db.query('SELECT count(*)::int AS n FROM player_events WHERE player_id = $1', [ann])).rows[0].n === 6 ? true : undefined));
    const archived = await retentionRun();
    assert.equal(archived.msg, 'retention run');
    assert.equal(archived.archivedRows, 3);
    assert.equal(archived.deletedRows, 3);
    assert.equal(await archivedOf(ann), 2);
    assert.equal(await archivedOf(bob), 1);

    // Delete.
    const started = performance.now();
    const deletion = await call('user-service', 'DELETE', `/v1/players/${ann}`);
    assert.equal(deletion.status, 202, JSON.stringify(deletion.body));
    assert.deepEqual(Object.keys(deletion.body).sort(), ['playerId', 'requestId', 'status']);
    const waitFor = ['profile', 'player-events', 'recommendations'];
    const status = await eventually('every store but the archive done', async () => {
      const s = await call('user-service', 'GET', `/v1/gdpr/requests/${deletion.body.requestId}`);
      return waitFor.every((store) => s.body.stores[store].status === 'completed') ? s.body : undefined;
    });
    const online = (performance.now() - started) / 1000;
    assert.equal(status.status, 'pending', 'the archive waits for the next data-retention run');
    // The next run (every 30 minutes) erases the player from the archive.
    const erased = await retentionRun();
    assert.equal(erased.erasedRequests, 1);
    const done = await call('user-service', 'GET', `/v1/gdpr/requests/${deletion.body.requestId}`);
    assert.equal(done.body.status, 'completed', JSON.stringify(done.body));
    assert.ok(Object.values(done.body.stores).every((s: any) => s.status === 'completed'));
    const seconds = (performance.now() - started) / 1000;
    console.log(`# GDPR deletion: profile, event store and recommendations erased in ${online.toFixed(2)} s; with the archive (one data-retention run) ${seconds.toFixed(2)} s`);
    assert.equal(await archivedOf(ann), 0, 'no archived object, nor any earlier version of one, holds the player');
    assert.equal(await archivedOf(bob), 1, 'other players stay archived');

    assert.equal(status.playerId, ann);
    assert.equal((await db.query('SELECT count(*)::int AS n FROM player_events WHERE player_id = $1', [ann])).rows[0].n, 0, 'no event row');
    assert.equal((await db.query('SELECT count(*)::int AS n FROM players WHERE player_id = $1', [ann])).rows[0].n, 0, 'no profile');
    assert.equal((await call('user-service', 'GET', `/v1/players/${ann}`)).status, 404);
    const stats = await call('analytics-api', 'GET', `/v1/players/${ann}/stats?window=24h`);
    assert.equal(stats.body.totalEvents, 0, 'analytics-api forgets the player with the rows');
    const board = await call('analytics-api', 'GET', `/v1/games/${game('g1')}/leaderboard?window=24h`);
    assert.deepEqual(board.body.entries.map((e: { playerId: string }) => e.playerId), [bob]);
    assert.deepEqual(await redisTraces(ann), [], 'no Redis key, field, member or value of the player');
    const audit = await db.query('SELECT store, service, deleted FROM gdpr_deletion_audit WHERE request_id = $1 ORDER BY store', [deletion.body.requestId]);
    assert.deepEqual(audit.rows.map((r) => [r.store, r.service]), [['archive', 'data-retention'], ['player-events', 'event-processor'], ['profile', 'user-service'], ['recommendations', 'recommendation-engine']]);
    assert.equal(audit.rows[0].deleted.lines, 2);
    assert.equal(audit.rows[1].deleted.rows, 4);
    assert.equal(audit.rows[3].deleted.games, 3);
    // The other players keep their data.
    assert.equal((await db.query('SELECT count(*)::int AS n FROM player_events WHERE player_id = $1', [bob])).rows[0].n, 4);
    assert.equal(await redis.hlen(`rec:features:${bob}`), 3);
  });

  test('poison records reach each consumer’s DLQ with the reason', async () => {
    const admin = stack.adminClient();
    const producer = admin.producer();
    await producer.connect();
    const unknownRequest = JSON.stringify({ requestId: randomUUID(), playerId: 'nobody', requestedAt: new Date().toISOString() });
    try {
      await producer.send({ topic: 'gdpr.deletion.requests', messages: [{ key: 'x', value: 'not json' }, { key: 'y', value: '{"requestId":"42"}' }, { key: 'z', value: unknownRequest }] });
      await producer.send({ topic: 'player.events.processed', messages: [{ key: 'x', value: '{"playerId":"p"}' }] });
    } finally {
      await producer.disconnect();
    }
    const reasons = (ms: Array<{ headers?: Record<string, unknown> }>) => ms.map((m) => `${String(m.headers?.['x-dlq-service'])}: ${String(m.headers?.['x-dlq-reason'])}`);
    const gdprDlq = await readTopic(admin, 'gdpr.deletion.requests.dlq', (ms) => ms.length >= 6);
    const got = reasons(gdprDlq as any);
    for (const service of ['event-processor', 'recommendation-engine']) {
      assert.ok(got.some((r) => r.startsWith(`${service}: not JSON`)), `${service}: ${got.join(' | ')}`);
      assert.ok(got.some((r) => r.startsWith(`${service}: not a deletion request`) && r.includes('/requestId')), `${service}: ${got.join(' | ')}`);
      assert.ok(got.some((r) => r.startsWith(`${service}: database refused the request`) && r.includes('foreign key')), `${service}: ${got.join(' | ')}`);
    }
    const processedDlq = await readTopic(admin, 'player.events.processed.dlq', (ms) => ms.length >= 1);
    assert.match(reasons(processedDlq as any)[0], /^recommendation-engine: not a processed event: .*\/eventId is required/);
  });

  test('bad input on the recommendations endpoint: 400 with the field', async () => {
    for (const [path, field] of [['/v1/players/%20/recommendations', '/id'], ['/v1/players/a/recommendations?limit=0', '/limit'], ['/v1/players/a/recommendations?limit=51', '/limit'], ['/v1/players/a/recommendations?x=1', '/x']]) {
      const res = await call('recommendation-engine', 'GET', path);
      assert.equal(res.status, 400, path);
      assert.equal(res.body.code, 'VALIDATION_FAILED');
      assert.ok(res.body.errors.some((e: { path: string }) => e.path === field), `${path}: ${JSON.stringify(res.body.errors)}`);
    }
  });
});
