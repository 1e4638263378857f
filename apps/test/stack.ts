/**
 * The event path on this machine, configured by the rendered dev environment: real Kafka,
 * PostgreSQL and Redis servers (scripts/harness/), the topics, SCRAM users and ACLs the rendered
 * KafkaTopics/KafkaUsers declare (or, until those are rendered, what the dev model says), the
 * database roles, migrations and grants of the rendered TimescaleDB Cluster and its migration Job
 * (scripts/harness/postgres-schema.ts), and each service started as its own process with the environment
 * its rendered Deployment + ConfigMap give it. Only hosts, ports and TLS flags are pointed at the
 * local servers; Secret references are resolved from credentials made here.
 *
 * Used by the real-server tests and by `npm run bench:ingest`.
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Kafka as KafkaClient } from 'kafkajs';
import kafkajs from '../lib/kafkajs.ts';
import pg from 'pg';
import { parseAllDocuments } from 'yaml';
import { startKafka, type KafkaBroker, type StartKafkaOptions } from '../../scripts/harness/kafka.ts';
import { applyTopics, applyUsers } from '../../scripts/harness/kafka-apply.ts';
import { renderedKafka, type RenderedKafka } from '../../scripts/harness/kafka-rendered.ts';
import { startOtlpReceiver, type OtlpReceiver } from './otlp-receiver.ts';
import { listFiles } from '../../render/tree-writer.ts';
import { runMc, type MinioServer } from '../../scripts/harness/minio.ts';
import { startPostgres, type PostgresServer } from '../../scripts/harness/postgres.ts';
import { provisionDatabase, renderedDatabaseOf, runMigrationJob, type RenderedDatabase } from '../../scripts/harness/postgres-schema.ts';
import { freePort, spawnServer, tailFile, waitFor, type ServerProcess } from '../../scripts/harness/process.ts';
import { startRedis, type RedisServer } from '../../scripts/harness/redis.ts';
import { hashApiKey } from '../lib/api-keys.ts';

const { Kafka, logLevel } = kafkajs;

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const EVENT_PATH = ['event-ingestion', 'event-processor', 'analytics-api'] as const;
export type EventPathService = (typeof EVENT_PATH)[number];
const ENV = 'dev';
/** rendered/dev/tenants/<tenant>/<namespace>/. */
export const tenantDir = (tenant: string, namespace = tenant) => join(REPO, 'rendered', ENV, 'tenants', tenant, namespace);
const TENANT_DIR = tenantDir('gamemetrics');

type Obj = Record<string, any>;

/* ---------------------------------------------------------------------------------------------- */
/* What the rendered manifests say                                                                  */
/* ---------------------------------------------------------------------------------------------- */

export interface RenderedService {
  name: string;
  /** The ConfigMap's data (envFrom). */
  config: Record<string, string>;
  /** Literal `env[].value` entries. */
  env: Record<string, string>;
  /** `env[].valueFrom.secretKeyRef` entries. */
  secretRefs: Array<{ env: string; secret: string; key: string }>;
}

function readYaml(path: string): Obj {
  if (!existsSync(path)) throw new Error(`${path} is missing: run npm run render (the contract test boots the services from it)`);
  return parseAllDocuments(readFileSync(path, 'utf8'))[0].toJS() as Obj;
}

/** The env a service's rendered Deployment (a Rollout for services delivered progressively, a CronJob for cron jobs) gives its container. */
export function renderedService(name: string, tenantDir = TENANT_DIR): RenderedService {
  const cronFile = join(tenantDir, `cronjob-${name}.yaml`);
  // Services delivered progressively run as a Rollout with the same pod template.
  const rolloutFile = join(tenantDir, `rollout-${name}.yaml`);
  const podSpec = existsSync(cronFile)
    ? readYaml(cronFile).spec?.jobTemplate?.spec?.template?.spec
    : readYaml(existsSync(rolloutFile) ? rolloutFile : join(tenantDir, `deployment-${name}.yaml`)).spec?.template?.spec;
  const container = (podSpec?.containers ?? []).find((c: Obj) => c.name === name);
  if (!container) throw new Error(`rendered/${ENV} Deployment ${name} has no container named ${name}`);
  const config: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    if (!from.configMapRef) continue;
    const cm = readYaml(join(tenantDir, `configmap-${from.configMapRef.name}.yaml`));
    Object.assign(config, cm.data ?? {});
  }
  const env: Record<string, string> = {};
  const secretRefs: RenderedService['secretRefs'] = [];
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = String(e.value);
    else if (e.valueFrom?.secretKeyRef) secretRefs.push({ env: e.name, secret: e.valueFrom.secretKeyRef.name, key: e.valueFrom.secretKeyRef.key });
  }
  return { name, config, env, secretRefs };
}

/** Whether the MinIO chart of rendered/dev creates `bucket` versioned (its Application's `buckets` value). */
export function renderedBucketVersioned(bucket: string): boolean {
  const app = readYaml(join(REPO, 'rendered', ENV, 'apps', `application-${ENV}-minio.yaml`));
  const entry = (app.spec?.source?.helm?.valuesObject?.buckets ?? []).find((b: Obj) => b.name === bucket);
  if (!entry) throw new Error(`rendered/${ENV}'s MinIO Application creates no bucket ${bucket}`);
  return entry.versioning === true;
}

/**
 * Creates `bucket` on the server as the MinIO chart's bucket job would from rendered/dev's Application values:
 * `mc mb` (`--with-lock` for `objectlocking`), versioning when asked (a locked bucket has it already), then the
 * `customCommands` that name the bucket (lifecycle rules, default retention), run with the chart's alias
 * `myminio` pointed at this server. Returns the rendered commands it ran.
 */
export async function provisionRenderedBucket(server: MinioServer, bucket: string): Promise<string[]> {
  const values = readYaml(join(REPO, 'rendered', ENV, 'apps', `application-${ENV}-minio.yaml`)).spec?.source?.helm?.valuesObject ?? {};
  const entry = (values.buckets ?? []).find((b: Obj) => b.name === bucket);
  if (!entry) throw new Error(`rendered/${ENV}'s MinIO Application creates no bucket ${bucket}`);
  await runMc(server, ['mb', ...(entry.objectlocking === true ? ['--with-lock'] : []), `local/${bucket}`]);
  if (entry.objectlocking !== true && entry.versioning === true) await runMc(server, ['version', 'enable', `local/${bucket}`]);
  const commands = (values.customCommands ?? []).map((c: Obj) => String(c.command)).filter((c: string) => c.endsWith(`myminio/${bucket}`));
  for (const command of commands) await runMc(server, command.split(' ').map((arg: string) => arg.replace(/^myminio\//, 'local/')));
  return commands;
}

/** The rendered KafkaTopics and the event path's KafkaUsers in rendered/dev, as Strimzi would apply them. */
export function kafkaPlan(services: readonly string[]): RenderedKafka {
  const dir = join(REPO, 'rendered', ENV);
  const { topics, users } = renderedKafka(new Map(listFiles(dir).map((path) => [path, readFileSync(join(dir, path), 'utf8')])));
  return { topics, users: users.filter((u) => services.includes(u.metadata?.name ?? '')) };
}

/* ---------------------------------------------------------------------------------------------- */
/* The local servers, provisioned                                                                   */
/* ---------------------------------------------------------------------------------------------- */

export interface Stack {
  broker: KafkaBroker;
  postgres: PostgresServer;
  redis: RedisServer;
  /** The rendered KafkaTopics and KafkaUsers provisioned on the broker. */
  plan: RenderedKafka;
  rendered: Record<EventPathService, RenderedService> & Record<string, RenderedService>;
  /** Secret values by `<secret>/<key>`, as External Secrets / Strimzi would provide them. */
  secrets: Map<string, string>;
  /** The API key (raw) that API_KEYS accepts (event-ingestion's and analytics-api's), and its tenant. */
  apiKey: string;
  apiKeyTenant: string;
  /** The operator and raw token that admin-dashboard's OPERATOR_TOKENS accepts. */
  operator: { name: string; token: string };
  /** A kafkajs client as the broker's super user. */
  adminClient(): KafkaClient;
  /** The rendered TimescaleDB database as provisioned here (name, owner, schema). */
  database: RenderedDatabase;
  /** A pg client config for that database as the superuser, its schema on the search path. */
  databaseAdmin(): pg.ClientConfig;
  logDir: string;
  /** StackOptions.objectStore, as given. */
  objectStore?: StackOptions['objectStore'];
  /** With `traces`: where the services' OTEL_EXPORTER_OTLP_ENDPOINT points, an OTLP/HTTP receiver in this process. */
  otlp: OtlpReceiver | null;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Broker options beyond the log dir (the bench passes `jvm: 'production'`; tests pass nothing). */
  kafka?: Omit<StartKafkaOptions, 'logDir'>;
  /** Services beyond the event path to provision (their KafkaUsers, roles and Secrets), e.g. user-service. */
  services?: string[];
  /** Object storage the `S3_*` variables point at (scripts/harness/minio.ts). */
  objectStore?: { endpoint: string; accessKey: string; secretKey: string };
  /**
   * Receive the services' traces: the rendered OTEL_EXPORTER_OTLP_ENDPOINT (the collector) is repointed to an
   * OTLP/HTTP receiver in this process. Without it the variable is left out and tracing is off, as where no
   * collector runs (the fault tests and the ingest bench measure the services without exporting spans).
   */
  traces?: boolean;
  /** Values of Secret-fed variables the stack does not make itself (`NOTIFY_WEBHOOKS`), by variable. */
  secrets?: Record<string, string>;
}

/** Start Kafka, PostgreSQL and Redis and provision them for the event path as rendered. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const names = [...EVENT_PATH, ...(options.services ?? [])];
  const rendered = Object.fromEntries(names.map((s) => [s, renderedService(s)])) as Stack['rendered'];
  const databases = new Set(names.map((s) => rendered[s].config.PGDATABASE).filter(Boolean));
  if (databases.size > 1) throw new Error(`the event path's services disagree on PGDATABASE: ${[...databases].join(', ')}`);
  const plan = kafkaPlan(names);
  const logDir = await mkdtemp(join(tmpdir(), 'gm-event-path-'));
  const redisPassword = randomBytes(12).toString('hex');
  const [broker, postgres, redis, otlp] = await Promise.all([
    startKafka({ ...options.kafka, logDir }),
    startPostgres({ logDir }),
    startRedis({ password: redisPassword, logDir }),
    options.traces ? startOtlpReceiver() : null,
  ]);
  const adminClient = () => new Kafka({ ...broker.clientConfig(), logLevel: logLevel.NOTHING });
  const secrets = new Map<string, string>();
  const apiKey = `gm_${randomBytes(24).toString('hex')}`;
  const apiKeyTenant = 'studio-test';
  const operator = { name: 'operator-test', token: `op_${randomBytes(24).toString('hex')}` };
  let database: RenderedDatabase;
  try {
    // Kafka: topics, SCRAM users (the KafkaUser Secrets) and ACLs, translated as Strimzi does (scripts/harness/kafka-apply.ts).
    const admin = adminClient().admin();
    await admin.connect();
    let kafkaPasswords: Map<string, string>;
    try {
      await applyTopics(admin, plan.topics);
      kafkaPasswords = new Map((await applyUsers(broker, admin, plan.users)).map((u) => [u.username, u.password]));
    } finally {
      await admin.disconnect();
    }

    // PostgreSQL as the cluster gets it: the rendered Cluster's owner and managed roles, then the
    // rendered migration Job (migrations and grants from its ConfigMap).
    database = renderedDatabaseOf(ENV, 'timescaledb');
    if (databases.size > 0 && !databases.has(database.database)) throw new Error(`the event path's PGDATABASE (${[...databases].join(', ')}) is not the rendered Cluster's database ${database.database}`);
    const pgPasswords = await provisionDatabase(postgres, database);
    await runMigrationJob(postgres, database, pgPasswords.get(database.owner)!);

    // The Secrets each Deployment references, by the variable they feed.
    for (const s of names)
      for (const ref of rendered[s].secretRefs) {
        let value: string | undefined;
        if (ref.env === 'KAFKA_PASSWORD') value = kafkaPasswords.get(ref.secret);
        else if (ref.env === 'PGPASSWORD') value = pgPasswords.get(rendered[s].config.PGUSER);
        else if (ref.env === 'REDIS_PASSWORD') value = redisPassword;
        // The test Redis has the default user only; the rendered per-service ACL users are proven in scripts/harness/redis-acl-proof.test.ts.
        else if (ref.env === 'REDIS_USERNAME') value = 'default';
        else if (ref.env === 'API_KEYS') value = `${apiKeyTenant}:${hashApiKey(apiKey)}`;
        else if (ref.env === 'OPERATOR_TOKENS') value = `${operator.name}:${hashApiKey(operator.token)}`;
        // admin-dashboard reads analytics-api with the key the stack's API_KEYS accept.
        else if (ref.env === 'ANALYTICS_API_KEY') value = apiKey;
        else if (ref.env === 'S3_ACCESS_KEY_ID') value = options.objectStore?.accessKey;
        else if (ref.env === 'S3_SECRET_ACCESS_KEY') value = options.objectStore?.secretKey;
        // No Qdrant server here: a key for the variable, never used unless SIMILARITY_BACKEND=qdrant.
        else if (ref.env === 'QDRANT_API_KEY') value = randomBytes(12).toString('hex');
        else value = options.secrets?.[ref.env];
        if (value === undefined)
          throw new Error(`${s}: rendered Deployment takes ${ref.env} from Secret ${ref.secret}/${ref.key}, which nothing provisions (no KafkaUser, database role or known secret)`);
        secrets.set(`${ref.secret}/${ref.key}`, value);
      }
  } catch (e) {
    await Promise.allSettled([broker.destroy(), postgres.stop(), redis.stop(), otlp?.stop()]);
    throw e;
  }
  return {
    broker,
    postgres,
    redis,
    plan,
    rendered,
    secrets,
    apiKey,
    apiKeyTenant,
    operator,
    adminClient,
    database: database!,
    databaseAdmin: () => ({ connectionString: postgres.superuser.connectionString.replace(/\/[^/]*$/, `/${database.database}`), options: `-c search_path=${database.schema}` }),
    logDir,
    objectStore: options.objectStore,
    otlp,
    stop: async () => {
      await Promise.allSettled([broker.destroy(), postgres.stop(), redis.stop(), otlp?.stop()]);
    },
  };
}

/**
 * The environment a service gets in the cluster, with only hosts, ports and TLS flags pointed at
 * the local servers. `extra` adds optional tunables (the bench uses it; the contract test does not).
 */
export function serviceEnv(stack: Stack, name: string, port: number, extra: Record<string, string> = {}): Record<string, string> {
  const r = stack.rendered[name];
  const env: Record<string, string> = { ...r.config, ...r.env };
  for (const ref of r.secretRefs) env[ref.env] = stack.secrets.get(`${ref.secret}/${ref.key}`) as string;
  const local: Record<string, string | undefined> = {
    PORT: String(port),
    KAFKA_BROKERS: stack.broker.bootstrap,
    KAFKA_SSL: 'false',
    PGHOST: stack.postgres.host,
    PGPORT: String(stack.postgres.port),
    PGSSLMODE: 'disable',
    REDIS_URL: env.REDIS_URL?.replace(/^redis:\/\/[^/]+/, `redis://${stack.redis.host}:${stack.redis.port}`),
    S3_ENDPOINT: stack.objectStore?.endpoint,
    // The collector's OTLP/HTTP receiver, stood in for by the stack's own (see StackOptions.traces).
    OTEL_EXPORTER_OTLP_ENDPOINT: stack.otlp?.url,
  };
  // Only what the rendered config sets is repointed: nothing is added behind its back.
  for (const [k, v] of Object.entries(local)) if (k in env && v !== undefined) env[k] = v;
  if (!stack.otlp) delete env.OTEL_EXPORTER_OTLP_ENDPOINT;
  // The mounted credential Secret: a file holding the same password, where the pool reads it on each connection.
  if ('REDIS_PASSWORD_FILE' in env) {
    env.REDIS_PASSWORD_FILE = join(stack.logDir, `${name}.redispassword`);
    writeFileSync(env.REDIS_PASSWORD_FILE, env.REDIS_PASSWORD, { mode: 0o600 });
  }
  if ('PGPASSWORD_FILE' in env) {
    env.PGPASSWORD_FILE = join(stack.logDir, `${name}.pgpassword`);
    writeFileSync(env.PGPASSWORD_FILE, env.PGPASSWORD, { mode: 0o600 });
  }
  if ('S3_SECRET_ACCESS_KEY_FILE' in env) {
    env.S3_SECRET_ACCESS_KEY_FILE = join(stack.logDir, `${name}.s3secretkey`);
    writeFileSync(env.S3_SECRET_ACCESS_KEY_FILE, env.S3_SECRET_ACCESS_KEY, { mode: 0o600 });
  }
  return { ...env, HOST: '127.0.0.1', ...extra };
}

/** One run of a cron job's container (data-retention) with its rendered environment, to the end; its last (audit) log line, parsed. */
export async function runJobOnce(stack: Stack, name: string): Promise<Record<string, any>> {
  const { stdout } = await promisify(execFile)(process.execPath, [...IMAGE_NODE_OPTIONS, join(REPO, 'apps', name, 'src', 'main.ts')], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...serviceEnv(stack, name, 0) },
    cwd: REPO,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) as string);
}

export interface RunningService {
  name: string;
  url: string;
  process: ServerProcess;
  logFile: string;
  /** Wait for the process to exit; resolves to its exit text ("... exited with code 0"). */
  exited(): Promise<string>;
}

/** apps/Dockerfile's NODE_OPTIONS (apps/test/dockerfile.test.ts checks they agree). */
export const IMAGE_NODE_OPTIONS = ['--max-semi-space-size=32'];

/** Start a service's main.ts with `env` (and nothing else but PATH) and wait for /readyz. */
export async function startService(stack: Stack, name: string, extra: Record<string, string> = {}, readyTimeoutMs = 60_000): Promise<RunningService> {
  const port = await freePort();
  const env = serviceEnv(stack, name, port, extra);
  const logFile = join(stack.logDir, `${name}-${randomUUID().slice(0, 8)}.log`);
  const proc = spawnServer({
    name,
    command: process.execPath,
    // The image's NODE_OPTIONS (apps/Dockerfile): the young generation's size.
    args: [...IMAGE_NODE_OPTIONS, join(REPO, 'apps', name, 'src', 'main.ts')],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    logFile,
    cwd: REPO,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      const res = await fetch(`${url}/readyz`);
      return res.status === 200 ? true : undefined;
    },
    { what: `${name} on ${url}`, timeoutMs: readyTimeoutMs, detail: () => tailFile(logFile, 30), abort: () => proc.exited() },
  );
  return {
    name,
    url,
    process: proc,
    logFile,
    exited: () => new Promise((resolveExit) => {
      const done = () => resolveExit(proc.exited() as string);
      if (proc.exited() !== undefined) done();
      else proc.child.once('exit', () => setImmediate(done));
    }),
  };
}
