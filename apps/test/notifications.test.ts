/**
 * notification-service for real: Kafka and Redis servers provisioned from rendered/dev (its
 * KafkaUser's ACLs included), the service booted with its rendered Deployment's environment
 * (NOTIFY_WEBHOOKS, a Secret, points at a local receiver; the retry policy is shortened), and a
 * webhook receiver (apps/test/webhook-receiver.ts) per channel behaviour.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KafkaMessage, Producer } from 'kafkajs';
import { Redis } from 'ioredis';
import { backoffWindow } from '../notification-service/src/backoff.ts';
import { readTopic } from './client.ts';
import { startService, startStack, type RunningService, type Stack } from './stack.ts';
import { startReceiver, type Receiver } from './webhook-receiver.ts';

const SERVICE = 'notification-service';
const OUTBOUND = 'notifications.outbound';
const RECOMMENDATIONS = 'recommendations.generated';
const DLQ = 'notifications.outbound.dlq';
const TUNING = {
  NOTIFY_MAX_ATTEMPTS: '4',
  NOTIFY_BACKOFF_BASE_MS: '200',
  NOTIFY_BACKOFF_MAX_MS: '2000',
  NOTIFY_TIMEOUT_MS: '1000',
  NOTIFY_LEASE_MS: '3000',
};

let stack: Stack;
let receiver: Receiver;
let producer: Producer;
let redis: Redis;
const running: RunningService[] = [];

async function eventually<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await probe();
    if (v !== undefined) return v;
    await sleep(100);
  }
  throw new Error(`${what}: not reached within ${timeoutMs} ms`);
}

const notification = (channel: string, extra: Record<string, unknown> = {}) => ({
  notificationId: randomUUID(),
  playerId: `player-${randomUUID().slice(0, 8)}`,
  channel,
  subject: 'Level up',
  body: 'You reached level 7',
  createdAt: new Date().toISOString(),
  ...extra,
});

async function produce(topic: string, values: Array<string | Record<string, unknown>>, key = (v: unknown) => (typeof v === 'object' ? String((v as { playerId?: string }).playerId) : 'k')): Promise<void> {
  await producer.send({ topic, acks: -1, messages: values.map((v) => ({ key: key(v), value: typeof v === 'string' ? v : JSON.stringify(v) })) });
}

const header = (m: KafkaMessage, name: string) => m.headers?.[name]?.toString();

async function dlqFor(count: number, match: (m: KafkaMessage) => boolean): Promise<KafkaMessage[]> {
  const read = await readTopic(stack.adminClient(), DLQ, (ms) => ms.filter(match).length >= count, 60_000);
  return read.filter(match);
}

describe('notification-service on real Kafka and Redis', () => {
  before(async () => {
    receiver = await startReceiver({
      ok: { ok: true, delayMs: 15 },
      push: { ok: true },
      flaky: { failFirst: 3, status: 503 },
      down: { always: 503 },
      refuse: { always: 400 },
    });
    const webhooks = ['ok', 'push', 'flaky', 'down', 'refuse'].map((c) => `${c}=${receiver.url(c)}`).join(',');
    stack = await startStack({ services: [SERVICE], secrets: { NOTIFY_WEBHOOKS: webhooks } });
    producer = stack.adminClient().producer({ idempotent: true });
    await producer.connect();
    redis = new Redis({ host: stack.redis.host, port: stack.redis.port, password: stack.secrets.get(`${SERVICE}-redis/password`) });
    running.push(await startService(stack, SERVICE, TUNING));
  });

  after(async () => {
    await Promise.allSettled(running.map((s) => s.process.stop()));
    await producer?.disconnect().catch(() => undefined);
    redis?.disconnect();
    await receiver?.close();
    await stack?.stop();
  });

  test('a receiver that fails the first 3 calls: retried with exponential backoff and jitter, delivered on attempt 4', async (t) => {
    const n = notification('flaky');
    await produce(OUTBOUND, [n]);
    const calls = await eventually('4 calls for the flaky notification', () => {
      const c = receiver.calls.filter((x) => x.key === n.notificationId);
      return c.some((x) => x.status === 200) ? c : undefined;
    });
    assert.deepEqual(calls.map((c) => [c.attempt, c.status]), [[1, 503], [2, 503], [3, 503], [4, 200]]);
    const gaps = calls.slice(1).map((c, i) => Math.round(c.at - calls[i].at));
    for (let i = 0; i < gaps.length; i++) {
      const [low] = backoffWindow(i + 1, 200, 2000);
      assert.ok(gaps[i] >= low, `gap before attempt ${i + 2} is ${gaps[i]} ms, below the backoff's lower bound ${low} ms`);
    }
    t.diagnostic(`retry schedule (ms between attempts): ${gaps.join(', ')}; windows ${[1, 2, 3].map((a) => backoffWindow(a, 200, 2000).join('–')).join(', ')}`);
    assert.equal(await redis.get(`notify:${n.notificationId}`), 'delivered');
    assert.equal(receiver.calls.filter((x) => x.key === n.notificationId).length, 4, 'nothing after the success');
  });

  test('a receiver that always fails: 4 attempts, then the DLQ with the reason; a refusal (400) goes there at once', async () => {
    const down = notification('down');
    const refused = notification('refuse');
    await produce(OUTBOUND, [down, refused]);
    const dead = await dlqFor(2, (m) => [down.notificationId, refused.notificationId].includes(JSON.parse(m.value?.toString() ?? '{}').notificationId));
    const byId = new Map(dead.map((m) => [JSON.parse(m.value!.toString()).notificationId as string, m]));
    const d = byId.get(down.notificationId)!;
    assert.match(header(d, 'x-dlq-reason')!, /answered HTTP 503; gave up after 4 attempts/);
    assert.equal(header(d, 'x-dlq-attempts'), '4');
    assert.equal(header(d, 'x-dlq-service'), SERVICE);
    assert.match(header(d, 'x-dlq-source')!, new RegExp(`^${OUTBOUND.replace(/\./g, '\\.')}/\\d+/\\d+$`));
    assert.deepEqual(JSON.parse(d.value!.toString()), down, 'the original record travels unchanged');
    assert.deepEqual(receiver.calls.filter((c) => c.key === down.notificationId).map((c) => c.attempt), [1, 2, 3, 4]);
    const r = byId.get(refused.notificationId)!;
    assert.match(header(r, 'x-dlq-reason')!, /answered HTTP 400 \(final, not retried\)/);
    assert.equal(receiver.calls.filter((c) => c.key === refused.notificationId).length, 1);
    assert.equal(await redis.get(`notify:${down.notificationId}`), 'dead-lettered');
  });

  test('poison records go to the DLQ with the reason, and consumption goes on', async () => {
    const marker = randomUUID();
    const noBody = notification('ok', { body: undefined, subject: marker });
    const unknownChannel = notification('carrier-pigeon', { subject: marker });
    await produce(OUTBOUND, ['{not json', JSON.stringify({ ...noBody }), JSON.stringify(unknownChannel)], () => marker);
    await produce(RECOMMENDATIONS, [JSON.stringify({ playerId: marker, recommendations: [{ score: 1 }], generatedAt: 'yesterday' })], () => marker);
    const after = notification('ok');
    await produce(OUTBOUND, [after]);
    const dead = await dlqFor(4, (m) => m.key?.toString() === marker);
    const reasons = dead.map((m) => `${header(m, 'x-dlq-source')!.split('/')[0]}: ${header(m, 'x-dlq-reason')}`).sort();
    assert.equal(reasons.length, 4);
    assert.match(reasons[0], /^notifications\.outbound: no webhook for channel "carrier-pigeon"/);
    assert.match(reasons.find((r) => r.includes('not JSON'))!, /^notifications\.outbound: not JSON/);
    assert.match(reasons.find((r) => r.includes('/body'))!, /schema: \/body is required/);
    const rec = reasons.find((r) => r.startsWith('recommendations.generated'))!;
    assert.match(rec, /\/recommendations\/0\/gameId is required/);
    assert.match(rec, /\/generatedAt must match format "date-time"/);
    await eventually('the record after the poison delivered', () => (receiver.applied.includes(after.notificationId) ? true : undefined));
  });

  test('a recommendation is delivered on the recommendation channel once, even when produced twice', async () => {
    const rec = { playerId: `p-${randomUUID().slice(0, 8)}`, generatedAt: new Date().toISOString(), backend: 'redis', neighbours: 2, recommendations: [{ gameId: 'sword-of-dawn', score: 0.93, reason: 'similar-players' }] };
    await produce(RECOMMENDATIONS, [rec, rec]);
    const id = `recommendation:${rec.playerId}:${rec.generatedAt}`;
    await eventually('the recommendation delivered', () => (receiver.applied.includes(id) ? true : undefined));
    await produce(RECOMMENDATIONS, [{ ...rec, generatedAt: new Date(Date.now() + 1000).toISOString(), playerId: rec.playerId }]);
    await eventually('the next recommendation delivered', () => (receiver.calls.filter((c) => c.body.playerId === rec.playerId).length >= 2 ? true : undefined));
    const calls = receiver.calls.filter((c) => c.key === id);
    assert.equal(calls.length, 1, 'the second copy is recognised by its id and skipped');
    assert.equal(calls[0].channel, 'push');
    assert.deepEqual(calls[0].body.data, { recommendations: [{ gameId: 'sword-of-dawn', score: 0.93 }] });
  });

  test('two instances share the partitions; SIGKILLed mid-delivery 3 times: every notification applied once, none lost', async (t) => {
    running.push(await startService(stack, SERVICE, TUNING));
    const batch = Array.from({ length: 240 }, () => notification('ok'));
    const ids = new Set<string>(batch.map((n) => n.notificationId));
    await produce(OUTBOUND, batch);
    for (let kill = 0; kill < 3; kill++) {
      await eventually('some deliveries in progress', () => (receiver.calls.filter((c) => ids.has(c.key)).length > (kill + 1) * 50 ? true : undefined));
      const victim = running[running.length - 1 - (kill % 2)];
      process.kill(victim.process.pid, 'SIGKILL');
      await victim.exited();
      running.splice(running.indexOf(victim), 1, await startService(stack, SERVICE, TUNING));
    }
    await eventually('all 240 applied', () => (batch.every((n) => receiver.applied.includes(n.notificationId)) ? true : undefined), 120_000);
    await sleep(1000);
    const ours = receiver.calls.filter((c) => ids.has(c.key));
    const applied = receiver.applied.filter((id) => ids.has(id));
    assert.equal(applied.length, 240, 'lost or applied twice');
    assert.equal(new Set(applied).size, 240);
    const repeats = ours.length - 240;
    t.diagnostic(`receiver calls ${ours.length} for 240 notifications: ${repeats} repeat(s), each with the same Idempotency-Key (a call in flight when its instance was killed)`);
    // At most one call per partition in flight per killed instance (NOTIFY_PARTITIONS_CONCURRENTLY, default 4).
    assert.ok(repeats <= 3 * 4, `more repeats (${repeats}) than calls can be in flight at 3 kills`);
    for (const id of ids) assert.equal(await redis.get(`notify:${id}`), 'delivered');
  });
});
