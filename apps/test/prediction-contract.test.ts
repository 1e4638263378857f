/**
 * The Geo-Sentiment services boot with exactly their rendered configuration: prediction-api's main.ts
 * with the environment of its rendered Deployment, model-training's with that of its rendered CronJob
 * (ConfigMap + Secret references; only hosts pointed at this machine's PostgreSQL, Redis and MinIO, and
 * the Secrets' values made here). Then the chain the cluster runs: the CronJob publishes a version (twice:
 * the second run changes nothing), an admin promotes it, the service serves it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { freePort, spawnServer, tailFile, waitFor, type ServerProcess } from '../../scripts/harness/process.ts';
import { call, startFixture, type Fixture } from './prediction-fixture.ts';
import { REPO, tenantDir } from './stack.ts';

const run = promisify(execFile);
const GEO = tenantDir('geo-climate');
const yamlOf = (file: string) => parseAllDocuments(readFileSync(join(GEO, file), 'utf8'))[0].toJS() as Record<string, any>;

/** The environment the rendered CronJob gives model-training, Secret references resolved from `secrets`. */
function cronJobEnv(secrets: Record<string, string>): Record<string, string> {
  const container = yamlOf('cronjob-model-training.yaml').spec.jobTemplate.spec.template.spec.containers[0];
  const env: Record<string, string> = {};
  for (const from of container.envFrom) Object.assign(env, yamlOf(`configmap-${from.configMapRef.name}.yaml`).data);
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
    else if (!(e.name in secrets)) throw new Error(`the rendered CronJob takes ${e.name} from Secret ${e.valueFrom.secretKeyRef.name}, which this test does not provision`);
    else env[e.name] = secrets[e.name];
  }
  return env;
}

let fx: Fixture;
let api: ServerProcess | undefined;

before(async () => {
  fx = await startFixture();
});
after(async () => {
  await api?.stop(10_000);
  await fx?.stop();
});

describe('prediction-api and model-training from rendered/dev', () => {
  let version: string;

  test('model-training runs on its rendered CronJob environment: publishes a version, and a second run changes nothing', async () => {
    const env: Record<string, string> = { ...cronJobEnv({ S3_ACCESS_KEY_ID: fx.minio.accessKey, S3_SECRET_ACCESS_KEY: fx.minio.secretKey }), S3_ENDPOINT: fx.minio.endpoint, PATH: process.env.PATH ?? '/usr/bin:/bin' };
    // The mounted credential Secret: a file holding the same secret key, where the object store reads it.
    if ('S3_SECRET_ACCESS_KEY_FILE' in env) {
      env.S3_SECRET_ACCESS_KEY_FILE = join(fx.minio.logFile, '..', 'model-training.s3secretkey');
      writeFileSync(env.S3_SECRET_ACCESS_KEY_FILE, fx.minio.secretKey, { mode: 0o600 });
    }
    const main = join(REPO, 'apps/model-training/src/main.ts');
    const first = JSON.parse((await run(process.execPath, [main], { env })).stdout.trim().split('\n').at(-1)!);
    assert.equal(first.published, true, JSON.stringify(first));
    version = first.version;
    const second = JSON.parse((await run(process.execPath, [main], { env })).stdout.trim().split('\n').at(-1)!);
    assert.deepEqual([second.published, second.version], [false, version]);
    assert.deepEqual((await fx.store.list(`models/${version}/`)).map((o) => o.key), [`models/${version}/manifest.json`, `models/${version}/model.json`]);
  });

  test('prediction-api boots ready on its rendered Deployment environment and serves the promoted version', async () => {
    const port = await freePort();
    const logFile = join(fx.minio.logFile, '..', `prediction-api-${randomUUID().slice(0, 8)}.log`);
    api = spawnServer({
      name: 'prediction-api',
      command: process.execPath,
      args: [join(REPO, 'apps/prediction-api/src/main.ts')],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...fx.env, PORT: String(port), HOST: '127.0.0.1' },
      logFile,
      cwd: REPO,
    });
    const url = `http://127.0.0.1:${port}`;
    await waitFor(async () => ((await fetch(`${url}/readyz`)).status === 200 ? true : undefined), {
      what: `prediction-api on ${url}`,
      timeoutMs: 60_000,
      detail: () => tailFile(logFile, 30),
      abort: () => api!.exited(),
    });
    const username = `admin-${randomUUID().slice(0, 8)}`;
    const password = 'contract-test-password';
    const reg = await call(`${url}/v1/auth/register`, { body: { username, password } });
    assert.equal(reg.status, 201);
    await fx.admin.query("INSERT INTO geo_user_roles (user_id, role) VALUES ($1, 'model-admin')", [reg.body.id]);
    const token = (await call(`${url}/v1/oauth/token`, { form: { grant_type: 'password', username, password } })).body.access_token;
    const promoted = await call(`${url}/v1/models/${version}/promote`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    assert.equal(promoted.status, 200, JSON.stringify(promoted.body));
    const prediction = await call(`${url}/v1/predict`, {
      headers: { authorization: `Bearer ${token}` },
      body: { latitude: 10, longitude: 20, temperatureC: 30, humidityPct: 40, pm25: 50, windSpeedMs: 6 },
    });
    assert.equal(prediction.status, 200, JSON.stringify(prediction.body));
    assert.equal(prediction.body.modelVersion, version);
    assert.equal(prediction.headers.get('ratelimit-limit'), '100', 'a new account is on the rendered default tier (free: burst 100)');
    // Password-reset mail reaches the relay the rendered Secret names (MAIL_RELAY_URL, MAIL_RELAY_SECRET).
    const email = `${username}@example.org`;
    assert.equal((await call(`${url}/v1/auth/register`, { body: { username: `${username}-m`, password, email } })).status, 201);
    const since = fx.relay.messages.length;
    assert.equal((await call(`${url}/v1/auth/password-reset`, { body: { email } })).status, 202);
    const mail = await fx.relay.waitFor(email, since);
    assert.equal(mail.body.template, 'password-reset');
    assert.match(mail.body.variables.token, /^pr_[A-Za-z0-9_-]{43}$/);
  });

  test('a bad rendered value stops prediction-api with exit 78, naming each variable and hiding secrets', async () => {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...fx.env, RATE_LIMIT_TIERS: 'free=60', RATE_LIMIT_WHEN_REDIS_DOWN: 'maybe', JWT_SIGNING_KEY: 'not-a-key', MAIL_RELAY_SECRET: 'short-secret' };
    const failed = await run(process.execPath, [join(REPO, 'apps/prediction-api/src/main.ts')], { env }).then(
      () => assert.fail('prediction-api started on a bad configuration'),
      (e: { code: number; stderr: string }) => e,
    );
    assert.equal(failed.code, 78);
    assert.match(failed.stderr, /RATE_LIMIT_WHEN_REDIS_DOWN="maybe" must be equal to one of the allowed values \(allowed: open, closed\)/);
    const fixed = await run(process.execPath, [join(REPO, 'apps/prediction-api/src/main.ts')], { env: { ...env, RATE_LIMIT_WHEN_REDIS_DOWN: 'open', MAIL_RELAY_SECRET: fx.env.MAIL_RELAY_SECRET } }).then(
      () => assert.fail('prediction-api started on a bad configuration'),
      (e: { code: number; stderr: string }) => e,
    );
    assert.equal(fixed.code, 78);
    assert.match(fixed.stderr, /RATE_LIMIT_TIERS entry "free=60" must be <tier>=<per minute>\/<per day>\/<burst>/);
    assert.match(fixed.stderr, /JWT_SIGNING_KEY=\(hidden\) is not a PEM private key/);
    assert.ok(!fixed.stderr.includes('not-a-key'));
    assert.match(failed.stderr, /MAIL_RELAY_SECRET=\(hidden\) must NOT have fewer than 16 characters/);
    assert.ok(!failed.stderr.includes('short-secret'));
  });
});
