/**
 * `npm run bench:ingest [-- --batch-requests N --single-seconds S --connections C --service-node-options=--cpu-prof]`
 *
 * Drives event-ingestion with autocannon over loopback against the real broker, with the event
 * path booted exactly as the tests boot it (apps/test/stack.ts: rendered/dev config, local Kafka,
 * PostgreSQL and Redis, each service its own process):
 *   1. batch: N requests of 500 unique events to POST /v1/events/batch → accepted events/s;
 *   2. end to end: those events through event-processor to player.events.processed → events/s
 *      from the first batch request to the last processed record;
 *   3. single: POST /v1/events for S seconds → req/s, p50, p99.
 * Everything shares this machine's cores (broker, PostgreSQL, services, autocannon, and whatever
 * else runs), so besides wall-clock figures the bench reports CPU seconds per event for each
 * process (from /proc) and the throughput that CPU cost allows on 2 dedicated cores.
 * Prints Markdown tables (copy them into docs/BENCHMARKS.md).
 */
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { makeEvent } from '../../apps/test/client.ts';
import { startService, startStack } from '../../apps/test/stack.ts';
import { cpuMeter, pidListeningOn } from './cpu-accounting.ts';

const { values } = parseArgs({
  options: {
    'batch-requests': { type: 'string', default: '600' },
    'batch-size': { type: 'string', default: '500' },
    'single-seconds': { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    'batch-connections': { type: 'string', default: '8' },
    /** NODE_OPTIONS for the services, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`. */
    'service-node-options': { type: 'string' },
  },
});
const batchRequests = Number(values['batch-requests']);
const batchSize = Number(values['batch-size']);
const singleSeconds = Number(values['single-seconds']);
const connections = Number(values.connections);
const batchConnections = Number(values['batch-connections']);
for (const [k, v] of Object.entries({ batchRequests, batchSize, singleSeconds, connections, batchConnections }))
  if (!Number.isInteger(v) || v < 1) {
    console.error(`--${k} must be a positive integer (got ${v})`);
    process.exit(2);
  }

const log = (msg: string) => process.stderr.write(`[bench:ingest] ${msg}\n`);

function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

log('starting Kafka, PostgreSQL, Redis and the services (rendered/dev config)…');
const stack = await startStack();
try {
  const extra: Record<string, string> = values['service-node-options'] ? { NODE_OPTIONS: values['service-node-options'] } : {};
  const processor = await startService(stack, 'event-processor', extra);
  const ingestion = await startService(stack, 'event-ingestion', extra);
  const headers = { 'content-type': 'application/json', 'x-api-key': stack.apiKey };
  const admin = stack.adminClient().admin();
  await admin.connect();
  const processedTopic = stack.rendered['event-processor'].config.KAFKA_TOPIC_PLAYER_EVENTS_PROCESSED;
  const pids = {
    'event-ingestion': ingestion.process.pid,
    'event-processor': processor.process.pid,
    'kafka broker': pidListeningOn(Number(stack.broker.bootstrap.split(':')[1])),
    postgresql: pidListeningOn(stack.postgres.port),
    redis: pidListeningOn(stack.redis.port),
  };
  const selfCpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  const processedCount = async () => (await admin.fetchTopicOffsets(processedTopic)).reduce((n, p) => n + Number(p.high), 0);

  // Warm-up: JIT, connections, producer ids, consumer group.
  const warm = Array.from({ length: 20 }, () => JSON.stringify({ events: Array.from({ length: 100 }, (_, i) => makeEvent('warmup', `p${i}`, 1)) }));
  await run({ url: `${ingestion.url}/v1/events/batch`, method: 'POST', headers, connections: 4, amount: warm.length, requests: [{ setupRequest: (r) => ({ ...r, body: warm.pop() }) }] });
  const base = 2000;
  while ((await processedCount()) < base) await new Promise((r) => setTimeout(r, 100));

  // 1 + 2: batch endpoint, then wait for the processor to publish every event.
  log(`generating ${batchRequests} batches of ${batchSize} unique events…`);
  const games = Array.from({ length: 20 }, () => `game-${randomUUID().slice(0, 6)}`);
  const bodies = Array.from({ length: batchRequests }, (_, b) =>
    JSON.stringify({ events: Array.from({ length: batchSize }, (_, i) => makeEvent(games[(b + i) % games.length], `player-${(b * 31 + i) % 5000}`, i % 10)) }),
  );
  const bytes = bodies.reduce((n, b) => n + b.length, 0);
  const processedBefore = await processedCount();
  log('batch phase…');
  const batchMeter = cpuMeter(pids);
  const batchSelf = selfCpu();
  const started = performance.now();
  let next = 0;
  const batch = await run({
    url: `${ingestion.url}/v1/events/batch`,
    method: 'POST',
    headers,
    connections: batchConnections,
    amount: batchRequests,
    requests: [{ setupRequest: (r) => ({ ...r, body: bodies[next++ % bodies.length] }) }],
  });
  const batchSeconds = (performance.now() - started) / 1000;
  const accepted = (batch['2xx'] ?? 0) * batchSize;
  const target = processedBefore + accepted;
  let processedAt = performance.now();
  for (;;) {
    const n = await processedCount();
    if (n >= target) {
      processedAt = performance.now();
      break;
    }
    if (performance.now() - started > 300_000) throw new Error(`end to end: only ${n - processedBefore}/${accepted} processed after 300 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const e2eSeconds = (processedAt - started) / 1000;
  const batchCpu = { ...batchMeter.delta(), 'autocannon (bench process)': selfCpu() - batchSelf };

  // 3: single events.
  log('single-event phase…');
  const singles = Array.from({ length: 20000 }, (_, i) => JSON.stringify(makeEvent(games[i % games.length], `player-${i % 5000}`, i % 10)));
  let s = 0;
  const singleMeter = cpuMeter(pids);
  const singleSelf = selfCpu();
  const single = await run({
    url: `${ingestion.url}/v1/events`,
    method: 'POST',
    headers,
    connections,
    duration: singleSeconds,
    requests: [{ setupRequest: (r) => ({ ...r, body: singles[s++ % singles.length] }) }],
  });
  const singleCpu = { ...singleMeter.delta(), 'autocannon (bench process)': selfCpu() - singleSelf };
  const singleRequests = single.requests.total;
  await admin.disconnect();

  const rows = [
    ['batch: accepted events/s', `${Math.round(accepted / batchSeconds).toLocaleString('en')}`, '≥ 50,000', `${batchRequests} × ${batchSize} events (${(bytes / batchRequests / 1024).toFixed(0)} KiB/request), ${batchConnections} connections, non-2xx ${batch.non2xx}, p50 ${batch.latency.p50} ms, p99 ${batch.latency.p99} ms`],
    ['single: req/s', `${Math.round(single.requests.average).toLocaleString('en')}`, '≥ 5,000', `${connections} connections, ${singleSeconds} s, non-2xx ${single.non2xx}`],
    ['single: p50 / p99 latency', `${single.latency.p50} ms / ${single.latency.p99} ms`, 'p99 < 50 ms', ''],
    ['end to end to player.events.processed: events/s', `${Math.round(accepted / e2eSeconds).toLocaleString('en')}`, '≥ 20,000', `${accepted.toLocaleString('en')} events, first request to last processed record ${e2eSeconds.toFixed(1)} s`],
  ];
  const table = ['| measure | result | target | notes |', '| --- | --- | --- | --- |', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  // CPU cost per event (batch + end to end) and per single-event request, by process.
  const names = Object.keys(batchCpu);
  const perUnit = (cpu: Record<string, number>, units: number) => names.map((n) => (cpu[n] / units) * 1e6);
  const batchUs = perUnit(batchCpu, accepted);
  const singleUs = perUnit(singleCpu, singleRequests);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const pathOnly = (xs: number[]) => sum(xs.slice(0, -1)); // without the load generator
  const cpuTable = [
    '| process | CPU µs per event (batch → processed) | CPU µs per single-event request (ingest only) |',
    '| --- | --- | --- |',
    ...names.map((n, i) => `| ${n} | ${batchUs[i].toFixed(1)} | ${singleUs[i].toFixed(1)} |`),
    `| **event path (without autocannon)** | **${pathOnly(batchUs).toFixed(1)}** | **${pathOnly(singleUs).toFixed(1)}** |`,
    `| capacity on 2 dedicated cores | ${Math.round(2e6 / pathOnly(batchUs)).toLocaleString('en')} events/s end to end | ${Math.round(2e6 / pathOnly(singleUs)).toLocaleString('en')} req/s |`,
  ].join('\n');
  console.log(`${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.versions.node}\n\n${table}\n\n${cpuTable}`);
  await Promise.allSettled([processor.process.stop(10_000), ingestion.process.stop(10_000)]);
} finally {
  await stack.stop();
}
