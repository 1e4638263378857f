/**
 * `npm run bench:ingest [-- --batch-requests N --single-seconds S --connections C --service-node-options=--cpu-prof]`
 *
 * Drives event-ingestion with autocannon over loopback against the real broker, with the event
 * path booted exactly as the tests boot it (apps/test/stack.ts: rendered/dev config, local Kafka,
 * PostgreSQL and Redis, each service its own process):
 *   A. batch, ingestion alone (processor stopped): N requests of 500 unique events to
 *      POST /v1/events/batch → accepted events/s;
 *   D. single, ingestion alone: POST /v1/events for S seconds → req/s, p50, p99;
 *   B. drain: the processor started on that backlog → processed events/s;
 *   C. end to end, everything running: another N batches → events/s from the first request to the
 *      last record on player.events.processed.
 * Ingestion is measured with the processor stopped because in the cluster they run on different
 * nodes; here they would share the same two cores.
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
    connections: { type: 'string', default: '64' },
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
  let processor = await startService(stack, 'event-processor', extra);
  const ingestion = await startService(stack, 'event-ingestion', extra);
  const headers = { 'content-type': 'application/json', 'x-api-key': stack.apiKey };
  const admin = stack.adminClient().admin();
  await admin.connect();
  const processedTopic = stack.rendered['event-processor'].config.KAFKA_TOPIC_PLAYER_EVENTS_PROCESSED;
  const servers = {
    'kafka broker': pidListeningOn(Number(stack.broker.bootstrap.split(':')[1])),
    postgresql: pidListeningOn(stack.postgres.port),
    redis: pidListeningOn(stack.redis.port),
  };
  const selfCpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  /** CPU seconds per process (and the bench process itself) while `fn` runs. */
  async function metered<T>(fn: () => Promise<T>): Promise<{ result: T; cpu: Record<string, number> }> {
    const meter = cpuMeter({ 'event-ingestion': ingestion.process.pid, 'event-processor': processor.process.pid, ...servers });
    const self = selfCpu();
    const result = await fn();
    return { result, cpu: { ...meter.delta(), 'autocannon (bench process)': selfCpu() - self } };
  }
  const processedCount = async () => (await admin.fetchTopicOffsets(processedTopic)).reduce((n, p) => n + Number(p.high), 0);
  async function waitProcessed(target: number, since: number): Promise<number> {
    for (;;) {
      const n = await processedCount();
      if (n >= target) return performance.now();
      if (performance.now() - since > 300_000) throw new Error(`only ${n}/${target} records on ${processedTopic} after 300 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const games = Array.from({ length: 20 }, () => `game-${randomUUID().slice(0, 6)}`);
  const makeBodies = () =>
    Array.from({ length: batchRequests }, (_, b) =>
      JSON.stringify({ events: Array.from({ length: batchSize }, (_, i) => makeEvent(games[(b + i) % games.length], `player-${(b * 31 + i) % 5000}`, i % 10)) }),
    );
  async function postBatches(bodies: string[]): Promise<autocannon.Result> {
    let next = 0;
    return run({
      url: `${ingestion.url}/v1/events/batch`,
      method: 'POST',
      headers,
      connections: batchConnections,
      amount: bodies.length,
      requests: [{ setupRequest: (r) => ({ ...r, body: bodies[next++ % bodies.length] }) }],
    });
  }

  // Warm-up: JIT, connections, producer ids, consumer group.
  const warm = Array.from({ length: 20 }, () => JSON.stringify({ events: Array.from({ length: 100 }, (_, i) => makeEvent('warmup', `p${i}`, 1)) }));
  await postBatches(warm);
  await waitProcessed(2000, performance.now());

  // A: the batch endpoint alone.
  log(`generating 2 × ${batchRequests} batches of ${batchSize} unique events…`);
  const bodiesA = makeBodies();
  const bodiesC = makeBodies();
  const kib = bodiesA.reduce((n, b) => n + b.length, 0) / batchRequests / 1024;
  await processor.process.stop(15_000);
  log('A: batch endpoint, processor stopped…');
  const processedBeforeA = await processedCount();
  const a0 = performance.now();
  const A = await metered(() => postBatches(bodiesA));
  const aSeconds = (performance.now() - a0) / 1000;
  const acceptedA = (A.result['2xx'] ?? 0) * batchSize;

  // D: single events.
  log('D: single events, processor stopped…');
  // Unique events (duplicates would be dropped by the processor and spoil B's count).
  const singles = Array.from({ length: Math.max(20000, singleSeconds * 12000) }, (_, i) => JSON.stringify(makeEvent(games[i % games.length], `player-${i % 5000}`, i % 10)));
  let s = 0;
  const D = await metered(() =>
    run({
      url: `${ingestion.url}/v1/events`,
      method: 'POST',
      headers,
      connections,
      duration: singleSeconds,
      requests: [{ setupRequest: (r) => ({ ...r, body: singles[s++ % singles.length] }) }],
    }),
  );
  const single = D.result;
  const acceptedD = Math.min(single['2xx'] ?? 0, singles.length);

  // B: the processor drains that backlog.
  log('B: processor draining the backlog…');
  processor = await startService(stack, 'event-processor', extra);
  const b0 = performance.now();
  const B = await metered(() => waitProcessed(processedBeforeA + acceptedA + acceptedD, b0));
  const bSeconds = (B.result - b0) / 1000;

  // C: end to end with everything running.
  log('C: end to end…');
  const processedBeforeC = await processedCount();
  const c0 = performance.now();
  const C = await metered(async () => {
    const r = await postBatches(bodiesC);
    const accepted = (r['2xx'] ?? 0) * batchSize;
    return { r, accepted, done: await waitProcessed(processedBeforeC + accepted, c0) };
  });
  const cSeconds = (C.result.done - c0) / 1000;
  const acceptedC = C.result.accepted;

  await admin.disconnect();

  const fmt = (n: number) => Math.round(n).toLocaleString('en');
  const rows = [
    ['A. batch endpoint, accepted events/s', fmt(acceptedA / aSeconds), '≥ 50,000', `${batchRequests} × ${batchSize} events (${kib.toFixed(0)} KiB/request), ${batchConnections} connections, processor stopped; non-2xx ${A.result.non2xx}, p50 ${A.result.latency.p50} ms, p99 ${A.result.latency.p99} ms`],
    ['B. processor draining a backlog, events/s', fmt((acceptedA + acceptedD) / bSeconds), '', `${fmt(acceptedA + acceptedD)} events (A and D) stored and published`],
    ['C. end to end to player.events.processed, events/s', fmt(acceptedC / cSeconds), '≥ 20,000', `${fmt(acceptedC)} events, everything running, first request to last processed record ${cSeconds.toFixed(1)} s; batch p99 ${C.result.r.latency.p99} ms`],
    ['D. single events, req/s', fmt(single.requests.average), '≥ 5,000', `${connections} connections, ${singleSeconds} s, processor stopped; non-2xx ${single.non2xx}`],
    ['D. single events, p50 / p99', `${single.latency.p50} ms / ${single.latency.p99} ms`, 'p99 < 50 ms', ''],
  ];
  const table = ['| measure | result | target | notes |', '| --- | --- | --- | --- |', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

  // CPU cost per event (per request for D), by process; capacity if the path had the 2 cores to itself.
  const names = Object.keys(A.cpu);
  const phases: Array<[string, Record<string, number>, number]> = [
    ['A (per event)', A.cpu, acceptedA],
    ['B (per event)', B.cpu, acceptedA + acceptedD],
    ['C (per event)', C.cpu, acceptedC],
    ['D (per request)', D.cpu, single.requests.total],
  ];
  const us = phases.map(([, cpu, units]) => names.map((n) => (cpu[n] / units) * 1e6));
  const pathOnly = (xs: number[]) => xs.slice(0, -1).reduce((a, b) => a + b, 0); // without the load generator
  const cpuTable = [
    `| CPU µs | ${phases.map((p) => p[0]).join(' | ')} |`,
    `| --- | ${phases.map(() => '---').join(' | ')} |`,
    ...names.map((n, i) => `| ${n} | ${us.map((u) => u[i].toFixed(1)).join(' | ')} |`),
    `| **event path (without autocannon)** | ${us.map((u) => `**${pathOnly(u).toFixed(1)}**`).join(' | ')} |`,
    `| 2 dedicated cores would allow | ${us.map((u) => fmt(2e6 / pathOnly(u))).join(' | ')} |`,
  ].join('\n');
  console.log(`${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.versions.node}\n\n${table}\n\n${cpuTable}`);
  await Promise.allSettled([processor.process.stop(10_000), ingestion.process.stop(10_000)]);
} finally {
  await stack.stop();
}
