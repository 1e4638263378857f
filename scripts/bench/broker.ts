/**
 * `npm run bench:broker [-- --runs N --users N --record]`: how long the test servers take.
 *
 * Per run: a fresh Kafka broker (format + start until a kafkajs admin is served), a batch of
 * SCRAM users, a stop, a restart on the same storage, and destroy; then PostgreSQL and Redis
 * start/stop. Prints a Markdown section; `--record` appends it to docs/BENCHMARKS.md.
 * Jars must be cached already (scripts/harness/setup.sh), or the first run includes the fetch.
 */
import { appendFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { KAFKA_VERSION } from '../harness/kafka-jars.ts';
import { startKafka } from '../harness/kafka.ts';
import { startPostgres } from '../harness/postgres.ts';
import { startRedis } from '../harness/redis.ts';
import { exitUsage, parseCommand } from '../cli/command.ts';

const spec = {
  name: 'bench:broker',
  usage: `Usage: npm run bench:broker [-- --runs N --users N --record]

How long the test servers take: Kafka format + start, SCRAM users, stop, restart, destroy; PostgreSQL
and Redis start/stop. Prints a Markdown section.
  --runs N     runs (default 3)
  --users N    SCRAM users created per run (default 50)
  --record     append the section to docs/BENCHMARKS.md
  -h, --help   show this help`,
  options: {
    runs: { type: 'string', default: '3' },
    users: { type: 'string', default: '50' },
    record: { type: 'boolean', default: false },
  },
} as const;
const { values } = parseCommand(spec);
const runs = Number(values.runs);
const userCount = Number(values.users);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(userCount) || userCount < 1) {
  exitUsage(spec, `--runs and --users must be positive integers (got runs=${values.runs}, users=${values.users})`);
}

const loadBefore = loadavg()[0];
const samples = new Map<string, number[]>();
async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await fn();
  const list = samples.get(label) ?? [];
  list.push(performance.now() - started);
  samples.set(label, list);
  return result;
}

for (let run = 1; run <= runs; run++) {
  process.stderr.write(`run ${run}/${runs}\n`);
  const broker = await timed('Kafka: format + start until ready', () => startKafka());
  const users = Array.from({ length: userCount }, (_, i) => ({ username: `bench-user-${i}`, password: `pw-${i}` }));
  await timed(`Kafka: createScramUsers (${userCount} users)`, () => broker.createScramUsers(users));
  await timed('Kafka: stop (SIGTERM, controlled shutdown)', () => broker.stop());
  await timed('Kafka: restart on same storage until ready', () => broker.restart());
  await timed('Kafka: destroy (stop + delete)', () => broker.destroy());
  const db = await timed('PostgreSQL: initdb + start + create role/db', () => startPostgres());
  await timed('PostgreSQL: restart', () => db.restart());
  await timed('PostgreSQL: stop (+ delete)', () => db.stop());
  const redis = await timed('Redis: start', () => startRedis());
  await timed('Redis: stop (+ delete)', () => redis.stop());
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const median = (list: number[]) => {
  const sorted = [...list].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const rows = [...samples].map(
  ([label, list]) => `| ${label} | ${seconds(median(list))} | ${seconds(Math.min(...list))} | ${seconds(Math.max(...list))} |`,
);
const date = new Date().toISOString().slice(0, 10);
const section = [
  '',
  `## Test servers (scripts/harness) — ${date}`,
  '',
  `\`npm run bench:broker -- --runs ${runs} --users ${userCount}\` on the 2-core "polyglot" machine (${cpus().length} cores seen), ` +
    `Apache Kafka ${KAFKA_VERSION} on JDK 17 (jars and CDS archive cached), PostgreSQL 15, Redis (Debian). Seconds over ${runs} runs; ` +
    `1-minute load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after (other work shares the 2 cores).`,
  '',
  '| step | median s | min s | max s |',
  '| --- | ---: | ---: | ---: |',
  ...rows,
  '',
].join('\n');
console.log(section);
if (values.record) {
  await appendFile(new URL('../../docs/BENCHMARKS.md', import.meta.url), section);
  console.error('appended to docs/BENCHMARKS.md');
}
