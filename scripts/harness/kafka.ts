/**
 * A real single-node Apache Kafka broker (KRaft, broker+controller in one JVM) for tests.
 *
 * ```ts
 * import { startKafka } from './kafka.ts';
 * import kafkajs from 'kafkajs';
 *
 * const broker = await startKafka();             // jars from the cache (setup.sh pre-fetches them)
 * after(() => broker.destroy());
 * await broker.createScramUsers([{ username: 'ingest', password: 'ingest-pw' }]);
 * const admin = new kafkajs.Kafka(broker.clientConfig()).admin();         // the super user
 * const client = new kafkajs.Kafka(broker.clientConfig({ username: 'ingest', password: 'ingest-pw' }, 'ingest'));
 * ```
 *
 * API
 * - `startKafka({ logDir? })` formats fresh KRaft storage in a temp dir and starts the broker on
 *   free ports of 127.0.0.1. Resolves once a kafkajs admin (as the admin user) can describe the
 *   cluster; on timeout the error carries the tail of the broker log.
 * - `bootstrap`          '127.0.0.1:<port>': SASL_PLAINTEXT, mechanism SCRAM-SHA-512.
 * - `admin`              the super user's credentials (created at format time).
 * - `clientConfig(user?, clientId?)` a kafkajs `KafkaConfig` for `new Kafka(...)`, as the admin
 *                        when `user` is omitted. kafkajs log level ERROR.
 * - `createScramUser(u, p)` / `createScramUsers([{ username, password }])` SCRAM-SHA-512
 *                        credentials through the Admin API (AlterUserScramCredentials, via the
 *                        ScramUsers Java helper: one JVM for the whole batch, salting on all
 *                        cores). Resolves once the new users can log in.
 * - `stop()`             SIGTERM (controlled shutdown), waits; storage is kept.
 * - `restart()`          starts again on the same ports with the same storage and waits for it
 *                        (group coordinator loaded included).
 * - `destroy()`          stop and delete the temp dir. Call it in `after()`.
 * - `logFile`            the broker's log (stdout+stderr of the JVM).
 *
 * Broker settings: StandardAuthorizer with no ACLs meaning "deny" (allow.everyone.if.no.acl.found
 * is false), super users User:<admin> and User:ANONYMOUS (the PLAINTEXT controller listener),
 * auto.create.topics.enable=false, replication factor 1 for internal topics, -Xmx512m, and the
 * class-data-sharing archive of kafka-jars.ts (GM_KAFKA_CDS=off disables it).
 * The JVM dies with the test process (exit hook and kernel parent-death signal).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import kafkajs from 'kafkajs';
import type { KafkaConfig } from 'kafkajs';
import { ensureKafkaJars, requireJava, type KafkaJars } from './kafka-jars.ts';
import { freePort, managedServer, runTool, startInTempDir, waitFor } from './process.ts';

const { Kafka, logLevel } = kafkajs;

export interface ScramUser {
  username: string;
  password: string;
}

export interface KafkaBroker {
  /** '127.0.0.1:<port>' (SASL_PLAINTEXT, SCRAM-SHA-512). */
  bootstrap: string;
  /** The super user. */
  admin: ScramUser;
  /** A kafkajs config ready for `new Kafka(...)`; the admin user when `user` is omitted. */
  clientConfig(user?: ScramUser, clientId?: string): KafkaConfig;
  /** Creates (or updates) one SCRAM-SHA-512 user. */
  createScramUser(username: string, password: string): Promise<void>;
  /** Creates (or updates) many SCRAM-SHA-512 users in one go. */
  createScramUsers(users: ScramUser[]): Promise<void>;
  /** Clean shutdown (SIGTERM, wait); storage is kept. */
  stop(): Promise<void>;
  /** Starts again on the same port with the same storage. */
  restart(): Promise<void>;
  /** Stops and deletes the temp dir. */
  destroy(): Promise<void>;
  logFile: string;
}

export interface StartKafkaOptions {
  /** Where the broker log goes (default: the broker's temp dir). */
  logDir?: string;
  /** Readiness timeout in ms (default 90 000). */
  startTimeoutMs?: number;
  /**
   * The broker's JVM flags. `test` (default): serial GC, C1 JIT only, 512 MiB heap: fast start,
   * enough for test traffic. `production`: the flags Kafka's own start scripts use (1 GiB heap, G1,
   * full tiered JIT): for benchmarks that measure throughput.
   */
  jvm?: 'test' | 'production';
}

/** JVM options of tool runs (ScramUsers: its PBKDF2 work wants the full JIT). */
const TOOL_JVM_OPTS = ['-Xmx512m', '-XX:+UseSerialGC', '-Djava.awt.headless=true'];
/** The broker: fewer GC threads on a 2-core machine; C1 only starts faster and serves test traffic. */
const BROKER_JVM_OPTS = [...TOOL_JVM_OPTS, '-Xms128m', '-XX:TieredStopAtLevel=1'];
/** kafka-server-start.sh's KAFKA_HEAP_OPTS and kafka-run-class.sh's KAFKA_JVM_PERFORMANCE_OPTS. */
const PRODUCTION_BROKER_JVM_OPTS = [
  '-Xmx1G', '-Xms1G', '-server', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-XX:InitiatingHeapOccupancyPercent=35',
  '-XX:+ExplicitGCInvokesConcurrent', '-XX:MaxInlineLevel=15', '-Djava.awt.headless=true',
];

/** A Kafka Uuid (cluster id): 16 random bytes, URL-safe base64 without padding, not starting with '-'. */
function clusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function jaas(user: ScramUser): string {
  return `org.apache.kafka.common.security.scram.ScramLoginModule required username="${user.username}" password="${user.password}";`;
}

function properties(entries: Record<string, string | number | boolean>): string {
  return Object.entries(entries)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n') + '\n';
}

interface Layout {
  workDir: string;
  dataDir: string;
  serverProps: string;
  clientProps: string;
  log4jBroker: string;
  log4jTools: string;
}

async function writeConfig(workDir: string, port: number, controllerPort: number, admin: ScramUser): Promise<Layout> {
  const layout: Layout = {
    workDir,
    dataDir: join(workDir, 'data'),
    serverProps: join(workDir, 'server.properties'),
    clientProps: join(workDir, 'admin-client.properties'),
    log4jBroker: join(workDir, 'log4j2-broker.properties'),
    log4jTools: join(workDir, 'log4j2-tools.properties'),
  };
  await mkdir(layout.dataDir, { recursive: true });
  await writeFile(
    layout.serverProps,
    properties({
      'process.roles': 'broker,controller',
      'node.id': 1,
      'controller.quorum.bootstrap.servers': `127.0.0.1:${controllerPort}`,
      listeners: `CLIENT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
      'advertised.listeners': `CLIENT://127.0.0.1:${port}`,
      'listener.security.protocol.map': 'CLIENT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT',
      'controller.listener.names': 'CONTROLLER',
      'inter.broker.listener.name': 'CLIENT',
      'sasl.enabled.mechanisms': 'SCRAM-SHA-512',
      'sasl.mechanism.inter.broker.protocol': 'SCRAM-SHA-512',
      'listener.name.client.scram-sha-512.sasl.jaas.config': jaas(admin),
      'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
      'super.users': `User:${admin.username};User:ANONYMOUS`,
      'allow.everyone.if.no.acl.found': false,
      'auto.create.topics.enable': false,
      'log.dirs': layout.dataDir,
      'num.partitions': 1,
      'default.replication.factor': 1,
      'min.insync.replicas': 1,
      'offsets.topic.replication.factor': 1,
      'offsets.topic.num.partitions': 1,
      'transaction.state.log.replication.factor': 1,
      'transaction.state.log.min.isr': 1,
      'transaction.state.log.num.partitions': 1,
      'share.coordinator.state.topic.replication.factor': 1,
      'share.coordinator.state.topic.min.isr': 1,
      'share.coordinator.state.topic.num.partitions': 1,
      'group.initial.rebalance.delay.ms': 0,
      // Fault tests kill consumers: let them use short sessions so the group moves on quickly.
      'group.min.session.timeout.ms': 1000,
      'num.network.threads': 2,
      'num.io.threads': 2,
      'controlled.shutdown.enable': true,
    }),
  );
  await writeFile(
    layout.clientProps,
    properties({
      'bootstrap.servers': `127.0.0.1:${port}`,
      'security.protocol': 'SASL_PLAINTEXT',
      'sasl.mechanism': 'SCRAM-SHA-512',
      'sasl.jaas.config': jaas(admin),
    }),
  );
  const log4j = (level: string, target: string) =>
    properties({
      'status': 'warn',
      'appender.out.type': 'Console',
      'appender.out.name': 'out',
      'appender.out.target': target,
      'appender.out.layout.type': 'PatternLayout',
      'appender.out.layout.pattern': '[%d] %p %m (%c)%n',
      'rootLogger.level': level,
      'rootLogger.appenderRef.out.ref': 'out',
    });
  await writeFile(layout.log4jBroker, log4j('INFO', 'SYSTEM_OUT'));
  await writeFile(layout.log4jTools, log4j('WARN', 'SYSTEM_ERR'));
  return layout;
}

/** GM_KAFKA_CDS=off turns class-data sharing off (an escape hatch; it only costs start time). */
const cdsEnabled = (): boolean => process.env.GM_KAFKA_CDS !== 'off';

/** `java` arguments for a tool run (ScramUsers): uses the CDS archive when there is one. */
function toolArgs(jars: KafkaJars, log4jFile: string, mainClass: string, args: string[]): string[] {
  const cds = cdsEnabled() && existsSync(jars.cdsArchive) ? [`-XX:SharedArchiveFile=${jars.cdsArchive}`] : [];
  return [...TOOL_JVM_OPTS, ...cds, `-Dlog4j2.configurationFile=${log4jFile}`, '-cp', jars.classpath, mainClass, ...args];
}

/**
 * `java` arguments for the broker: FormatAndStart formats the storage first when given
 * StorageTool arguments (`format`), in the same JVM. Without a CDS archive for this JDK the broker
 * dumps one when it exits (into `dumpFile`, which the caller moves into place: concurrent dumps
 * never clash).
 */
function brokerArgs(jars: KafkaJars, log4jFile: string, serverProps: string, format: string[], dumpFile: string, jvm: 'test' | 'production'): string[] {
  const cds = !cdsEnabled()
    ? []
    : existsSync(jars.cdsArchive)
      ? [`-XX:SharedArchiveFile=${jars.cdsArchive}`]
      : [`-XX:ArchiveClassesAtExit=${dumpFile}`, '-Xlog:cds=off', '-Xlog:cds+dynamic=off'];
  const opts = jvm === 'production' ? PRODUCTION_BROKER_JVM_OPTS : BROKER_JVM_OPTS;
  return [...opts, ...cds, `-Dlog4j2.configurationFile=${log4jFile}`, '-cp', jars.classpath, 'FormatAndStart', serverProps, ...format];
}

/** Moves a freshly dumped CDS archive into the cache (first one wins; later ones are equivalent). */
async function adoptCdsArchive(jars: KafkaJars, dumpFile: string): Promise<void> {
  if (!existsSync(dumpFile)) return;
  if (existsSync(jars.cdsArchive)) await rm(dumpFile, { force: true });
  else await rename(dumpFile, jars.cdsArchive);
}

/** Starts a fresh single-node broker; see the file header. */
export async function startKafka(opts: StartKafkaOptions = {}): Promise<KafkaBroker> {
  requireJava(false); // the toolchain to fill the cache is checked only when it is needed
  const jars = await ensureKafkaJars();
  return await startInTempDir('gm-kafka-', (workDir) => startBroker(jars, workDir, opts));
}

async function startBroker(jars: KafkaJars, workDir: string, opts: StartKafkaOptions): Promise<KafkaBroker> {
  const port = await freePort();
  let controllerPort = await freePort();
  while (controllerPort === port) controllerPort = await freePort();
  const admin: ScramUser = { username: 'admin', password: `admin-${randomBytes(12).toString('hex')}` };
  const layout = await writeConfig(workDir, port, controllerPort, admin);
  const logDir = opts.logDir ?? workDir;
  await mkdir(logDir, { recursive: true });
  const logFile = join(logDir, `kafka-${port}.log`);
  const bootstrap = `127.0.0.1:${port}`;
  const timeoutMs = opts.startTimeoutMs ?? 90_000;

  // The first start formats the storage (with the admin's SCRAM credentials); restarts reuse it.
  let format = [
    'format', '--standalone', '-t', clusterId(), '-c', layout.serverProps,
    '--add-scram', `SCRAM-SHA-512=[name=${admin.username},password=${admin.password}]`,
  ];

  const clientConfig = (user: ScramUser = admin, clientId = 'gm-harness'): KafkaConfig => ({
    clientId,
    brokers: [bootstrap],
    ssl: false,
    sasl: { mechanism: 'scram-sha-512', username: user.username, password: user.password },
    connectionTimeout: 5_000,
    logLevel: logLevel.ERROR,
  });

  /**
   * Resolves once `user` can log in and describe the cluster; with `groups`, also once the group
   * coordinator has loaded its state (after a restart consumers and offset look-ups would
   * otherwise meet GROUP_LOAD_IN_PROGRESS / COORDINATOR_NOT_AVAILABLE, which kafkajs's admin does
   * not retry).
   */
  const canLogIn = async (user: ScramUser, groups = false): Promise<true> => {
    const probe = new Kafka({ ...clientConfig(user, 'gm-harness-probe'), logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
    try {
      await probe.connect();
      const cluster = await probe.describeCluster();
      if (cluster.brokers.length === 0) throw new Error('no broker registered yet');
      if (groups) await probe.fetchOffsets({ groupId: 'gm-harness-ready' });
      return true;
    } finally {
      await probe.disconnect().catch(() => undefined);
    }
  };

  const cdsDump = join(dirname(jars.cdsArchive), `dump-${process.pid}-${port}.jsa`);
  await mkdir(dirname(jars.cdsArchive), { recursive: true });
  const server = managedServer({
    spec: () => {
      const args = brokerArgs(jars, layout.log4jBroker, layout.serverProps, format, cdsDump, opts.jvm ?? 'test');
      format = [];
      return { name: 'kafka', command: 'java', args, logFile, stopSignal: 'SIGTERM' };
    },
    what: `Kafka broker on ${bootstrap} (log: ${logFile})`,
    ready: () => canLogIn(admin, true),
    timeoutMs,
    intervalMs: 250,
    stopTimeoutMs: 30_000,
    // a failed broker's class list is no template; a cleanly stopped one's is
    afterStop: (failedStart) => (failedStart ? rm(cdsDump, { force: true }) : adoptCdsArchive(jars, cdsDump)),
    workDir,
  });

  const createScramUsers = async (users: ScramUser[]): Promise<void> => {
    if (users.length === 0) return;
    const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
    const input = users.map((u) => `${b64(u.username)} ${b64(u.password)}`).join('\n') + '\n';
    await runTool(`Creating SCRAM users on ${bootstrap}`, 'java', toolArgs(jars, layout.log4jTools, 'ScramUsers', [layout.clientProps]), { input });
    // The credential reaches the broker through the metadata log: wait until the last one works.
    const last = users[users.length - 1];
    await waitFor(() => canLogIn(last), { what: `SCRAM login of '${last.username}'`, timeoutMs: 15_000, intervalMs: 100 });
  };

  await server.start();

  return {
    bootstrap,
    admin,
    logFile,
    clientConfig,
    createScramUsers,
    createScramUser: (username, password) => createScramUsers([{ username, password }]),
    stop: server.stop,
    restart: server.restart,
    destroy: server.destroy,
  };
}
