/**
 * `npm run broker`: a real Kafka broker in the foreground, for people.
 *
 *   npm run broker
 *   npm run broker -- --users ingest:ingest-pw,reader:reader-pw
 *   npm run broker -- --log-dir ./broker-logs
 *
 * Prints the bootstrap address, the admin credentials and a kafkajs config snippet; Ctrl-C (or
 * SIGTERM) stops the broker cleanly and deletes its temp dir.
 */
import { exitUsage, parseCommand } from '../cli/command.ts';
import { startKafka, type KafkaBroker, type ScramUser } from './kafka.ts';
import { KAFKA_VERSION } from './kafka-jars.ts';

const spec = {
  name: 'broker',
  usage: `Usage: npm run broker [-- --users name:password,... --log-dir DIR]

A real Kafka broker (KRaft, single node, SASL SCRAM-SHA-512) in the foreground; prints the bootstrap
address, the admin credentials and a kafkajs config. Ctrl-C stops it and deletes its data.
  --users name:password,...   SCRAM users to create (no ACLs)
  --log-dir DIR               keep the broker log in DIR
  -h, --help                  show this help`,
  options: { users: { type: 'string' }, 'log-dir': { type: 'string' } },
} as const;

/** The --users pairs, or the malformed entries. */
function parseUsers(list: string | undefined): ScramUser[] | string {
  if (!list) return [];
  const users: ScramUser[] = [];
  const bad: string[] = [];
  for (const item of list.split(',').filter(Boolean)) {
    const at = item.indexOf(':');
    if (at <= 0 || at === item.length - 1) bad.push(item);
    else users.push({ username: item.slice(0, at), password: item.slice(at + 1) });
  }
  return bad.length > 0 ? `--users: expected name:password pairs separated by commas; not understood: ${bad.map((b) => `'${b}'`).join(', ')}` : users;
}

async function main(): Promise<void> {
  const { values } = parseCommand(spec);
  const users = parseUsers(values.users);
  if (typeof users === 'string') exitUsage(spec, users);

  // Ctrl-C at any moment, even while the broker is still starting, stops it and deletes its data.
  let broker: KafkaBroker | undefined;
  let stopSignal: string | undefined;
  const shutdown = async (): Promise<never> => {
    console.log(`\n${stopSignal}: stopping the broker...`);
    try {
      await broker?.destroy();
      console.log('Broker stopped.');
      process.exit(0);
    } catch (error) {
      console.error(error);
      process.exit(1);
    }
  };
  const onSignal = (signal: string) => {
    if (stopSignal) return;
    stopSignal = signal;
    if (broker) void shutdown(); // else: the start below finishes first, then shuts down
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  console.log(`Starting Apache Kafka ${KAFKA_VERSION} (KRaft, single node)...`);
  const started = Date.now();
  broker = await startKafka({ logDir: values['log-dir'] });
  if (stopSignal) return void (await shutdown());
  if (users.length > 0) await broker.createScramUsers(users);
  if (stopSignal) return void (await shutdown());

  const snippet = {
    clientId: 'my-service',
    brokers: [broker.bootstrap],
    ssl: false,
    sasl: { mechanism: 'scram-sha-512', username: broker.admin.username, password: broker.admin.password },
  };
  const lines = [
    '',
    `Kafka is ready in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
    '',
    `  bootstrap   ${broker.bootstrap}   (SASL_PLAINTEXT, SCRAM-SHA-512)`,
    `  admin       ${broker.admin.username} / ${broker.admin.password}   (super user)`,
    ...users.map((u) => `  user        ${u.username} / ${u.password}   (no ACLs yet)`),
    `  log         ${broker.logFile}`,
    '',
    'kafkajs:',
    "  import kafkajs from 'kafkajs';",
    `  const kafka = new kafkajs.Kafka(${JSON.stringify(snippet, null, 2).replace(/\n/g, '\n  ')});`,
    '',
    'Ctrl-C stops the broker and deletes its data.',
  ];
  console.log(lines.join('\n'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
