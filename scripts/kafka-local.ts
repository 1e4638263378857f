/**
 * `npm run kafka:local [-- --env dev]`: a real Kafka broker with the platform's topics and users, for
 * running services locally against the permissions they will have in the cluster.
 *
 * Starts the harness broker (scripts/harness/kafka.ts), renders the environment in memory and applies
 * its rendered KafkaTopics and KafkaUsers (SCRAM credentials, ACLs as Strimzi translates them), then
 * prints each service's connection settings. Ctrl-C stops the broker and deletes its data.
 * The broker has one replica: an environment whose topics need more (staging, prod) is refused.
 */
import kafkajs from 'kafkajs';
import { environmentNames } from '../render/sources.ts';
import { startKafka } from './harness/kafka.ts';
import { applyTopics, applyUsers } from './harness/kafka-apply.ts';
import { renderedKafka } from './harness/kafka-rendered.ts';
import { renderAll } from '../render/render.ts';
import { exitUsage, parseCommand } from './cli/command.ts';

const spec = {
  name: 'kafka:local',
  usage: `Usage: npm run kafka:local [-- --env <environment>]

A real Kafka broker with an environment's rendered topics, users and ACLs; prints each service's
connection settings. Ctrl-C stops it and deletes its data.
  --env <name>   ${environmentNames().join(', ')} (default dev; the broker has one replica)
  -h, --help     show this help`,
  options: { env: { type: 'string', default: 'dev' } },
} as const;
const { values } = parseCommand(spec);
if (!environmentNames().includes(values.env)) exitUsage(spec, `unknown environment "${values.env}"; known: ${environmentNames().join(', ')}`);
const environment = renderAll([values.env]).environments[0];
const rendered = renderedKafka(environment.files);
const tooReplicated = rendered.topics.filter((t) => (t.spec.replicas ?? 1) > 1).map((t) => t.metadata?.name);
if (tooReplicated.length > 0) {
  exitUsage(spec, `${values.env} replicates ${tooReplicated.join(', ')} more than once; a local broker has one replica. Use --env dev.`);
}

console.log(`Starting Kafka with the ${values.env} topics and users...`);
const broker = await startKafka();
let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the broker...`);
  await broker.destroy();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

try {
  const admin = new kafkajs.Kafka(broker.clientConfig()).admin();
  await admin.connect();
  await applyTopics(admin, rendered.topics);
  const users = await applyUsers(broker, admin, rendered.users);
  await admin.disconnect();
  const lines = [
    '',
    `  bootstrap  ${broker.bootstrap}  (SASL_PLAINTEXT, SCRAM-SHA-512; the cluster listener is TLS)`,
    `  admin      ${broker.admin.username} / ${broker.admin.password}`,
    `  topics     ${rendered.topics.map((t) => `${t.spec.topicName ?? t.metadata?.name} (${t.spec.partitions})`).join(', ')}`,
    '',
    'Per service (the rendered ConfigMap gives the rest of its KAFKA_* settings):',
    ...users.map((u) => `  ${u.username.padEnd(24)} KAFKA_BROKERS=${broker.bootstrap} KAFKA_SSL=false KAFKA_USERNAME=${u.username} KAFKA_PASSWORD=${u.password}`),
    '',
    `Log: ${broker.logFile}. Ctrl-C stops the broker and deletes its data.`,
  ];
  console.log(lines.join('\n'));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await broker.destroy();
  process.exit(1);
}
