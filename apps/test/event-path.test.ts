/**
 * The event path for real, configured by rendered/dev: Kafka, PostgreSQL and Redis servers, the
 * topics/users/ACLs the rendered config declares, and event-ingestion, event-processor and
 * analytics-api each booted as a process with the environment its rendered Deployment gives it
 * (hosts, ports and TLS flags pointed here). If the rendered config and an app disagree, the
 * service does not become ready and this file fails with the service's own message.
 *
 * One set of servers for the whole file; the tests run in order and each uses its own game id.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { eventually, makeEvent, openSse, postEvents, readTopic, type TestEvent } from './client.ts';
import { topicNameOf } from '../../scripts/harness/kafka-rendered.ts';
import { EVENT_PATH, startService, startStack, type EventPathService, type RunningService, type Stack } from './stack.ts';

let stack: Stack;
const services = {} as Record<EventPathService, RunningService>;
let db: pg.Client;

const url = (s: EventPathService, path: string) => `${services[s].url}${path}`;
/** analytics-api reads only for a caller's key: the stack's. */
const withKey = () => ({ 'x-api-key': stack.apiKey });
const getJson = async (s: EventPathService, path: string, headers: Record<string, string> = withKey()) => {
  const res = await fetch(url(s, path), { headers });
  return { status: res.status, body: (await res.json()) as any };
};

/** How many rows each of `ids` has in player_events (only ids with at least one row). */
async function rowCounts(ids: string[]): Promise<Map<string, number>> {
  const { rows } = await db.query<{ event_id: string; n: number }>(
    'SELECT event_id::text, count(*)::int AS n FROM player_events WHERE event_id = ANY($1::uuid[]) GROUP BY event_id',
    [ids],
  );
  return new Map(rows.map((r) => [r.event_id, r.n]));
}

/** Wait until every id is stored, then assert each exactly once. */
async function assertStoredExactlyOnce(ids: string[], timeoutMs = 60_000): Promise<void> {
  const counts = await eventually(`all ${ids.length} accepted events stored`, async () => {
    const c = await rowCounts(ids);
    return c.size === ids.length ? c : undefined;
  }, timeoutMs);
  const duplicated = [...counts].filter(([, n]) => n !== 1);
  assert.deepEqual(duplicated, [], 'every accepted event is stored exactly once');
}

describe('event path on real servers, configured by rendered/dev', () => {
  before(async () => {
    stack = await startStack({ traces: true });
    // The processor creates the schema; analytics-api reads it.
    services['event-processor'] = await startService(stack, 'event-processor');
    services['event-ingestion'] = await startService(stack, 'event-ingestion');
    services['analytics-api'] = await startService(stack, 'analytics-api');
    db = new pg.Client(stack.databaseAdmin());
    await db.connect();
  });

  after(async () => {
    await db?.end().catch(() => undefined);
    await Promise.allSettled(Object.values(services).map((s) => s.process.stop(10_000)));
    await stack?.stop();
  });

  test('contract: each service boots ready from its rendered Deployment + ConfigMap', async () => {
    for (const s of EVENT_PATH) {
      const ready = await getJson(s, '/readyz');
      assert.equal(ready.status, 200, `${s} /readyz: ${JSON.stringify(ready.body)}`);
      assert.equal(ready.body.status, 'ready');
      assert.ok(Object.values(ready.body.checks).every((c) => c === 'up'));
      assert.deepEqual((await getJson(s, '/healthz')).body, { status: 'ok' });
    }
    // Every topic a ConfigMap names exists in what the rendered KafkaTopics provision.
    const topics = new Set(stack.plan.topics.map(topicNameOf));
    assert.ok(topics.size > 0, 'rendered/dev has KafkaTopics');
    for (const s of EVENT_PATH)
      for (const [key, value] of Object.entries(stack.rendered[s].config))
        if (/^KAFKA_(DLQ_)?TOPIC_/.test(key)) assert.ok(topics.has(value), `${s}: ${key}=${value} is not a provisioned topic`);
    // Each Kafka-using service's KAFKA_USERNAME has a provisioned user with ACLs.
    for (const s of EVENT_PATH) {
      const username = stack.rendered[s].config.KAFKA_USERNAME;
      if (username) assert.ok(stack.plan.users.some((u) => u.metadata?.name === username && (u.spec.authorization?.acls ?? []).length > 0), `${s}: no KafkaUser ${username}`);
    }
  });

  test('a service refuses to start on a bad rendered value, naming the variable', async () => {
    await assert.rejects(
      startService(stack, 'event-ingestion', { KAFKA_SASL_MECHANISM: 'plain', KAFKA_BROKERS: 'nowhere' }, 10_000),
      (e: Error) => /KAFKA_SASL_MECHANISM="plain"/.test(e.message) && /KAFKA_BROKERS="nowhere"/.test(e.message) && /exited with code 78/.test(e.message),
    );
  });

  test('end to end: posted events show in stats, leaderboard, the SSE stream and player.events.processed', async () => {
    const game = `game-e2e-${randomUUID().slice(0, 8)}`;
    const live = await openSse(url('analytics-api', `/v1/games/${game}/live`), withKey());
    try {
      const snapshot = await live.waitFor((e) => e.event === 'snapshot');
      assert.deepEqual(snapshot.data, { gameId: game, counts: {}, total: 0 });

      const players = ['ann', 'bob', 'cyd', 'dee', 'eve'];
      const batch = players.flatMap((p, i) => Array.from({ length: 10 }, () => makeEvent(game, p, i + 1)));
      const singles = players.flatMap((p) => [makeEvent(game, p), makeEvent(game, p)]);
      const accepted = await postEvents(services['event-ingestion'].url, stack.apiKey, batch);
      assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
      assert.equal(accepted.body.accepted, 50);
      for (const e of singles) assert.equal((await postEvents(services['event-ingestion'].url, stack.apiKey, [e])).status, 202);

      const final = await live.waitFor((e) => e.event === 'counters' && e.data.total === 60);
      assert.deepEqual(final.data.counts, { score: 50, session_start: 10 });

      const stats = await getJson('analytics-api', '/v1/players/eve/stats?window=1h');
      assert.equal(stats.status, 200);
      assert.equal(stats.body.totalEvents, 12);
      assert.equal(stats.body.totalScore, 50);
      assert.deepEqual(stats.body.byType, { score: 10, session_start: 2 });
      assert.deepEqual(stats.body.games, [{ gameId: game, events: 12, score: 50 }]);

      const page1 = await getJson('analytics-api', `/v1/games/${game}/leaderboard?window=1h&limit=2`);
      assert.equal(page1.status, 200);
      assert.equal(page1.body.total, 5);
      assert.equal(page1.body.nextOffset, 2);
      assert.deepEqual(page1.body.entries, [
        { rank: 1, playerId: 'eve', score: 50, events: 10 },
        { rank: 2, playerId: 'dee', score: 40, events: 10 },
      ]);
      const page3 = await getJson('analytics-api', `/v1/games/${game}/leaderboard?window=1h&limit=2&offset=4`);
      assert.deepEqual(page3.body.entries, [{ rank: 5, playerId: 'ann', score: 10, events: 10 }]);
      assert.equal(page3.body.nextOffset, null);

      const ids = new Set([...batch, ...singles].map((e) => e.eventId));
      const processed = await readTopic(stack.adminClient(), stack.rendered['event-processor'].config.KAFKA_TOPIC_PLAYER_EVENTS_PROCESSED, (ms) =>
        ms.filter((m) => ids.has(JSON.parse(String(m.value)).eventId)).length >= ids.size,
      );
      const mine = processed.map((m) => JSON.parse(String(m.value))).filter((v) => ids.has(v.eventId));
      assert.equal(mine.length, 60);
      const one = mine.find((v) => v.playerId === 'eve' && v.type === 'score');
      assert.equal(one.tenant, stack.apiKeyTenant);
      assert.equal(one.score, 5);
      assert.equal(typeof one.processedAt, 'string');
    } finally {
      live.close();
    }
  });

  test('analytics-api validates query parameters, listing every problem', async () => {
    const res = await getJson('analytics-api', '/v1/games/g1/leaderboard?window=2h&limit=0&offset=-1&sort=asc');
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 'VALIDATION_FAILED');
    assert.deepEqual(res.body.errors.map((e: { path: string }) => e.path).sort(), ['/limit', '/offset', '/sort', '/window']);
    const bad = await getJson('analytics-api', '/v1/players/bad%20id/stats');
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.errors.map((e: { in: string; path: string }) => [e.in, e.path]), [['params', '/id']]);
  });

  test('analytics-api reads only for a caller\'s key: none, or a wrong one, is 401 before anything is queried', async () => {
    const none = await getJson('analytics-api', '/v1/players/eve/stats?window=1h', {});
    assert.deepEqual([none.status, none.body.code], [401, 'API_KEY_MISSING']);
    const wrong = await getJson('analytics-api', '/v1/games/g1/leaderboard?window=1h', { 'x-api-key': 'gm_not-a-key' });
    assert.deepEqual([wrong.status, wrong.body.code], [401, 'API_KEY_INVALID']);
    const bearer = await getJson('analytics-api', '/v1/games/g1/leaderboard?window=1h', { authorization: `Bearer ${stack.apiKey}` });
    assert.equal(bearer.status, 200);
    assert.equal((await getJson('analytics-api', '/readyz', {})).status, 200, 'the probes need no key');
    assert.equal((await fetch(url('analytics-api', '/metrics'))).status, 200, 'nor does the scrape');
    const unlisted = await getJson('analytics-api', '/v2/players/eve/stats', {});
    assert.deepEqual([unlisted.status, unlisted.body.code], [401, 'API_KEY_MISSING'], 'a route not listed as open needs a key');
    // The router decodes %76 to v: a percent-encoded path reaches the same route and needs the same key.
    const encoded = await getJson('analytics-api', '/%761/players/eve/stats?window=1h', {});
    assert.deepEqual([encoded.status, encoded.body.code], [401, 'API_KEY_MISSING']);
  });

  test('poison messages go to the dead-letter topic with the reason, and consumption goes on', async () => {
    const admin = stack.adminClient();
    const producer = admin.producer();
    await producer.connect();
    const raw = stack.rendered['event-processor'].config.KAFKA_TOPIC_PLAYER_EVENTS_RAW;
    const marker = randomUUID();
    // Valid by the schema but refused by PostgreSQL (NUL in jsonb), between two good events of the same chunk.
    const rawEvent = (payload: object) => ({ ...makeEvent('game-poison-db', marker, 1), payload, tenant: 't', receivedAt: new Date().toISOString() });
    const [good1, nul, good2] = [rawEvent({ score: 1 }), rawEvent({ note: 'a\u0000b' }), rawEvent({ score: 2 })];
    await producer.send({
      topic: raw,
      messages: [
        { key: marker, value: `not json ${marker}` },
        { key: marker, value: JSON.stringify({ eventId: marker, playerId: 'p', type: 'nope' }) },
        ...[good1, nul, good2].map((e) => ({ key: marker, value: JSON.stringify(e) })),
      ],
    });
    await producer.disconnect();
    const game = `game-poison-${randomUUID().slice(0, 8)}`;
    const after = makeEvent(game, 'p1', 7);
    assert.equal((await postEvents(services['event-ingestion'].url, stack.apiKey, [after])).status, 202);

    const dlq = await readTopic(admin, stack.rendered['event-processor'].config.KAFKA_DLQ_TOPIC_PLAYER_EVENTS_RAW, (ms) =>
      ms.filter((m) => String(m.key) === marker).length >= 3,
    );
    const mine = dlq.filter((m) => String(m.key) === marker);
    assert.equal(mine.length, 3, 'the three poison records, nothing else');
    const reasons = mine.map((m) => String(m.headers?.['x-dlq-reason']));
    assert.match(reasons[0], /^not JSON/);
    assert.match(reasons[1], /^schema: .*\/gameId is required/);
    assert.match(reasons[1], /\/type must be equal to one of the allowed values/);
    assert.match(reasons[2], /^database rejected the event: /);
    assert.equal(String(mine[0].value), `not json ${marker}`);
    assert.equal(JSON.parse(String(mine[2].value)).eventId, nul.eventId);
    assert.match(String(mine[2].headers?.['x-dlq-source']), /^player\.events\.raw\/\d+\/\d+$/);
    await assertStoredExactlyOnce([after.eventId, good1.eventId, good2.eventId]);
    assert.equal((await rowCounts([nul.eventId])).size, 0);
  });

  test('broker stopped mid-load: 503 while down, never 202; every 202 stored exactly once', async () => {
    const game = `game-fault-${randomUUID().slice(0, 8)}`;
    const accepted: string[] = [];
    const outcomes: Array<{ start: number; end: number; status: number }> = [];
    let running = true;
    const worker = async (w: number) => {
      while (running) {
        const events: TestEvent[] = Array.from({ length: 20 }, (_, i) => makeEvent(game, `w${w}-p${i % 4}`, 1));
        const start = Date.now();
        const res = await postEvents(services['event-ingestion'].url, stack.apiKey, events).catch(() => ({ status: 0, body: null }));
        outcomes.push({ start, end: Date.now(), status: res.status });
        if (res.status === 202) accepted.push(...events.map((e) => e.eventId));
        else if (res.status === 503) await sleep(20);
      }
    };
    const load = [0, 1, 2, 3].map(worker);
    let downFrom = 0;
    let downUntil = 0;
    let brokerDown = false;
    try {
      await sleep(700);
      await stack.broker.stop();
      brokerDown = true;
      downFrom = Date.now();
      // The first failed write opens the circuit (at most the produce timeout).
      const notReady = await eventually('ingestion not ready while the broker is down', async () => {
        const r = await getJson('event-ingestion', '/readyz');
        return r.status === 503 ? r.body : undefined;
      }, 10_000);
      assert.deepEqual(notReady.checks, { kafka: 'down' });
      await sleep(1000);
      downUntil = Date.now();
      await stack.broker.restart();
      brokerDown = false;
      await eventually('ingestion accepting again after the restart', async () =>
        outcomes.some((o) => o.start > downUntil && o.status === 202) ? true : undefined,
      );
      await sleep(300);
      assert.equal((await getJson('event-ingestion', '/readyz')).status, 200);
    } finally {
      running = false;
      await Promise.all(load);
      if (brokerDown) await stack.broker.restart();
    }

    const whileDown = outcomes.filter((o) => o.start >= downFrom && o.end <= downUntil);
    assert.ok(whileDown.length > 0, 'requests were made while the broker was down');
    assert.deepEqual([...new Set(whileDown.map((o) => o.status))], [503], 'only 503 while the broker is down');
    assert.deepEqual([...new Set(outcomes.map((o) => o.status))].filter((s) => s !== 202 && s !== 503), [], 'no other statuses');
    assert.ok(accepted.length > 0);
    await assertStoredExactlyOnce(accepted, 90_000);
  });

  test('Redis down: live counters and readiness say so, events still flow; back up: streams resync', async () => {
    const game = `game-redis-${randomUUID().slice(0, 8)}`;
    const live = await openSse(url('analytics-api', `/v1/games/${game}/live`), withKey());
    let redisDown = false;
    try {
      await live.waitFor((e) => e.event === 'snapshot');
      await stack.redis.stopServer();
      redisDown = true;
      const analytics = await eventually('analytics-api not ready', async () => {
        const r = await getJson('analytics-api', '/readyz');
        return r.status === 503 ? r.body : undefined;
      });
      assert.deepEqual(analytics.checks, { postgres: 'up', liveCounters: 'down' });
      // Each service notices on its own Redis client's next command or reconnect: wait for it too.
      const processor = await eventually('event-processor not ready', async () => {
        const r = await getJson('event-processor', '/readyz');
        return r.status === 503 ? r : undefined;
      });
      assert.equal(processor.body.checks.redis, 'down');
      const refused = await getJson('analytics-api', `/v1/games/${game}/live`);
      assert.equal(refused.status, 503);
      assert.equal(refused.body.code, 'LIVE_UNAVAILABLE');

      const e = makeEvent(game, 'p1', 3);
      assert.equal((await postEvents(services['event-ingestion'].url, stack.apiKey, [e])).status, 202);
      await assertStoredExactlyOnce([e.eventId]);

      await stack.redis.restart();
      redisDown = false;
      await eventually('analytics-api ready again', async () => ((await getJson('analytics-api', '/readyz')).status === 200 ? true : undefined));
      const resync = await live.waitFor((x) => x.event === 'snapshot' && x.data.total === 1);
      assert.deepEqual(resync.data.counts, { score: 1 });
    } finally {
      live.close();
      if (redisDown) await stack.redis.restart();
    }
  });

  test('processor SIGTERMed mid-stream and restarted: no loss, no duplicates', async () => {
    const game = `game-sigterm-${randomUUID().slice(0, 8)}`;
    const batches = Array.from({ length: 40 }, (_, b) => Array.from({ length: 250 }, (_, i) => makeEvent(game, `p${(b * 7 + i) % 50}`, 1)));
    const ids = batches.flat().map((e) => e.eventId);
    const ingest = services['event-ingestion'].url;
    for (const batch of batches.slice(0, 20)) assert.equal((await postEvents(ingest, stack.apiKey, batch)).status, 202);

    // Stop it while it works through the backlog.
    await eventually('processor part-way through', async () => {
      const n = (await rowCounts(ids)).size;
      return n > 0 ? n : undefined;
    });
    const processor = services['event-processor'];
    processor.process.child.kill('SIGTERM');
    const exit = await processor.exited();
    assert.equal(exit, 'event-processor exited with code 0', 'graceful shutdown');
    const storedAtStop = (await rowCounts(ids)).size;
    assert.ok(storedAtStop < ids.length, `stopped mid-stream (${storedAtStop}/${ids.length} stored)`);

    // Ingestion keeps accepting while the processor is away.
    for (const batch of batches.slice(20)) assert.equal((await postEvents(ingest, stack.apiKey, batch)).status, 202);
    services['event-processor'] = await startService(stack, 'event-processor');
    await assertStoredExactlyOnce(ids);

    const idSet = new Set(ids);
    const processed = await readTopic(stack.adminClient(), stack.rendered['event-processor'].config.KAFKA_TOPIC_PLAYER_EVENTS_PROCESSED, (ms) =>
      ms.filter((m) => idSet.has(JSON.parse(String(m.value)).eventId)).length >= ids.length,
    );
    const published = processed.map((m) => JSON.parse(String(m.value)).eventId).filter((id: string) => idSet.has(id));
    assert.equal(published.length, ids.length, 'each event published to player.events.processed once');
    assert.equal(new Set(published).size, ids.length);
  });

  test('metrics expose the SLO series: requests by route and status, Kafka produce/consume, consumer lag', async () => {
    const ingest = await (await fetch(url('event-ingestion', '/metrics'))).text();
    assert.match(ingest, /http_requests_total\{method="POST",route="\/v1\/events\/batch",status_code="202",service="event-ingestion"\} \d+/);
    assert.match(ingest, /http_requests_total\{method="POST",route="\/v1\/events\/batch",status_code="503",service="event-ingestion"\} \d+/);
    assert.match(ingest, /kafka_messages_produced_total\{topic="player\.events\.raw",result="ok",service="event-ingestion"\} \d+/);
    const proc = await (await fetch(url('event-processor', '/metrics'))).text();
    assert.match(proc, /kafka_messages_consumed_total\{topic="player\.events\.raw",result="ok",service="event-processor"\} \d+/);
    assert.match(proc, /kafka_consumer_lag\{topic="player\.events\.raw",partition="\d",service="event-processor"\} \d+/);
    assert.match(proc, /kafka_messages_produced_total\{topic="player\.events\.processed",result="ok",service="event-processor"\} \d+/);
  });

  test('business metrics: events accepted per game and active players, for the business dashboard', async () => {
    const ingest = await (await fetch(url('event-ingestion', '/metrics'))).text();
    assert.match(ingest, /player_events_accepted_total\{game_id="[^"]+",service="event-ingestion"\} [1-9]\d*/);
    assert.match(ingest, /active_players\{game_id="[^"]+",service="event-ingestion"\} [1-9]\d*/);
  });

  test('traces: a request to event-ingestion under its rendered configuration sends its span to the OTLP endpoint, and the processor continues the trace', async () => {
    // The rendered ConfigMap names the collector; the stack repoints only its host to a receiver in this process.
    assert.equal(stack.rendered['event-ingestion'].config.OTEL_EXPORTER_OTLP_ENDPOINT, 'http://otel-collector.monitoring.svc:4318');
    const traceId = randomBytes(16).toString('hex');
    const res = await fetch(`${services['event-ingestion'].url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': stack.apiKey, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
      body: JSON.stringify(makeEvent('trace-game', 'trace-player')),
    });
    assert.equal(res.status, 202);
    const otlp = stack.otlp!;
    const span = await otlp.waitForSpan((s) => s.service === 'event-ingestion' && s.traceId === traceId, 'the event-ingestion span of the traced request');
    assert.equal(span.name, 'POST /v1/events');
    assert.equal(span.attributes['http.response.status_code'], 202);
    const processed = await otlp.waitForSpan((s) => s.service === 'event-processor' && s.traceId === traceId, 'the event-processor span continuing the trace from the Kafka headers');
    assert.ok(processed.parentSpanId, 'the processor span has a parent in the same trace');
    assert.deepEqual(otlp.rejected, []);
  });

  test('ingestion SIGTERMed with a request in flight: the request completes, then exit 0', async () => {
    const ingestion = services['event-ingestion'];
    const events = Array.from({ length: 500 }, (_, i) => makeEvent(`game-term-${randomUUID().slice(0, 8)}`, `p${i % 10}`, 1));
    const pending = postEvents(ingestion.url, stack.apiKey, events);
    await sleep(5);
    ingestion.process.child.kill('SIGTERM');
    const res = await pending;
    assert.equal(res.status, 202, 'the in-flight request was answered, after Kafka acknowledged it');
    assert.equal(await ingestion.exited(), 'event-ingestion exited with code 0');
    await assertStoredExactlyOnce(events.map((e) => e.eventId));
    services['event-ingestion'] = await startService(stack, 'event-ingestion');
  });
});
