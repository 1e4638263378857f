/**
 * `npm run bench:kafka [-- --runs N --record]`: how long the Kafka ACL proof takes, phase by phase.
 *
 * Per run, what scripts/harness/kafka-acl-proof.test.ts does: start a fresh broker, render dev in memory,
 * create the rendered topics, SCRAM users and ACLs, then probe the full allowed/denied matrix
 * (produce, consume, topic creation, transactional ids for every user and topic). Prints a Markdown
 * section; `--record` appends it to docs/BENCHMARKS.md. Jars must be cached (scripts/harness/setup.sh).
 */
import { appendFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import kafkajs from 'kafkajs';
import { KAFKA_VERSION } from '../harness/kafka-jars.ts';
import { startKafka } from '../harness/kafka.ts';
import { applyTopics, applyUsers } from '../harness/kafka-apply.ts';
import { accessMatrix, expectedAccess, matrixMismatches } from '../harness/kafka-matrix.ts';
import { renderedKafka, topicNameOf } from '../harness/kafka-rendered.ts';
import { renderAll } from '../../render/render.ts';
import { exitUsage, parseCommand } from '../cli/command.ts';

const spec = {
  name: 'bench:kafka',
  usage: `Usage: npm run bench:kafka [-- --runs N --record]

How long the Kafka ACL proof takes, phase by phase (fresh broker, dev topics, users and ACLs, the
allowed/denied matrix). Prints a Markdown section. Needs the Kafka jars cached (scripts/harness/setup.sh).
  --runs N     runs (default 3)
  --record     append the section to docs/BENCHMARKS.md
  -h, --help   show this help`,
  options: { runs: { type: 'string', default: '3' }, record: { type: 'boolean', default: false } },
} as const;
const { values } = parseCommand(spec);
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) exitUsage(spec, `--runs must be a positive integer (got ${values.runs})`);

const phases: Array<[string, number[]]> = [];
const record = (label: string, ms: number) => {
  const entry = phases.find(([l]) => l === label) ?? (phases.push([label, []]), phases[phases.length - 1]);
  entry[1].push(ms);
};
const time = async <T>(label: string, work: () => Promise<T> | T): Promise<T> => {
  const start = performance.now();
  const result = await work();
  record(label, performance.now() - start);
  return result;
};

let probes = 0;
for (let run = 1; run <= runs; run++) {
  process.stderr.write(`run ${run}/${runs}\n`);
  const total = performance.now();
  const broker = await time('broker: format + start until ready', () => startKafka());
  try {
    const dev = await time('render dev in memory + read KafkaTopics/KafkaUsers', () => renderAll(['dev']).environments[0]);
    const rendered = renderedKafka(dev.files);
    const admin = new kafkajs.Kafka(broker.clientConfig()).admin();
    await admin.connect();
    await time(`apply ${rendered.topics.length} topics (partitions, configs)`, () => applyTopics(admin, rendered.topics));
    const users = await time(`apply ${rendered.users.length} users (SCRAM credentials + ACLs)`, () => applyUsers(broker, admin, rendered.users));
    const topics = rendered.topics.map(topicNameOf);
    const producer = new kafkajs.Kafka(broker.clientConfig()).producer();
    await producer.connect();
    await producer.sendBatch({ topicMessages: topics.map((topic) => ({ topic, messages: [{ value: 'seed' }] })) });
    await producer.disconnect();
    const rows = await time('probe the allowed/denied matrix', () =>
      accessMatrix({ clientConfig: (u, id) => broker.clientConfig(u, id), users, topics, transactions: (u) => [{ id: `${u}.undeclared-tx`, topic: dev.model.services.find((s) => s.name === u)!.kafka!.write[0] }] }));
    const mismatches = matrixMismatches(rows, expectedAccess(dev.model));
    if (mismatches.length > 0) throw new Error(`the matrix does not match the model:\n${mismatches.join('\n')}`);
    probes = rows.reduce((n, r) => n + r.produce.size + r.consume.size + 1 + r.transactions.size, 0);
    await admin.disconnect();
  } finally {
    await time('broker: destroy', () => broker.destroy());
  }
  record('whole proof (start to destroy)', performance.now() - total);
}

const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor((list.length - 1) / 2)];
const s = (ms: number) => (ms / 1000).toFixed(2);
const table = ['| phase | median s | min s | max s |', '| --- | ---: | ---: | ---: |'].concat(
  phases.map(([label, list]) => `| ${label} | ${s(median(list))} | ${s(Math.min(...list))} | ${s(Math.max(...list))} |`),
);
const heading = `## Kafka ACL proof (scripts/harness/kafka-acl-proof.test.ts) — ${new Date().toISOString().slice(0, 10)}`;
const setup = `\`npm run bench:kafka -- --runs ${runs}\` on the 2-core "polyglot" machine (${cpus().length} cores seen), Apache Kafka ${KAFKA_VERSION} on JDK 17, ` +
  `kafkajs 2.2.4; dev render, ${probes} probes per matrix (every user × topic × produce/consume, topic creation, an undeclared transactional id). Seconds over ${runs} runs (median; lower median for even counts).`;
const section = `\n${heading}\n\n${setup}\n\n${table.join('\n')}\n`;
process.stdout.write(section);
if (values.record) await appendFile(new URL('../../docs/BENCHMARKS.md', import.meta.url), section).then(() => console.error('appended to docs/BENCHMARKS.md'));
