/**
 * `npm run bench:ingest [-- --batch-requests N --single-seconds S --connections C --phases A,D,B,C
 *   --broker-jvm test|production --ingestion-processes N --processor-processes N --service-node-options=--cpu-prof]`
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
 * `--broker-jvm production` starts the broker with Kafka's own JVM flags (full JIT, G1) instead of
 * the tests' fast-start flags. `--ingestion-processes` / `--processor-processes` run several
 * replicas (horizontal scaling, as the HPA does; dev has 2 partitions): report such figures next
 * to the single-process ones, labelled.
 * Prints Markdown tables (copy them into docs/BENCHMARKS.md).
 */
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { makeEvent } from '../../apps/test/client.ts';
import { startService, startStack } from '../../apps/test/stack.ts';
import { cpuMeter, pidListeningOn } from './cpu-accounting.ts';
import { exitUsage, parseCommand } from '../cli/command.ts';

const spec = {
  name: 'bench:ingest',
  usage: `Usage: npm run bench:ingest [-- options]

Drives event-ingestion with autocannon against the real broker, PostgreSQL and Redis (the event path as
the tests boot it) and prints Markdown tables of throughput, latency and CPU cost per event.
  --phases A,D,B,C                 A batch ingest, D single-event ingest, B drain, C end to end (default all)
  --batch-requests N               batches for A and C (default 600)
  --batch-size N                   events per batch (default 500)
  --warmup-batches N               end-to-end batches before measuring (default 100)
  --single-seconds S               duration of D (default 10)
  --connections C                  autocannon connections for D (default 64)
  --batch-connections C            autocannon connections for A and C (default 8)
  --ingestion-processes N          event-ingestion processes (default 1)
  --processor-processes N          event-processor processes, one consumer group (default 1)
  --broker-jvm test|production     the tests' fast-start JVM flags, or Kafka's own (default test)
  --service-node-options=<flags>   NODE_OPTIONS for the services, e.g. --cpu-prof
  -h, --help                       show this help`,
  options: {
    'batch-requests': { type: 'string', default: '600' },
    'batch-size': { type: 'string', default: '500' },
    /** Batches sent end to end before measuring (JIT warm-up of services and broker). */
    'warmup-batches': { type: 'string', default: '100' },
    'single-seconds': { type: 'string', default: '10' },
    connections: { type: 'string', default: '64' },
    'batch-connections': { type: 'string', default: '8' },
    /** Which phases to run (comma-separated subset of A,D,B,C; B needs A or D). Profiling one phase needs only it. */
    phases: { type: 'string', default: 'A,D,B,C' },
    /** event-ingestion processes behind the load (autocannon spreads its connections over them). */
    'ingestion-processes': { type: 'string', default: '1' },
    /** event-processor processes, one consumer group (dev has 2 partitions). */
    'processor-processes': { type: 'string', default: '1' },
    /** `test`: the harness's fast-start broker JVM (C1 JIT, serial GC); `production`: full JIT and G1, as Kafka ships. */
    'broker-jvm': { type: 'string', default: 'test' },
    /** NODE_OPTIONS for the services, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`. */
    'service-node-options': { type: 'string' },
  },
} as const;
const { values } = parseCommand(spec);
const batchRequests = Number(values['batch-requests']);
const batchSize = Number(values['batch-size']);
const singleSeconds = Number(values['single-seconds']);
const connections = Number(values.connections);
const batchConnections = Number(values['batch-connections']);
const warmupBatches = Number(values['warmup-batches']);
const ingestionCount = Number(values['ingestion-processes']);
const processorCount = Number(values['processor-processes']);
const brokerJvm = values['broker-jvm'];
if (brokerJvm !== 'test' && brokerJvm !== 'production') {
  exitUsage(spec, `--broker-jvm must be test or production (got ${brokerJvm})`);
}
const counts = { 'batch-requests': batchRequests, 'batch-size': batchSize, 'warmup-batches': warmupBatches, 'single-seconds': singleSeconds, connections, 'batch-connections': batchConnections, 'ingestion-processes': ingestionCount, 'processor-processes': processorCount };
for (const [k, v] of Object.entries(counts))
  if (!Number.isInteger(v) || v < 1) {
    exitUsage(spec, `--${k} must be a positive integer (got ${values[k as keyof typeof counts]})`);
  }

const phases = new Set(values.phases.split(',').map((p) => p.trim().toUpperCase()));
for (const p of phases)
  if (!['A', 'B', 'C', 'D'].includes(p)) {
    exitUsage(spec, `--phases: unknown phase ${p} (choose from A, B, C, D)`);
  }
if (phases.has('B') && !phases.has('A') && !phases.has('D')) {
  exitUsage(spec, '--phases: B drains the backlog of A and D; add A or D');
}

const log = (msg: string) => process.stderr.write(`[bench:ingest] ${msg}\n`);

/**
 * An autocannon run, plus when the last response arrived (autocannon itself finishes on its next
 * 1-second tick, which would round a short run's duration up) and the longest time no response
 * arrived (a stall shows there, not in averages).
 */
function run(opts: autocannon.Options): Promise<autocannon.Result & { lastResponseAt: number; longestGapMs: number }> {
  return new Promise((resolve, reject) => {
    let last = performance.now();
    let longestGapMs = 0;
    const instance = autocannon(opts, (err, result) =>
      err ? reject(err) : resolve({ ...result, lastResponseAt: last, longestGapMs: Math.round(longestGapMs) }),
    );
    instance.on('response', () => {
      const now = performance.now();
      longestGapMs = Math.max(longestGapMs, now - last);
      last = now;
    });
  });
}

log('starting Kafka, PostgreSQL, Redis and the services (rendered/dev config)…');
const stack = await startStack(brokerJvm === 'production' ? { kafka: { jvm: 'production' } } : {});
try {
  const extra: Record<string, string> = values['service-node-options'] ? { NODE_OPTIONS: values['service-node-options'] } : {};
  const startProcessors = () => Promise.all(Array.from({ length: processorCount }, () => startService(stack, 'event-processor', extra)));
  let processors = await startProcessors();
  const ingestions = await Promise.all(Array.from({ length: ingestionCount }, () => startService(stack, 'event-ingestion', extra)));
  const headers = { 'content-type': 'application/json', 'x-api-key': stack.apiKey };
  const admin = stack.adminClient().admin();
  await admin.connect();
  const processedTopic = stack.rendered['event-processor'].config.KAFKA_TOPIC_PLAYER_EVENTS_PROCESSED;
  const servers = {
    'kafka broker': [pidListeningOn(Number(stack.broker.bootstrap.split(':')[1]))],
    postgresql: [pidListeningOn(stack.postgres.port)],
    redis: [pidListeningOn(stack.redis.port)],
  };
  const selfCpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  /** CPU seconds per process (and the bench process itself) while `fn` runs. */
  async function metered<T>(fn: () => Promise<T>): Promise<{ result: T; cpu: Record<string, number> }> {
    const meter = cpuMeter({
      'event-ingestion': ingestions.map((s) => s.process.pid),
      'event-processor': processors.map((s) => s.process.pid),
      ...servers,
    });
    const self = selfCpu();
    const result = await fn();
    return { result, cpu: { ...meter.delta(), 'autocannon (bench process)': selfCpu() - self } };
  }
  const stopProcessors = () => Promise.all(processors.map((p) => p.process.stop(15_000)));
  // Records the processor has finished: its group's committed offsets on player.events.raw (committed
  // with its output, or after it). The processed topic's own offsets would also count transaction markers.
  const rawTopic = stack.rendered['event-processor'].config.KAFKA_TOPIC_PLAYER_EVENTS_RAW;
  const groupId = stack.rendered['event-processor'].config.KAFKA_GROUP_ID;
  const processedCount = async () =>
    (await admin.fetchOffsets({ groupId, topics: [rawTopic] })).flatMap((t) => t.partitions).reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
  async function waitProcessed(target: number, since: number): Promise<number> {
    for (;;) {
      const n = await processedCount();
      if (n >= target) return performance.now();
      if (performance.now() - since > 300_000) throw new Error(`only ${n}/${target} records of ${rawTopic} processed into ${processedTopic} after 300 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const games = Array.from({ length: 20 }, () => `game-${randomUUID().slice(0, 6)}`);
  const makeBodies = () =>
    Array.from({ length: batchRequests }, (_, b) =>
      JSON.stringify({ events: Array.from({ length: batchSize }, (_, i) => makeEvent(games[(b + i) % games.length], `player-${(b * 31 + i) % 5000}`, i % 10)) }),
    );
  /** autocannon spreads the connections over the URLs, one per ingestion process (its types allow only one). */
  const urls = (path: string) => (ingestions.length === 1 ? `${ingestions[0].url}${path}` : (ingestions.map((s) => `${s.url}${path}`) as unknown as string));
  async function postBatches(bodies: string[]): ReturnType<typeof run> {
    let next = 0;
    return run({
      url: urls('/v1/events/batch'),
      method: 'POST',
      headers,
      connections: batchConnections,
      amount: bodies.length,
      requests: [{ setupRequest: (r) => ({ ...r, body: bodies[next++ % bodies.length] }) }],
    });
  }

  // Warm-up through the whole path: JIT (the services' and the broker's), connections, producer ids, consumer group.
  log(`warm-up: ${warmupBatches} batches of ${batchSize} events end to end…`);
  const warm = Array.from({ length: warmupBatches }, () => JSON.stringify({ events: Array.from({ length: batchSize }, (_, i) => makeEvent('warmup', `p${i % 1000}`, 1)) }));
  const processedBeforeWarmUp = await processedCount();
  await postBatches(warm);
  await waitProcessed(processedBeforeWarmUp + warm.length * batchSize, performance.now());

  const fmt = (n: number) => Math.round(n).toLocaleString('en');
  const rows: string[][] = [];
  // [phase label, CPU seconds by process, units]
  const cpuPhases: Array<[string, Record<string, number>, number]> = [];
  const processedBeforeBacklog = await processedCount();
  let backlog = 0;
  if (phases.has('A') || phases.has('D')) await stopProcessors();

  if (phases.has('A')) {
    log(`A: batch endpoint, processor stopped (${batchRequests} × ${batchSize} events)…`);
    const bodies = makeBodies();
    const kib = bodies.reduce((n, b) => n + b.length, 0) / batchRequests / 1024;
    const a0 = performance.now();
    const A = await metered(() => postBatches(bodies));
    const seconds = (A.result.lastResponseAt - a0) / 1000;
    const accepted = (A.result['2xx'] ?? 0) * batchSize;
    backlog += accepted;
    rows.push(['A. batch endpoint, accepted events/s', fmt(accepted / seconds), '≥ 50,000', `${batchRequests} × ${batchSize} events (${kib.toFixed(0)} KiB/request), ${batchConnections} connections, processor stopped; non-2xx ${A.result.non2xx}, p50 ${A.result.latency.p50} ms, p99 ${A.result.latency.p99} ms, longest gap between responses ${A.result.longestGapMs} ms`]);
    cpuPhases.push(['A (per event)', A.cpu, accepted]);
  }

  if (phases.has('D')) {
    log('D: single events, processor stopped…');
    // Unique events (duplicates would be dropped by the processor and spoil B's count).
    const singles = Array.from({ length: Math.max(20000, singleSeconds * 12000) }, (_, i) => JSON.stringify(makeEvent(games[i % games.length], `player-${i % 5000}`, i % 10)));
    let s = 0;
    const D = await metered(() =>
      run({
        url: urls('/v1/events'),
        method: 'POST',
        headers,
        connections,
        duration: singleSeconds,
        requests: [{ setupRequest: (r) => ({ ...r, body: singles[s++ % singles.length] }) }],
      }),
    );
    const single = D.result;
    backlog += Math.min(single['2xx'] ?? 0, singles.length);
    rows.push(
      ['D. single events, req/s', fmt(single.requests.average), '≥ 5,000', `${connections} connections, ${singleSeconds} s, processor stopped; non-2xx ${single.non2xx}, longest gap between responses ${single.longestGapMs} ms`],
      ['D. single events, p50 / p99', `${single.latency.p50} ms / ${single.latency.p99} ms`, 'p99 < 50 ms', ''],
    );
    cpuPhases.push(['D (per request)', D.cpu, single.requests.total]);
  }

  if (phases.has('A') || phases.has('D')) {
    processors = await startProcessors();
    if (phases.has('B')) {
      log('B: processor draining the backlog…');
      const b0 = performance.now();
      const B = await metered(() => waitProcessed(processedBeforeBacklog + backlog, b0));
      rows.push(['B. processor draining a backlog, events/s', fmt(backlog / ((B.result - b0) / 1000)), '', `${fmt(backlog)} events (A and D) stored and published`]);
      cpuPhases.push(['B (per event)', B.cpu, backlog]);
    } else await waitProcessed(processedBeforeBacklog + backlog, performance.now());
  }

  if (phases.has('C')) {
    log('C: end to end…');
    const bodies = makeBodies();
    const processedBefore = await processedCount();
    const c0 = performance.now();
    const C = await metered(async () => {
      const r = await postBatches(bodies);
      const accepted = (r['2xx'] ?? 0) * batchSize;
      return { r, accepted, done: await waitProcessed(processedBefore + accepted, c0) };
    });
    const seconds = (C.result.done - c0) / 1000;
    rows.push(['C. end to end to player.events.processed, events/s', fmt(C.result.accepted / seconds), '≥ 20,000', `${fmt(C.result.accepted)} events, everything running, first request to last processed record ${seconds.toFixed(1)} s; batch p99 ${C.result.r.latency.p99} ms, longest gap between responses ${C.result.r.longestGapMs} ms`]);
    cpuPhases.push(['C (per event)', C.cpu, C.result.accepted]);
  }

  await admin.disconnect();

  const table = ['| measure | result | target | notes |', '| --- | --- | --- | --- |', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  // CPU cost per event (per request for D), by process; capacity if the path had the 2 cores to itself.
  const names = Object.keys(cpuPhases[0][1]);
  const us = cpuPhases.map(([, cpu, units]) => names.map((n) => (cpu[n] / units) * 1e6));
  const pathOnly = (xs: number[]) => xs.slice(0, -1).reduce((a, b) => a + b, 0); // without the load generator
  const cpuTable = [
    `| CPU µs | ${cpuPhases.map((p) => p[0]).join(' | ')} |`,
    `| --- | ${cpuPhases.map(() => '---').join(' | ')} |`,
    ...names.map((n, i) => `| ${n} | ${us.map((u) => u[i].toFixed(1)).join(' | ')} |`),
    `| **event path (without autocannon)** | ${us.map((u) => `**${pathOnly(u).toFixed(1)}**`).join(' | ')} |`,
    `| 2 dedicated cores would allow | ${us.map((u) => fmt(2e6 / pathOnly(u))).join(' | ')} |`,
  ].join('\n');
  const setup = `${ingestionCount} event-ingestion process(es), ${processorCount} event-processor process(es), broker JVM: ${brokerJvm}`;
  console.log(`${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.versions.node}; ${setup}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n\n${table}\n\n${cpuTable}`);
  await Promise.allSettled([...processors, ...ingestions].map((s) => s.process.stop(10_000)));
} finally {
  await stack.stop();
}
