/**
 * prediction-api on this machine, configured exactly by rendered/dev: real PostgreSQL (the rendered
 * TimescaleDB Cluster's roles and the rendered migration Job, scripts/harness/postgres-schema.ts) and a
 * real Redis and MinIO (the models bucket), a mail relay (a local HTTP server), the ConfigMap and Secret references of the rendered Deployment (hosts pointed here), and
 * any number of instances built with buildApp(), each with its own pool and Redis connection, all on one
 * clock the test drives.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '@gamemetrics/service-kit/config.ts';
import { createMetrics } from '@gamemetrics/service-kit/metrics.ts';
import { closePool, createPool } from '@gamemetrics/service-kit/postgres.ts';
import { createRedis } from '@gamemetrics/service-kit/redis.ts';
import { provisionDatabase, renderedDatabaseOf, runMigrationJob, type RenderedDatabase } from '../../scripts/harness/postgres-schema.ts';
import { startPostgres, type PostgresServer } from '../../scripts/harness/postgres.ts';
import { startRedis, type RedisServer } from '../../scripts/harness/redis.ts';
import { renderedService, tenantDir, type RenderedService } from './stack.ts';
import { buildApp, REDIS_OPTIONS } from '../prediction-api/src/app.ts';
import { checkPredictionConfig, predictionSchema, type PredictionConfig } from '../prediction-api/src/config.ts';
import { createObjectStore, objectStoreOptions, type ObjectStore } from '@gamemetrics/service-kit/object-store.ts';
import { startMinio, type MinioServer } from '../../scripts/harness/minio.ts';
import { startMailRelay, type MailRelayServer } from './mail-relay-server.ts';

export const START = Date.parse('2026-11-30T08:00:00.000Z');

export interface Instance {
  app: ReturnType<typeof buildApp>;
  url: string;
  stop(): Promise<void>;
}

export interface Fixture {
  postgres: PostgresServer;
  redis: RedisServer;
  minio: MinioServer;
  /** The mail relay password-reset tokens go to (a real HTTP server here). */
  relay: MailRelayServer;
  database: RenderedDatabase;
  rendered: RenderedService;
  /** The environment the rendered Deployment gives the container, hosts pointed here. */
  env: Record<string, string>;
  /** The models bucket on MinIO, as the services reach it. */
  store: ObjectStore;
  /** The clock every instance reads; tests move it forward. */
  clock: { now: number; advance(ms: number): void };
  /** A superuser client of the database (billing: set tiers; grant roles). */
  admin: pg.Client;
  /** An instance on the rendered environment plus `overrides`; on the test's clock unless `clock` is given (the bench: real time). */
  start(overrides?: Record<string, string>, clock?: () => number): Promise<Instance>;
  stop(): Promise<void>;
}

export async function startFixture(): Promise<Fixture> {
  const rendered = renderedService('prediction-api', tenantDir('geo-climate'));
  const database = renderedDatabaseOf('dev', 'timescaledb');
  const dir = await mkdtemp(join(tmpdir(), 'gm-prediction-'));
  const redisPassword = randomBytes(12).toString('hex');
  const [postgres, redis, minio, relay] = await Promise.all([startPostgres({ logDir: dir }), startRedis({ password: redisPassword, logDir: dir }), startMinio(), startMailRelay(randomBytes(24).toString('hex'))]);
  const passwords = await provisionDatabase(postgres, database);
  await runMigrationJob(postgres, database, passwords.get(database.owner)!);
  const signingKey = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

  const env: Record<string, string> = { ...rendered.config, ...rendered.env };
  const secretValues: Record<string, string> = {
    PGPASSWORD: passwords.get(rendered.config.PGUSER)!,
    // The test Redis has the default user only; the rendered ACL users are proven in scripts/harness/redis-acl-proof.test.ts.
    REDIS_USERNAME: 'default',
    REDIS_PASSWORD: redisPassword,
    // MinIO's root user here; in the cluster the service's own MinIO user (docs/datastores.md).
    S3_ACCESS_KEY_ID: minio.accessKey,
    S3_SECRET_ACCESS_KEY: minio.secretKey,
    JWT_SIGNING_KEY: signingKey,
    MAIL_RELAY_URL: relay.url,
    MAIL_RELAY_SECRET: relay.secret,
  };
  for (const ref of rendered.secretRefs) {
    if (!(ref.env in secretValues)) throw new Error(`rendered Deployment prediction-api takes ${ref.env} from Secret ${ref.secret}/${ref.key}, which this fixture does not provision`);
    env[ref.env] = secretValues[ref.env];
  }
  Object.assign(env, { PGHOST: postgres.host, PGPORT: String(postgres.port), PGSSLMODE: 'disable', REDIS_URL: env.REDIS_URL.replace(/^redis:\/\/[^/]+/, `redis://${redis.host}:${redis.port}`), S3_ENDPOINT: minio.endpoint });

  // The mounted credential Secret: a file holding the same password, read by the pool on each connection.
  if ('REDIS_PASSWORD_FILE' in env) {
    env.REDIS_PASSWORD_FILE = join(dir, 'redispassword');
    await writeFile(env.REDIS_PASSWORD_FILE, env.REDIS_PASSWORD, { mode: 0o600 });
  }
  if ('PGPASSWORD_FILE' in env) {
    env.PGPASSWORD_FILE = join(dir, 'pgpassword');
    await writeFile(env.PGPASSWORD_FILE, env.PGPASSWORD, { mode: 0o600 });
  }
  if ('S3_SECRET_ACCESS_KEY_FILE' in env) {
    env.S3_SECRET_ACCESS_KEY_FILE = join(dir, 's3secretkey');
    await writeFile(env.S3_SECRET_ACCESS_KEY_FILE, env.S3_SECRET_ACCESS_KEY, { mode: 0o600 });
  }
  const store = createObjectStore({ endpoint: minio.endpoint, accessKey: minio.accessKey, secretKey: minio.secretKey, region: minio.region, bucket: env.S3_BUCKET });
  await store.ensureBucket();
  const clock = { now: START, advance: (ms: number) => void (clock.now += ms) };
  const admin = new pg.Client({ connectionString: postgres.superuser.connectionString.replace(/\/[^/]*$/, `/${database.database}`), options: rendered.config.PGOPTIONS });
  await admin.connect();
  const instances = new Set<Instance>();

  return {
    postgres,
    redis,
    minio,
    relay,
    database,
    rendered,
    env,
    store,
    clock,
    admin,
    async start(overrides = {}, ownClock?: () => number) {
      const config = loadConfig<PredictionConfig>('prediction-api', predictionSchema, { ...env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', MODEL_REFRESH_MS: '100', ...overrides }, checkPredictionConfig);
      const pool = createPool(config);
      const instanceStore = createObjectStore(objectStoreOptions(config));
      const redisClient = createRedis(config, 'prediction-api-test', REDIS_OPTIONS);
      const app = buildApp(config, { pool, redis: redisClient, store: instanceStore, metrics: createMetrics(config.SERVICE_NAME, false), clock: ownClock ?? (() => clock.now) });
      await app.listen({ host: '127.0.0.1', port: 0 });
      app.served.start(config.MODEL_REFRESH_MS);
      const address = app.server.address() as { port: number };
      const instance: Instance = {
        app,
        url: `http://127.0.0.1:${address.port}`,
        async stop() {
          instances.delete(instance);
          app.served.stop();
          await app.close();
          redisClient.disconnect();
          instanceStore.close();
          await closePool(pool);
        },
      };
      instances.add(instance);
      return instance;
    },
    async stop() {
      await Promise.allSettled([...instances].map((i) => i.stop()));
      await admin.end().catch(() => undefined);
      store.close();
      await Promise.allSettled([postgres.stop(), redis.stop(), minio.stop(), relay.stop()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** JSON over HTTP: status, headers and the parsed body. */
export async function call(url: string, init: { method?: string; headers?: Record<string, string>; body?: unknown; form?: Record<string, string> } = {}): Promise<{ status: number; headers: Headers; body: any }> {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | undefined;
  if (init.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  } else if (init.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  }
  const res = await fetch(url, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: res.status, headers: res.headers, body: parsed };
}
