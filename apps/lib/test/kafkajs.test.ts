/**
 * The kafkajs replacements (apps/lib/kafkajs.ts) give exactly what kafkajs's own code gives: the
 * same record bytes, the same checksum, the same grouping; a produce request built with them
 * decodes back with kafkajs's own decoder. The end-to-end tests (apps/test) send them to a real
 * broker, which verifies every batch's CRC.
 */
import kafkajs, { fastPaths, groupByPartition, KAFKAJS_VERSION, originals, REPLACED } from '../kafkajs.ts';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { crc32c } from '../crc32c.ts';
import type { RecordInput } from '../kafka-record.ts';

const require = createRequire(import.meta.url);
const kafkajsDir = join(require.resolve('kafkajs'), '..');
const appsDir = join(import.meta.dirname, '../..');

/** Makes kafkajs report another version, as an upgrade would (a load hook on its package.json). */
const OTHER_VERSION_HOOK = `import { registerHooks } from 'node:module';
registerHooks({ load(url, context, next) {
  const result = next(url, context);
  if (!url.endsWith('/node_modules/kafkajs/package.json')) return result;
  return { ...result, source: JSON.stringify({ ...JSON.parse(String(result.source)), version: '2.3.0' }) };
} });`;

/** A process that sets kafkajs up as `setup` says, then creates a service's Kafka client (apps/lib/kafka.ts). */
function createKafkaAfter(setup: string, nodeEnv: string | undefined): { status: number | null; stdout: string; stderr: string } {
  const script = `${setup}
const { createKafka } = await import(${JSON.stringify(join(appsDir, 'lib/kafka.ts'))});
const { default: Fastify } = await import('fastify');
createKafka({ KAFKA_CLIENT_ID: 'c', KAFKA_BROKERS: '127.0.0.1:9', KAFKA_SSL: false, KAFKA_USERNAME: 'u', KAFKA_PASSWORD: 'p' }, Fastify({ logger: true }).log);
console.log('client created');`;
  const env = { ...process.env };
  delete env.NODE_ENV;
  if (nodeEnv !== undefined) env.NODE_ENV = nodeEnv;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env, cwd: join(appsDir, 'lib') });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const logLines = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { level: number; msg: string; kafkajsFastPaths?: string });

/** Record bytes from kafkajs's own encoder and from the replacement (or the error each throws). */
function bothRecords(input: RecordInput): { own: unknown; ours: unknown } {
  const run = (encode: (i: RecordInput) => { buffer: Buffer }) => {
    try {
      return encode({ ...input }).buffer.toString('hex');
    } catch (error) {
      return `throws ${(error as Error).name}`;
    }
  };
  const ours = require(join(kafkajsDir, REPLACED.record));
  return { own: run(originals!.record as never), ours: run(ours) };
}

describe('kafkajs fast paths', () => {
  test(`are in effect when kafkajs ${KAFKAJS_VERSION} is loaded through apps/lib/kafkajs.ts`, () => {
    assert.equal(fastPaths.active, true, fastPaths.reason);
    assert.ok(originals);
    assert.equal(require(join(kafkajsDir, REPLACED.crc32c)), crc32c);
    assert.equal(require(join(kafkajsDir, REPLACED.grouping)), groupByPartition);
    assert.notEqual(require(join(kafkajsDir, REPLACED.record)), originals.record);
    assert.equal(typeof kafkajs.Kafka, 'function');
  });

  test('records: the same bytes as kafkajs for every shape of key, value, headers and delta', () => {
    const keys = [undefined, null, '', 'player-1', 'jöueur-✓', Buffer.from([0, 1, 255])];
    const values = [null, '', '{"eventId":"x","payload":{"emoji":"🎮"}}', 'x'.repeat(300), Buffer.alloc(200, 7)];
    const headerSets = [undefined, {}, { tenant: 'gamemetrics' }, { traceparent: '00-ab-cd-01', tenant: Buffer.from('t') }, { multi: ['a', 'bb', Buffer.from('ccc')] }, { 'clé-✓': 'välue' }];
    const deltas = [0, 1, 63, 64, 127, 128, 8191, 8192, 16383, 16384, 2 ** 21, 2 ** 28, 2 ** 30 - 1];
    let compared = 0;
    for (const key of keys)
      for (const value of values)
        for (const headers of headerSets) {
          const input = { key, value, headers, offsetDelta: 3, timestampDelta: 0 };
          const { own, ours } = bothRecords(input);
          assert.equal(ours, own, JSON.stringify(input));
          compared++;
        }
    for (const offsetDelta of deltas)
      for (const timestampDelta of [...deltas, ...deltas.map((d) => -d)]) {
        const { own, ours } = bothRecords({ key: 'k', value: 'v', headers: { tenant: 't' }, offsetDelta, timestampDelta });
        assert.equal(ours, own, `offsetDelta ${offsetDelta}, timestampDelta ${timestampDelta}`);
        compared++;
      }
    assert.ok(compared > 300);
  });

  test("input outside the fast path is kafkajs's own business: same bytes, or the same error", () => {
    const cases: RecordInput[] = [
      { key: 'k', value: 'v', timestampDelta: 2 ** 40 },
      { key: 'k', value: 'v', timestampDelta: -(2 ** 33) },
      { key: 'k', value: 'v', timestampDelta: 1.5 },
      { key: 'k', value: 'v', offsetDelta: 2 ** 30 },
      { key: 42, value: 'v' },
      { key: 'k', value: { not: 'bytes' } },
      { key: 'k', value: 'v', headers: { empty: null } },
      { key: 'k', value: 'v', headers: { n: 5 } },
    ];
    for (const input of cases) {
      const { own, ours } = bothRecords(input);
      assert.equal(ours, own, JSON.stringify(input));
    }
    assert.match(String(bothRecords({ key: 'k', value: 'v', headers: { empty: null } }).ours), /^throws/, 'kafkajs refuses a null header value');
  });

  test('CRC-32C: the standard check value and the same value as kafkajs on every length', () => {
    assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
    assert.equal(crc32c(Buffer.alloc(0)), 0);
    for (let length = 0; length < 300; length++) {
      const bytes = randomBytes(length);
      assert.equal(crc32c(bytes), originals!.crc32c(bytes), `length ${length}`);
    }
    const large = randomBytes(256 * 1024);
    assert.equal(crc32c(large), originals!.crc32c(large));
    assert.equal(crc32c(large.subarray(5, 70_003)), originals!.crc32c(large.subarray(5, 70_003)), 'an unaligned view');
  });

  test('grouping by partition: the same groups, in message order, as kafkajs', () => {
    const messages = Array.from({ length: 1000 }, (_, i) => ({ key: `p${i % 37}`, value: String(i) }));
    const partitioner = ({ message }: { message: unknown }) => Number((message as { key: string }).key.slice(1)) % 3;
    const args = { topic: 't', partitionMetadata: [{}, {}, {}], messages, partitioner };
    assert.deepEqual(groupByPartition(args), originals!.grouping(args));
    assert.deepEqual(Object.keys(groupByPartition(args)), ['0', '1', '2']);
    assert.deepEqual(groupByPartition({ ...args, partitionMetadata: [] }), originals!.grouping({ ...args, partitionMetadata: [] }));
  });

  test("a produce request built with them decodes back with kafkajs's own decoder", async () => {
    const { RecordBatch } = require(join(kafkajsDir, 'src/protocol/recordBatch/v0/index.js'));
    const Decoder = require(join(kafkajsDir, 'src/protocol/decoder.js'));
    const RecordBatchDecoder = require(join(kafkajsDir, 'src/protocol/recordBatch/v0/decoder.js'));
    const Record = require(join(kafkajsDir, REPLACED.record));
    const messages = Array.from({ length: 50 }, (_, i) => ({ key: `player-${i}`, value: `{"n":${i},"s":"ü"}`, headers: { tenant: 'gamemetrics' } }));
    const records = messages.map((m, i) => Record({ ...m, offsetDelta: i, timestampDelta: i }));
    const batch = await RecordBatch({ records, firstTimestamp: 1_700_000_000_000, maxTimestamp: 1_700_000_000_049, lastOffsetDelta: 49 });
    const decoded = await RecordBatchDecoder(new Decoder(batch.buffer));
    assert.equal(decoded.records.length, 50);
    decoded.records.forEach((r: { key: Buffer; value: Buffer; headers: Record<string, Buffer>; offset: string; timestamp: string }, i: number) => {
      assert.equal(r.key.toString(), messages[i].key);
      assert.equal(r.value.toString(), messages[i].value);
      assert.equal(r.headers.tenant.toString(), 'gamemetrics');
      assert.equal(r.offset, String(i));
      assert.equal(r.timestamp, String(1_700_000_000_000 + i));
    });
  });

  test('are off, with the reason, when kafkajs was loaded first', () => {
    const script = `import 'kafkajs'; const m = await import(${JSON.stringify(join(appsDir, 'lib/kafkajs.ts'))}); console.log(JSON.stringify(m.fastPaths));`;
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
    assert.deepEqual(out, { active: false, reason: 'kafkajs was loaded before apps/lib/kafkajs.ts' });
  });

  test("the request queue arms its pending check only while requests wait: no negative timer, no 1 ms poll", () => {
    // What kafkajs does after each response (fulfillRequest → checkPendingRequests), with nothing pending, then with one request waiting on a throttle.
    const queue = (setup: string) => {
      const script = `${setup}
const warnings = [];
process.on('warning', (w) => warnings.push(w.name + ': ' + w.message.split('\\n')[0]));
const { createRequire } = await import('node:module');
const RequestQueue = createRequire(${JSON.stringify(join(appsDir, 'lib/kafkajs.ts'))})('kafkajs/src/network/requestQueue/index.js');
const q = new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 1000, clientId: 'c', broker: 'b', logger: { debug() {} } });
let checks = 0;
const check = q.checkPendingRequests;
q.checkPendingRequests = function () { checks++; return check.call(this); };
q.checkPendingRequests();
await new Promise((r) => setTimeout(r, 100));
const idle = { armed: q.throttleCheckTimeoutId !== null, checks };
q.throttledUntil = Date.now() + 60_000;
q.pending.push({});
q.scheduleCheckPendingRequests();
const waiting = { armed: q.throttleCheckTimeoutId !== null, delay: q.throttleCheckTimeoutId?._idleTimeout };
q.destroy();
await new Promise((r) => setImmediate(r));
console.log(JSON.stringify({ warnings, idle, waiting }));`;
      return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: join(appsDir, 'lib'), stdio: ['ignore', 'pipe', 'pipe'] }));
    };
    const lib = `await import(${JSON.stringify(join(appsDir, 'lib/kafkajs.ts'))});`;
    // kafkajs's own: a timer at minus the epoch time (Node's warning), then re-armed after each empty check.
    const own = queue("import 'kafkajs';");
    assert.match(own.warnings[0] ?? '', /^TimeoutNegativeWarning: -\d+ is a negative number/);
    assert.equal(own.idle.armed, true);
    assert.ok(own.idle.checks > 1, `re-armed with nothing pending: ${own.idle.checks} checks`);
    // Through apps/lib/kafkajs.ts, also when kafkajs was loaded before it.
    for (const r of [queue(lib), queue(`import 'kafkajs'; ${lib}`)]) {
      assert.deepEqual(r.warnings, []);
      assert.deepEqual(r.idle, { armed: false, checks: 1 }, 'nothing pending: no timer, the check ran once');
      assert.equal(r.waiting.armed, true);
      assert.ok(r.waiting.delay > 59_000 && r.waiting.delay <= 60_000, `armed for the throttle's end: ${r.waiting.delay} ms`);
    }
  });

  test('no service code loads kafkajs except through apps/lib/kafkajs.ts', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (name === 'node_modules') continue;
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts') && !path.endsWith('lib/kafkajs.ts')) {
          const runtime = readFileSync(path, 'utf8').split('\n').filter((line) => /from 'kafkajs'|require\('kafkajs'\)|import\('kafkajs'\)/.test(line) && !/^import type /.test(line));
          if (runtime.length > 0 && !path.endsWith('test/kafkajs.test.ts')) offenders.push(path);
        }
      }
    };
    walk(appsDir);
    assert.deepEqual(offenders, []);
  });

  test('with NODE_ENV=production a service refuses to start without them: exit 1 and one line saying why', () => {
    for (const [setup, reason] of [
      [OTHER_VERSION_HOOK, `kafkajs 2.3.0 is not ${KAFKAJS_VERSION}, which the replacements were written for`],
      ["import 'kafkajs';", 'kafkajs was loaded before apps/lib/kafkajs.ts'],
    ]) {
      const r = createKafkaAfter(setup, 'production');
      assert.equal(r.status, 1, r.stderr);
      assert.deepEqual(r.stderr.trimEnd().split('\n'), [
        `kafkajs fast paths not in effect (${reason}); NODE_ENV=production refuses to run kafkajs unpatched: install the locked kafkajs ${KAFKAJS_VERSION} (npm ci) and load kafkajs only through apps/lib/kafkajs.ts`,
      ]);
      assert.doesNotMatch(r.stdout, /client created/);
    }
  });

  test('outside production the service starts without them, with a warning; in production with them, it starts', () => {
    const dev = createKafkaAfter(OTHER_VERSION_HOOK, undefined);
    assert.equal(dev.status, 0, dev.stderr);
    assert.match(dev.stdout, /client created/);
    const warning = logLines(dev.stdout).find((l) => l.msg.startsWith('kafkajs fast paths not in effect'));
    assert.equal(warning?.level, 40, dev.stdout);
    assert.equal(warning?.kafkajsFastPaths, `kafkajs 2.3.0 is not ${KAFKAJS_VERSION}, which the replacements were written for`);

    const prod = createKafkaAfter('', 'production');
    assert.equal(prod.status, 0, prod.stderr);
    assert.equal(prod.stderr, '');
    assert.equal(logLines(prod.stdout).find((l) => l.msg === 'kafkajs fast paths in effect')?.level, 30, prod.stdout);
  });
});
