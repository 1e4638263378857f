// Proof on a real MinIO server that the dev environment's RENDERED MinIO users are made and rotated while the
// server runs: the chart values' projected volume of the users' Secrets is written as the kubelet lays it out
// (a timestamped directory behind `..data`, swapped in one rename), each Secret filled as its ExternalSecret
// says (fixed keys from the template, the generated secret key made up here); the rendered user-sync sidecar's
// script runs under /bin/sh with a real `mc` (scripts/harness/minio-binary.ts) against the server. Then a
// secret key rotates under a client of apps/lib/object-store.ts that is busy writing and reading, and a
// changed `access` in a copy of the model changes the user's policy on the running server, and a copy without
// two of the users (a service removed, a service's MinIO access removed) has them removed from the server after
// the delay, while root and a user made by someone else stay.
//
// Not run here: External Secrets' Password generator (the test makes the value), Kyverno's copy to the
// service's namespace and the kubelet's refresh of either volume (the test writes the files itself), the
// MinIO chart's templates, the `mc` image (the test runs mc built from the Go module proxy, see MC_VERSION).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { createObjectStore, type ObjectStore } from '../../apps/lib/object-store.ts';
import { environments } from '../../environments/index.ts';
import { MINIO_USER_SYNC_GROUP } from '../../generators/data/minio-users.ts';
import { platform } from '../../model/platform.ts';
import type { EnvironmentSpec, PlatformSpec } from '../../model/spec.ts';
import { renderAll } from '../../render/render.ts';
import { mcBinary, runMc, startMinio, type MinioServer } from './minio.ts';
import { waitFor } from './process.ts';

const STORE = 'minio';
type Obj = Record<string, any>;
/** Seconds, here: one pass a second; a change waits 4 s (in the cluster 30 s and 120 s, minio-users.ts). */
const SYNC_INTERVAL = '1';
const APPLY_DELAY = '4';

/** What the rendered files say about the MinIO users. */
interface RenderedUsers {
  values: Obj;
  sidecar: Obj;
  /** Where the sidecar mounts the users' Secrets. */
  mountPath: string;
  /** Each projected file: its path in the volume, and the Secret and key it comes from. */
  items: Array<{ path: string; secret: string; key: string }>;
  /** The ExternalSecrets of the datastore's namespace, by name. */
  externalSecrets: Map<string, Obj>;
  /** Each service's bucket (its rendered ConfigMap's S3_BUCKET). */
  buckets: Map<string, string>;
}

function renderedUsers(files: ReadonlyMap<string, string>): RenderedUsers {
  const app = parse([...files].find(([p]) => p.endsWith(`/application-dev-${STORE}.yaml`))![1]) as Obj;
  const values = app.spec.source.helm.valuesObject;
  const sidecar = values.extraContainers.find((c: Obj) => c.name === 'user-sync');
  assert.ok(sidecar, 'the rendered MinIO values run the user-sync sidecar');
  const volume = values.extraVolumes.find((v: Obj) => v.name === 'minio-users');
  const mountPath = sidecar.volumeMounts.find((m: Obj) => m.name === 'minio-users').mountPath;
  const externalSecrets = new Map<string, Obj>();
  const buckets = new Map<string, string>();
  for (const [path, text] of files) {
    if (path.includes('/externalsecret-')) {
      const es = parse(text) as Obj;
      if (es.metadata.namespace === app.spec.destination.namespace) externalSecrets.set(es.metadata.name, es);
    }
    const config = /\/configmap-(.+)-config\.yaml$/.exec(path);
    if (config) {
      const bucket = (parse(text) as Obj).data?.S3_BUCKET;
      if (bucket) buckets.set(config[1], bucket);
    }
  }
  const items = volume.projected.sources.flatMap((s: Obj) => s.secret.items.map((i: Obj) => ({ path: i.path, secret: s.secret.name, key: i.key })));
  return { values, sidecar, mountPath, items, externalSecrets, buckets };
}

/** A Secret's keys as External Secrets would fill them: the template's fixed values, a made-up value per generated key. */
function secretValues(es: Obj): Record<string, string> {
  const out: Record<string, string> = { ...es.spec.target.template?.data };
  for (const from of es.spec.dataFrom ?? []) out[from.rewrite[0].regexp.target] = randomBytes(20).toString('hex');
  return out;
}

/**
 * Writes the projected volume into `dir` as the kubelet's atomic writer does: the files in a new hidden
 * directory, `..data` re-pointed at it in one rename, each top-level entry a link through `..data`.
 */
let generation = 0;
async function writeProjected(dir: string, files: Map<string, string>): Promise<void> {
  const gen = `..gen-${++generation}`;
  for (const [path, content] of files) {
    await mkdir(dirname(join(dir, gen, path)), { recursive: true });
    await writeFile(join(dir, gen, path), content);
  }
  await symlink(gen, join(dir, '..data_tmp'));
  await rename(join(dir, '..data_tmp'), join(dir, '..data'));
  for (const top of new Set([...files.keys()].map((p) => p.split('/')[0]))) {
    if (!existsSync(join(dir, top))) await symlink(join('..data', top), join(dir, top));
  }
}

/** The files of the users' volume, from the Secrets' values. */
function volumeFiles(users: RenderedUsers, secrets: Map<string, Record<string, string>>): Map<string, string> {
  return new Map(users.items.map((i) => [i.path, secrets.get(i.secret)![i.key]]));
}

function client(minio: MinioServer, accessKey: string, secretKey: string, bucket: string): ObjectStore {
  return createObjectStore({ endpoint: minio.endpoint, region: minio.region, accessKey, secretKey, bucket });
}

/**
 * Whether the server accepts these keys: `false` when it refuses the credentials; a refusal by the user's
 * policy (AccessDenied: a readonly user may not learn that a key is absent) means they were accepted.
 */
async function authenticates(minio: MinioServer, accessKey: string, secretKey: string, bucket: string): Promise<boolean> {
  const c = client(minio, accessKey, secretKey, bucket);
  try {
    await c.get('no/such/key');
    return true;
  } catch (error) {
    if (/SignatureDoesNotMatch|InvalidAccessKeyId/.test((error as Error).name)) return false;
    if ((error as Error).name === 'AccessDenied') return true;
    throw error;
  } finally {
    c.close();
  }
}

async function policyOf(minio: MinioServer, user: string): Promise<string> {
  return (JSON.parse(await runMc(minio, ['admin', 'user', 'info', 'local', user, '--json'])) as Obj).policyName ?? '';
}

/** The server's users (root is not one of them). */
async function userNames(minio: MinioServer): Promise<string[]> {
  const lines = (await runMc(minio, ['admin', 'user', 'list', 'local', '--json'])).split('\n').filter((l) => l.trim());
  return lines.map((l) => (JSON.parse(l) as Obj).accessKey as string).sort();
}

/** The members of the sidecar's group. */
async function managedUsers(minio: MinioServer): Promise<string[]> {
  return ((JSON.parse(await runMc(minio, ['admin', 'group', 'info', 'local', MINIO_USER_SYNC_GROUP, '--json'])) as Obj).members ?? []).sort();
}

/** Whether `user` may write to `bucket` with `secretKey` (false: refused by its policy). */
async function writes(minio: MinioServer, user: string, secretKey: string, bucket: string): Promise<boolean> {
  const c = client(minio, user, secretKey, bucket);
  try {
    await c.put(`policy-probe/${user}`, 'x');
    return true;
  } catch (error) {
    if ((error as Error).name === 'AccessDenied') return false;
    throw error;
  } finally {
    c.close();
  }
}

describe(`dev ${STORE} users as rendered, made and rotated on a real MinIO by the rendered user-sync sidecar`, () => {
  const dev = renderAll(['dev']).environments[0];
  const users = renderedUsers(dev.files);
  const services = [...new Set(users.items.map((i) => i.path.split('/')[0]))].sort();
  const declared = dev.model.services.filter((s) => s.datastores.some((d) => d.name === STORE)).map((s) => s.name).sort();
  let minio: MinioServer;
  let work: string;
  let usersDir: string;
  let sidecar: ChildProcess;
  let log = '';
  const secrets = new Map<string, Record<string, string>>();
  const secretOf = (service: string) => `${service}-${STORE}`;
  const applied = (service: string) => log.split('\n').filter((l) => l === `minio-user-sync: applied user ${service} (policy ${secrets.get(secretOf(service))!.policy})`).length;

  before(async () => {
    minio = await startMinio();
    work = await mkdtemp(join(tmpdir(), 'gm-minio-users-'));
    usersDir = join(work, 'users');
    await mkdir(usersDir);
    await mkdir(join(work, 'state'));
    await mkdir(join(work, 'bin'));
    await symlink(mcBinary(), join(work, 'bin', 'mc'));
    // The chart's own job makes the buckets.
    for (const b of users.values.buckets) await runMc(minio, ['mb', `local/${b.name}`]);
    for (const item of users.items) if (!secrets.has(item.secret)) secrets.set(item.secret, secretValues(users.externalSecrets.get(item.secret)!));
    await writeProjected(usersDir, volumeFiles(users, secrets));

    const env: Record<string, string> = { PATH: `${join(work, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}` };
    for (const e of users.sidecar.env as Obj[]) if (e.value !== undefined) env[e.name] = e.value;
    assert.equal(env.USERS_DIR, users.mountPath, 'the sidecar reads the directory it mounts the users at');
    // Here: the temp folders, this server's port and root, a pass a second.
    Object.assign(env, { USERS_DIR: usersDir, STATE_DIR: join(work, 'state'), MC_CONFIG_DIR: join(work, 'state', 'mc'), MINIO_PORT: String(minio.port), SYNC_INTERVAL, APPLY_DELAY, MINIO_ROOT_USER: minio.accessKey, MINIO_ROOT_PASSWORD: minio.secretKey });
    const [command, ...args] = users.sidecar.command as string[];
    sidecar = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    sidecar.stdout!.on('data', (d) => (log += d));
    sidecar.stderr!.on('data', (d) => (log += d));
  });
  after(async () => {
    sidecar?.kill('SIGTERM');
    await minio?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('the users\' ExternalSecrets are regenerated every rotation period (live); the root\'s stays on request', () => {
    for (const service of services) {
      const es = users.externalSecrets.get(secretOf(service))!;
      assert.deepEqual([es.spec.refreshPolicy, es.spec.refreshInterval, es.metadata.annotations['secrets.gamemetrics.dev/rotation-mode']], ['Periodic', '2160h', 'live'], service);
    }
    const root = users.externalSecrets.get(users.values.existingSecret)!;
    assert.deepEqual([root.spec.refreshPolicy, root.spec.refreshInterval, root.metadata.annotations['secrets.gamemetrics.dev/rotation-mode']], ['CreatedOnce', undefined, 'on-request']);
  });

  it('the rendered container sets every variable the script reads, and mc writes only to its memory volume', () => {
    const script = users.sidecar.command.at(-1) as string;
    const read = new Set([...script.matchAll(/\$\{?([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]));
    const set = new Set((users.sidecar.env as Obj[]).map((e) => e.name));
    assert.deepEqual([...read].filter((v) => !set.has(v)), []);
    const state = users.sidecar.volumeMounts.find((m: Obj) => m.name === 'minio-user-sync').mountPath;
    const env = Object.fromEntries((users.sidecar.env as Obj[]).map((e) => [e.name, e.value]));
    assert.ok(env.MC_CONFIG_DIR.startsWith(`${state}/`) && env.STATE_DIR === state, 'the root filesystem is read-only');
  });

  it('every service that declares MinIO mounts its own secret key as the file S3_SECRET_ACCESS_KEY_FILE names', () => {
    for (const service of declared) {
      const [, text] = [...dev.files].find(([p]) => new RegExp(`/(deployment|rollout|cronjob)-${service}\\.yaml$`).test(p))!;
      const workload = parse(text) as Obj;
      const pod = (workload.kind === 'CronJob' ? workload.spec.jobTemplate.spec.template : workload.spec.template).spec;
      const container = pod.containers[0];
      const file = container.env.find((e: Obj) => e.name === 'S3_SECRET_ACCESS_KEY_FILE')?.value as string;
      assert.ok(file, `${service} has S3_SECRET_ACCESS_KEY_FILE`);
      const mount = container.volumeMounts.find((m: Obj) => file.startsWith(`${m.mountPath}/`));
      const volume = pod.volumes.find((v: Obj) => v.name === mount.name).secret;
      assert.deepEqual([volume.secretName, volume.items], [secretOf(service), [{ key: 'secret-access-key', path: file.slice(mount.mountPath.length + 1) }]], service);
    }
  });

  it('every client service becomes a user with its declared policy, and only its own key works', async () => {
    assert.deepEqual(services, declared, 'one user per service that declares the datastore');
    assert.deepEqual(declared, ['data-retention', 'model-training', 'prediction-api']);
    for (const service of services) {
      const { [`access-key-id`]: user, ['secret-access-key']: key, policy } = secrets.get(secretOf(service))!;
      assert.equal(user, service);
      await waitFor(async () => (applied(service) === 1 ? true : undefined), { what: `the sidecar to make user ${user}`, timeoutMs: 60_000, intervalMs: 100 });
      assert.equal(await authenticates(minio, user, key, users.buckets.get(service)!), true);
      assert.equal(await policyOf(minio, user), policy);
      assert.equal(policy, 'readwrite', 'dev declares read-write for every client');
      assert.equal(await writes(minio, user, key, users.buckets.get(service)!), true);
      assert.equal(await authenticates(minio, user, randomBytes(20).toString('hex'), users.buckets.get(service)!), false, 'a wrong key is refused');
    }
    assert.equal(await authenticates(minio, 'event-ingestion', randomBytes(20).toString('hex'), 'gamemetrics-archive'), false, 'a service without the datastore has no user');
  });

  it('rotation: the old key works until the server switches, then only the new one; the policy stays; a busy client never sees a failure', async () => {
    const service = 'prediction-api';
    const bucket = users.buckets.get(service)!;
    const before = { ...secrets.get(secretOf(service))! };
    // The service's copy of its Secret (Kyverno) as the kubelet mounts it: S3_SECRET_ACCESS_KEY_FILE.
    const clientFile = join(work, 'client-secret-access-key');
    await writeFile(clientFile, before['secret-access-key']);
    const busy = createObjectStore({ endpoint: minio.endpoint, region: minio.region, accessKey: service, secretKeyFile: clientFile, secretKey: 'unused', bucket });
    // The server's trace of refused requests: the busy client's refusals show it held the old key and recovered.
    const trace = spawn(mcBinary(), ['admin', 'trace', 'local', '--json', '--status-code', '403'], { env: { PATH: process.env.PATH ?? '', ...minio.mcEnv } });
    let traced = '';
    trace.stdout!.on('data', (d) => (traced += d));
    await waitFor(async () => {
      await authenticates(minio, service, 'not-the-key', bucket);
      return traced.includes('"statusCode":403') ? true : undefined;
    }, { what: 'mc admin trace to report refusals', timeoutMs: 30_000, intervalMs: 300 });
    const tracedBefore = traced.split('\n').filter((l) => l.includes('/rotation-load/')).length;

    let stop = false;
    let operations = 0;
    const failures: string[] = [];
    const load = (async () => {
      for (let i = 0; !stop; i++) {
        try {
          await busy.put(`rotation-load/${i % 10}`, String(i));
          assert.equal(new TextDecoder().decode(await busy.get(`rotation-load/${i % 10}`)), String(i));
          operations++;
        } catch (error) {
          failures.push(String(error));
        }
      }
    })();
    try {
      await waitFor(async () => (operations >= 5 ? true : undefined), { what: 'the busy client to run', timeoutMs: 30_000, intervalMs: 50 });
      // External Secrets regenerates the Secret; the copy and the server's volume follow (here: both at once).
      const rotated = { ...before, 'secret-access-key': randomBytes(20).toString('hex') };
      secrets.set(secretOf(service), rotated);
      await writeFile(clientFile, rotated['secret-access-key']);
      await writeProjected(usersDir, volumeFiles(users, secrets));
      await waitFor(async () => (log.includes(`minio-user-sync: user ${service} changed, applying it in ${APPLY_DELAY}s`) ? true : undefined), { what: 'the sidecar to see the change', timeoutMs: 30_000, intervalMs: 50 });
      assert.equal(await authenticates(minio, service, before['secret-access-key'], bucket), true, 'while the change waits, the old key still works');
      const atSwitch = { operations: 0 };
      await waitFor(async () => {
        if (!(await authenticates(minio, service, rotated['secret-access-key'], bucket))) return undefined;
        atSwitch.operations = operations;
        return true;
      }, { what: 'the sidecar to apply the rotated key', timeoutMs: 60_000, intervalMs: 100 });
      await waitFor(async () => (operations >= atSwitch.operations + 10 ? true : undefined), { what: 'the busy client to go on after the switch', timeoutMs: 30_000, intervalMs: 50 });
      assert.equal(await authenticates(minio, service, before['secret-access-key'], bucket), false, 'the old key is refused');
      assert.equal(await policyOf(minio, service), before.policy, 'the policy is unchanged');
      assert.equal(await writes(minio, service, rotated['secret-access-key'], bucket), true);
    } finally {
      stop = true;
      await load;
      busy.close();
      trace.kill('SIGTERM');
    }
    assert.deepEqual(failures, [], 'no operation of the busy client failed');
    const refusals = traced.split('\n').filter((l) => l.includes('/rotation-load/')).length - tracedBefore;
    console.log(`\nrotation under load: ${operations} put+get pairs, ${failures.length} failed; the server refused the busy client's old key ${refusals} time(s), each followed by a retry with the re-read key\n`);
    assert.ok(refusals >= 1, 'the busy client was refused with the old key at least once (and recovered)');
    assert.deepEqual(services.map((s) => [s, applied(s)]), services.map((s) => [s, s === service ? 2 : 1]), 'only the rotated user was applied again');
  });

  it('follows a changed access in a copy of the model: the re-rendered user gets the new policy on the running server', async () => {
    const copy = structuredClone(platform) as PlatformSpec;
    const training = copy.tenants['geo-climate'].services['model-training'] as { datastores?: Array<{ name: string; access?: 'read' | 'read-write' }> };
    training.datastores = training.datastores!.map((d) => (d.name === STORE ? { ...d, access: 'read' } : d));
    const changed = renderedUsers(renderAll(['dev'], { platform: copy }).environments[0].files);
    const es = changed.externalSecrets.get(secretOf('model-training'))!;
    assert.equal(es.spec.target.template.data.policy, 'readonly');
    // A changed ExternalSecret spec makes External Secrets generate anew: a new key with the new policy.
    const old = secrets.get(secretOf('model-training'))!;
    secrets.set(secretOf('model-training'), secretValues(es));
    const now = secrets.get(secretOf('model-training'))!;
    await writeProjected(usersDir, volumeFiles(changed, secrets));
    const bucket = changed.buckets.get('model-training')!;
    await waitFor(async () => ((await policyOf(minio, 'model-training')) === 'readonly' ? true : undefined), { what: 'the sidecar to apply the new policy', timeoutMs: 60_000, intervalMs: 200 });
    await waitFor(async () => ((await authenticates(minio, 'model-training', now['secret-access-key'], bucket)) ? true : undefined), { what: 'the new key', timeoutMs: 30_000, intervalMs: 100 });
    assert.equal(await writes(minio, 'model-training', now['secret-access-key'], bucket), false, 'readonly: writing is refused');
    const [root, reader] = [client(minio, minio.accessKey, minio.secretKey, bucket), client(minio, 'model-training', now['secret-access-key'], bucket)];
    try {
      await root.put('policy-probe/readable', 'r');
      assert.equal(new TextDecoder().decode(await reader.get('policy-probe/readable')), 'r', 'readonly: reading works');
    } finally {
      root.close();
      reader.close();
    }
    assert.equal(await authenticates(minio, 'model-training', old['secret-access-key'], bucket), false);
    assert.equal(await policyOf(minio, 'prediction-api'), 'readwrite', 'the other users keep theirs');
  });
  it('removes the users it made that are no longer declared, after the delay; root and a user made by someone else stay', async () => {
    // Someone else's user (made by root, not by the sidecar), with a policy.
    const otherKey = randomBytes(20).toString('hex');
    await runMc(minio, ['admin', 'user', 'add', 'local'], `someone-else\n${otherKey}\n`);
    await runMc(minio, ['admin', 'policy', 'attach', 'local', 'readwrite', '--user', 'someone-else']);
    assert.deepEqual(await managedUsers(minio), services, 'the sidecar marks exactly the users it made');
    // A user another MinIO pod's sidecar made since this one started (a new service; this pod has not rolled to
    // the new volume yet): marked, not declared here, and not to be removed by this sidecar.
    const newKey = randomBytes(20).toString('hex');
    await runMc(minio, ['admin', 'user', 'add', 'local'], `new-service\n${newKey}\n`);
    await runMc(minio, ['admin', 'group', 'add', 'local', MINIO_USER_SYNC_GROUP, 'new-service']);
    // A copy of the model without model-training (and its image digests), and data-retention without MinIO.
    const copy = structuredClone(platform) as PlatformSpec;
    delete (copy.tenants['geo-climate'].services as Obj)['model-training'];
    const retention = copy.tenants.gamemetrics.services['data-retention'] as { datastores?: Array<{ name: string }> };
    retention.datastores = retention.datastores!.filter((d) => d.name !== STORE);
    const envs = structuredClone(environments) as EnvironmentSpec[];
    for (const e of envs) delete (e.images as Obj | undefined)?.['model-training'];
    const fewer = renderedUsers(renderAll(['dev'], { platform: copy, environments: envs }).environments[0].files);
    assert.deepEqual([...new Set(fewer.items.map((i) => i.path.split('/')[0]))], ['prediction-api']);
    const keyOf = (service: string) => secrets.get(secretOf(service))!['secret-access-key'];
    const bucket = users.buckets.get('prediction-api')!;
    const appliedBefore = applied('prediction-api');
    await writeProjected(usersDir, volumeFiles(fewer, secrets));
    for (const gone of ['data-retention', 'model-training']) {
      await waitFor(async () => (log.includes(`minio-user-sync: user ${gone} is no longer declared, removing it in ${APPLY_DELAY}s`) ? true : undefined), { what: `the sidecar to see ${gone} undeclared`, timeoutMs: 30_000, intervalMs: 50 });
    }
    assert.equal(await authenticates(minio, 'data-retention', keyOf('data-retention'), bucket), true, 'while the removal waits, the user still works');
    await waitFor(async () => ((await userNames(minio)).includes('model-training') || (await userNames(minio)).includes('data-retention') ? undefined : true), { what: 'the sidecar to remove both users', timeoutMs: 60_000, intervalMs: 200 });
    assert.equal(await authenticates(minio, 'data-retention', keyOf('data-retention'), bucket), false, 'a removed user\'s key is refused');
    assert.equal(await authenticates(minio, 'model-training', keyOf('model-training'), bucket), false);
    assert.deepEqual(await userNames(minio), ['new-service', 'prediction-api', 'someone-else'], 'root is no IAM user; someone else\'s user stays, and so does the user another sidecar made');
    assert.ok(!log.includes('user new-service is no longer declared'), 'the other sidecar\'s user was never up for removal (it would have been in the same pass as the two)');
    assert.equal(await authenticates(minio, 'new-service', newKey, bucket), true);
    assert.equal(await policyOf(minio, 'someone-else'), 'readwrite', 'with its policy');
    assert.equal(await authenticates(minio, 'someone-else', otherKey, bucket), true);
    assert.equal(await authenticates(minio, minio.accessKey, minio.secretKey, bucket), true, 'root still works');
    assert.equal(await authenticates(minio, 'prediction-api', keyOf('prediction-api'), bucket), true, 'the declared user stays');
    assert.equal(applied('prediction-api'), appliedBefore, 'and was not applied again');
    assert.deepEqual(await managedUsers(minio), ['new-service', 'prediction-api']);

    // Declared again (same Secrets): made again at once, since the sidecar forgot what it had applied to them.
    const appliedAtRemoval = new Map(['data-retention', 'model-training'].map((s) => [s, applied(s)]));
    await writeProjected(usersDir, volumeFiles(users, secrets));
    for (const [back, count] of appliedAtRemoval) {
      await waitFor(async () => (applied(back) === count + 1 ? true : undefined), { what: `the sidecar to make ${back} again`, timeoutMs: 60_000, intervalMs: 100 });
      assert.equal(await authenticates(minio, back, keyOf(back), bucket), true, back);
    }
    assert.deepEqual(await managedUsers(minio), [...services, 'new-service'].sort());
    assert.equal(await policyOf(minio, 'model-training'), 'readonly', 'with the policy its Secret says');
  });
});
