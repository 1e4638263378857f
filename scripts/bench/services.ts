/**
 * `npm run bench:services [-- --players N --seconds S --connections C --deletions D]`
 *
 * The GDPR services on this machine, booted as the tests boot them (apps/test/stack.ts: rendered/dev
 * configuration; Kafka, PostgreSQL, Redis, MinIO; each service its own process; recommendation-engine
 * with SIMILARITY_BACKEND=redis, as no Qdrant runs here):
 *   R. recommendation reads: N players' events go through ingestion → processor → recommendation-engine;
 *      then every player is read once with an empty cache (each read computes: the alternative, no
 *      cache), then for S seconds with a warm cache. autocannon, C connections, players in rotation.
 *   G. GDPR deletion: D players with a profile and events are deleted one after another; the time from
 *      DELETE until the profile, the event store and the recommendation store have their audit rows,
 *      and then one data-retention run (the archive's share; every 30 minutes in the cluster).
 *   I. An idle Kafka client (a producer and an admin, connected, nothing sent) for 5 s: its process's
 *      CPU with kafkajs loaded plainly (its request queues poll every 1 ms) and through
 *      apps/lib/kafkajs.ts (no poll), one after the other.
 * Prints Markdown tables (copy them into docs/BENCHMARKS.md).
 */
import { execFile } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { createObjectStore } from '../../apps/lib/object-store.ts';
import { makeEvent, postEvents } from '../../apps/test/client.ts';
import { renderedBucketVersioned, REPO, runJobOnce, startService, startStack } from '../../apps/test/stack.ts';
import { startMinio } from '../harness/minio.ts';
import { exitUsage, parseCommand } from '../cli/command.ts';

const spec = {
  name: 'bench:services',
  usage: `Usage: npm run bench:services [-- options]

Measures recommendation reads (cold and warm cache) and GDPR deletion latency on real servers.
  --players N       players with events (default 2000)
  --seconds S       warm-cache read duration (default 10)
  --connections C   autocannon connections (default 50)
  --deletions D     players deleted one after another (default 20)
  -h, --help        show this help`,
  options: {
    players: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    deletions: { type: 'string', default: '20' },
  },
} as const;
const { values } = parseCommand(spec);
const n = { players: Number(values.players), seconds: Number(values.seconds), connections: Number(values.connections), deletions: Number(values.deletions) };
for (const [k, v] of Object.entries(n)) if (!Number.isInteger(v) || v < 1) exitUsage(spec, `--${k} must be a positive integer (got ${values[k as keyof typeof n]})`);
if (n.deletions > n.players) exitUsage(spec, '--deletions must not exceed --players');

const IDLE_SECONDS = 5;

/** CPU ms per second of a process that connects a producer and an admin, then idles; kafkajs loaded from `module`. */
function idleClientCpu(module: string, config: object): Promise<number> {
  const script = `const { default: kafkajs } = await import(${JSON.stringify(module)});
const kafka = new kafkajs.Kafka({ ...${JSON.stringify(config)}, logLevel: kafkajs.logLevel.NOTHING });
const producer = kafka.producer(); const admin = kafka.admin();
await producer.connect(); await admin.connect(); await admin.listTopics();
await new Promise((r) => setTimeout(r, 1000));
const from = process.cpuUsage(); const started = performance.now();
await new Promise((r) => setTimeout(r, ${IDLE_SECONDS * 1000}));
const used = process.cpuUsage(from);
console.log(((used.user + used.system) / 1000) / ((performance.now() - started) / 1000));
await producer.disconnect(); await admin.disconnect();`;
  return promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO }).then(({ stdout }) => Number(stdout.trim()));
}

const log = (msg: string) => process.stderr.write(`[bench:services] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const player = (i: number) => `bench-p${i}`;
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

log(`machine: ${cpus().length} × ${cpus()[0]?.model}, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const minio = await startMinio();
const stack = await startStack({ services: ['user-service', 'recommendation-engine', 'data-retention'], objectStore: minio });
const redis = new Redis({ host: stack.redis.host, port: stack.redis.port, password: stack.redis.password });
const running = [] as Array<Awaited<ReturnType<typeof startService>>>;
try {
  const archive = createObjectStore({ ...minio, bucket: stack.rendered['data-retention'].config.S3_BUCKET });
  await archive.ensureBucket({ versioning: renderedBucketVersioned(archive.bucket) });
  archive.close();
  for (const s of ['event-processor', 'event-ingestion', 'user-service']) running.push(await startService(stack, s));
  const rec = await startService(stack, 'recommendation-engine', { SIMILARITY_BACKEND: 'redis' });
  running.push(rec);
  const users = running[2];

  // Seed: each player plays three of 50 games, 5 events.
  log(`seeding ${n.players} players`);
  const events = Array.from({ length: n.players }, (_, i) => [i % 50, (i * 7) % 50, (i * 13) % 50, i % 50, (i * 7) % 50].map((g) => makeEvent(`game-${g}`, player(i), 1))).flat();
  for (let i = 0; i < events.length; i += 500) {
    const res = await postEvents(running[1].url, stack.apiKey, events.slice(i, i + 500));
    if (res.status !== 202) throw new Error(`ingestion answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  for (;;) {
    const pipe = redis.pipeline();
    for (let i = 0; i < n.players; i++) pipe.hlen(`rec:features:${player(i)}`);
    const counted = ((await pipe.exec()) ?? []).filter(([, v]) => Number(v) > 0).length;
    if (counted === n.players) break;
    await sleep(200);
  }
  // Features settled: drop the cache the seeding's reads may have left.
  const stale = await redis.keys('rec:cache:*');
  if (stale.length > 0) await redis.del(...stale);

  let next = 0;
  const rotate = (total: number) => [{ method: 'GET' as const, setupRequest: (req: any) => ({ ...req, path: `/v1/players/${player(next++ % total)}/recommendations` }) }];
  log('R cold: every player once, empty cache');
  next = 0;
  const cold = await cannon({ url: rec.url, connections: n.connections, amount: n.players, requests: rotate(n.players) });
  const cached = (await redis.keys('rec:cache:*')).length;
  log(`R warm: ${n.seconds} s`);
  next = 0;
  const warm = await cannon({ url: rec.url, connections: n.connections, duration: n.seconds, requests: rotate(n.players) });
  const line = (name: string, r: autocannon.Result) =>
    `| ${name} | ${r.requests.total} | ${r.non2xx} | ${Math.round(r.requests.average)} | ${r.latency.p50} | ${r.latency.p99} | ${r.latency.max} |`;
  const reads = [
    '| reads | requests | non-2xx | req/s | p50 ms | p99 ms | max ms |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    line(`cold cache (each read computes; ${n.players} players)`, cold),
    line(`warm cache (${cached} players cached)`, warm),
    `\nwarm / cold: ${(warm.requests.average / Math.max(1, cold.requests.average)).toFixed(1)}× the requests per second, p99 ${warm.latency.p99} vs ${cold.latency.p99} ms`,
  ];

  // G: deletions.
  log(`G: ${n.deletions} deletions`);
  const online: number[] = [];
  const requests: string[] = [];
  for (let i = 0; i < n.deletions; i++) {
    const id = player(i);
    const created = await fetch(`${users.url}/v1/players`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ playerId: id, displayName: id, email: `${id}@example.com`, consent: { analytics: true, marketing: false } }) });
    if (created.status !== 201) throw new Error(`create ${id}: ${created.status}`);
    const started = performance.now();
    const res = (await (await fetch(`${users.url}/v1/players/${id}`, { method: 'DELETE' })).json()) as { requestId: string };
    for (;;) {
      const s = (await (await fetch(`${users.url}/v1/gdpr/requests/${res.requestId}`)).json()) as { stores: Record<string, { status: string }> };
      if (['profile', 'player-events', 'recommendations'].every((k) => s.stores[k].status === 'completed')) break;
      await sleep(5);
    }
    online.push(performance.now() - started);
    requests.push(res.requestId);
  }
  const retentionStarted = performance.now();
  const audit = (await runJobOnce(stack, 'data-retention')) as { erasedRequests: number };
  const retentionMs = performance.now() - retentionStarted;
  const sorted = [...online].sort((a, b) => a - b);
  const gdpr = [
    '| GDPR deletion | value |',
    '| --- | --- |',
    `| deletions, one after another | ${n.deletions} |`,
    `| DELETE → profile, event store and recommendations done: p50 / p99 / max | ${pct(sorted, 50).toFixed(0)} / ${pct(sorted, 99).toFixed(0)} / ${sorted.at(-1)?.toFixed(0)} ms |`,
    `| one data-retention run erasing all ${audit.erasedRequests} from the archive (process start included) | ${retentionMs.toFixed(0)} ms |`,
  ];
  // I: idle clients.
  log(`I: idle Kafka clients, ${IDLE_SECONDS} s each`);
  const plain = await idleClientCpu('kafkajs', stack.broker.clientConfig());
  const lib = await idleClientCpu(join(REPO, 'apps', 'lib', 'kafkajs.ts'), stack.broker.clientConfig());
  const idle = [
    '| idle Kafka client (producer + admin connected, nothing sent) | CPU ms per second |',
    '| --- | --- |',
    `| kafkajs 2.2.4 as published (pending-request check re-armed every 1 ms per connection) | ${plain.toFixed(1)} |`,
    `| through apps/lib/kafkajs.ts (check armed only while requests wait) | ${lib.toFixed(1)} |`,
    `\nplain / lib: ${(plain / Math.max(0.01, lib)).toFixed(1)}×`,
  ];
  process.stdout.write(`\n${reads.join('\n')}\n\n${gdpr.join('\n')}\n\n${idle.join('\n')}\n\nmachine: ${cpus().length} × ${cpus()[0]?.model}, load at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
} finally {
  redis.disconnect();
  await Promise.allSettled(running.map((s) => s.process.stop(10_000)));
  await stack.stop();
  await minio.stop();
}
