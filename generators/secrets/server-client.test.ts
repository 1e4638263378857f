// A service's datastore credential authenticates: on a tiny model with one datastore per engine, the Secret
// and key each service's variable reads are followed through the Kyverno copy to the Secret generated in the
// datastore's namespace, and that is the very Secret and key the server is configured with (CloudNativePG's
// managed role, the Redis ACL user's line, Qdrant's full or read-only API key, the MinIO user).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LoadedModel } from '../../model/loaded.ts';
import { generate } from '../index.ts';
import { loadTiny, tinyPlatformCopy } from '../testdata/tiny-model.ts';
import { secretEnv } from './catalog.ts';

type Obj = any;

/** The tiny platform with a Qdrant and a MinIO datastore; score-api writes, nightly-rollup reads, each engine. */
function everyEngine(edit: (p: ReturnType<typeof tinyPlatformCopy>) => void = () => {}): LoadedModel {
  const p = tinyPlatformCopy();
  const chart = (name: string, credentialsSecret: string) => ({ repoURL: `https://charts.tiny.test/${name}`, name, version: '1.0.0', imageRegistry: 'registry.tiny.test/mirror', credentialsSecret });
  p.datastores.vectors = { description: 'Qdrant.', engine: 'qdrant', namespace: 'data', host: 'vectors.data.svc.cluster.local', port: 6333, podSelector: { 'app.kubernetes.io/name': 'qdrant', 'app.kubernetes.io/instance': 'vectors' }, chart: chart('qdrant', 'vectors-api-key') };
  p.datastores.blobs = { description: 'MinIO.', engine: 'minio', namespace: 'data', host: 'blobs.data.svc.cluster.local', port: 9000, database: 'tiny-archive', podSelector: { app: 'minio', release: 'blobs' }, chart: { ...chart('minio', 'blobs-root'), buckets: [{ name: 'tiny-archive' }] } };
  const services = p.tenants.arcade.services;
  services['score-api'].datastores = [{ name: 'ledger' }, { name: 'cache' }, { name: 'vectors' }, { name: 'blobs' }];
  services['nightly-rollup'].datastores = [{ name: 'ledger', access: 'read' }, { name: 'cache', access: 'read' }, { name: 'vectors', access: 'read' }, { name: 'blobs', access: 'read' }];
  edit(p);
  return loadTiny('dev', { platform: p });
}

/** Rendered objects by `Kind/namespace/name`. */
function index(model: LoadedModel): Map<string, Obj> {
  return new Map(generate(model).map((f) => [`${f.object.kind}/${f.object.metadata.namespace ?? ''}/${f.object.metadata.name}`, f.object]));
}

/** Where the value of `namespace/secret` comes from: through Kyverno clones to the generated Secret, with the keys it holds. */
function origin(objects: Map<string, Obj>, namespace: string, secret: string): { namespace: string; name: string; keys: string[] } {
  const copy = objects.get('ClusterPolicy//copy-secrets')?.spec.rules.find((r: Obj) => r.generate.namespace === namespace && r.generate.name === secret);
  if (copy) return origin(objects, copy.generate.clone.namespace, copy.generate.clone.name);
  const es = objects.get(`ExternalSecret/${namespace}/${secret}`);
  assert.ok(es, `nothing makes Secret ${namespace}/${secret}`);
  const generated = (es.spec.dataFrom ?? []).map((d: Obj) => d.rewrite[0].regexp.target);
  return { namespace, name: secret, keys: [...generated, ...Object.keys(es.spec.target.template?.data ?? {})].sort() };
}

/** The Secret and key a service's variable reads, followed to its origin. */
function clientReads(model: LoadedModel, objects: Map<string, Obj>, service: string, variable: string): { namespace: string; name: string; key: string } {
  const s = model.services.find((x) => x.name === service)!;
  const ref = secretEnv(model, s).find((v) => v.name === variable);
  assert.ok(ref, `${service} reads no ${variable}`);
  const o = origin(objects, s.namespace, ref.secret);
  assert.ok(o.keys.includes(ref.key), `${o.namespace}/${o.name} has no key ${ref.key}`);
  return { namespace: o.namespace, name: o.name, key: ref.key };
}

const chartValues = (objects: Map<string, Obj>, store: string) => objects.get(`Application/argocd/dev-${store}`).spec.source.helm.valuesObject;

describe('a service reads the credential its datastore is configured with', () => {
  const model = everyEngine();
  const objects = index(model);

  test('PostgreSQL: the managed role reads the Secret the service reads, and the role is the username', () => {
    const roles = objects.get('Cluster/data/ledger').spec.managed.roles;
    for (const service of ['score-api', 'nightly-rollup']) {
      const read = clientReads(model, objects, service, 'PGPASSWORD');
      const role = roles.find((r: Obj) => r.passwordSecret.name === read.name);
      assert.ok(role, `no managed role reads ${read.name}`);
      assert.equal(objects.get(`ExternalSecret/data/${read.name}`).spec.target.template.data.username, role.name);
      assert.equal(read.key, 'password');
    }
  });

  test('the migrator: the Job reads a copy of the Secret initdb and the managed role use', () => {
    const job = objects.get('Job/arcade/ledger-migrations');
    const ref = job.spec.template.spec.containers[0].env.find((e: Obj) => e.name === 'PGPASSWORD').valueFrom.secretKeyRef;
    const o = origin(objects, 'arcade', ref.name);
    const cluster = objects.get('Cluster/data/ledger').spec;
    assert.equal(cluster.bootstrap.initdb.secret.name, o.name);
    assert.equal(cluster.managed.roles.find((r: Obj) => r.name === cluster.bootstrap.initdb.owner).passwordSecret.name, o.name);
    assert.deepEqual(o.keys, ['password', 'username']);
  });

  test('Redis: each client is an ACL user whose line the server includes, from the Secret it reads its user name and password from', () => {
    const values = chartValues(objects, 'cache');
    const volume = values.master.extraVolumes.find((v: Obj) => v.name === 'acl-users');
    const mount = values.master.extraVolumeMounts.find((m: Obj) => m.name === 'acl-users');
    assert.ok(values.commonConfiguration.split('\n').includes(`include ${mount.mountPath}/*.conf`), 'redis.conf includes the mounted users');
    for (const service of ['score-api', 'nightly-rollup']) {
      const password = clientReads(model, objects, service, 'REDIS_PASSWORD');
      const user = clientReads(model, objects, service, 'REDIS_USERNAME');
      assert.equal(user.name, password.name);
      assert.ok(volume.projected.sources.some((s: Obj) => s.secret.name === password.name && s.secret.items[0].key === 'acl.conf'), `the server loads ${password.name}'s ACL line`);
      const data = objects.get(`ExternalSecret/data/${password.name}`).spec.target.template.data;
      // The line names the user the client logs in as, with the hash of the very password the client reads.
      assert.match(data['acl.conf'], new RegExp(`^user ${data[user.key]} reset on #\\{\\{ \\.${password.key} \\| sha256sum \\}\\} `));
    }
    // Nobody but the server reads the default user's password.
    assert.equal(objects.get('ClusterPolicy//copy-secrets').spec.rules.filter((r: Obj) => r.generate.clone.name === values.auth.existingSecret).length, 0);
  });

  test('Qdrant: read-write clients read the API key, read clients the read-only key', () => {
    const env = Object.fromEntries(chartValues(objects, 'vectors').env.map((e: Obj) => [e.name, e.valueFrom.secretKeyRef]));
    const full = clientReads(model, objects, 'score-api', 'QDRANT_API_KEY');
    const readOnly = clientReads(model, objects, 'nightly-rollup', 'QDRANT_API_KEY');
    assert.deepEqual({ name: full.name, key: full.key }, env.QDRANT__SERVICE__API_KEY);
    assert.deepEqual({ name: readOnly.name, key: readOnly.key }, env.QDRANT__SERVICE__READ_ONLY_API_KEY);
    assert.notEqual(full.name, readOnly.name);
  });

  test('MinIO: each service is a MinIO user the user-sync sidecar makes from the Secret the service reads its keys from', () => {
    const values = chartValues(objects, 'blobs');
    const sources = values.extraVolumes.find((v: Obj) => v.name === 'minio-users').projected.sources;
    const sidecar = values.extraContainers.find((c: Obj) => c.name === 'user-sync');
    const env = Object.fromEntries(sidecar.env.map((e: Obj) => [e.name, e.value ?? e.valueFrom.secretKeyRef]));
    assert.equal(env.USERS_DIR, sidecar.volumeMounts.find((m: Obj) => m.name === 'minio-users').mountPath, 'the sidecar reads the mounted users');
    // The file names the script reads each user's access key, policy and secret key from, in its directory.
    const script = sidecar.command.at(-1) as string;
    const file = (variable: string) => new RegExp(`${variable}=\\$\\(cat "\\$dir/([^"]+)"\\)`).exec(script)?.[1];
    const users: Array<[string, string]> = [];
    for (const service of ['score-api', 'nightly-rollup']) {
      const secret = clientReads(model, objects, service, 'S3_SECRET_ACCESS_KEY');
      const id = clientReads(model, objects, service, 'S3_ACCESS_KEY_ID');
      assert.equal(id.name, secret.name);
      const source = sources.find((s: Obj) => s.secret.name === secret.name);
      assert.ok(source, `no MinIO user is made from ${secret.name}`);
      const path = (key: string) => source.secret.items.find((i: Obj) => i.key === key)?.path;
      const dir = path(secret.key).split('/')[0];
      assert.equal(path(secret.key), `${dir}/${file('secret')}`, 'the secret key the service reads is the one the server gets');
      assert.equal(path(id.key), `${dir}/${file('user')}`, 'the access key the service reads is the user name');
      const data = objects.get(`ExternalSecret/data/${secret.name}`).spec.target.template.data;
      assert.equal(data[id.key], service);
      assert.equal(path('policy'), `${dir}/${file('policy')}`);
      users.push([data[id.key], data.policy]);
    }
    assert.deepEqual(users.sort(), [['nightly-rollup', 'readonly'], ['score-api', 'readwrite']]);
    const root = values.existingSecret;
    assert.deepEqual([env.MINIO_ROOT_USER, env.MINIO_ROOT_PASSWORD], [{ name: root, key: 'rootUser' }, { name: root, key: 'rootPassword' }], 'the sidecar logs in as the root the server starts with');
    assert.ok(objects.get(`ExternalSecret/data/${root}`), 'the root credentials are generated');
    assert.deepEqual(origin(objects, 'data', root).keys, ['rootPassword', 'rootUser']);
  });

  test('changing access moves the Qdrant client to the other key (the check follows the model)', () => {
    const widened = everyEngine((p) => { p.tenants.arcade.services['nightly-rollup'].datastores![2] = { name: 'vectors', access: 'read-write' }; });
    const o = index(widened);
    const env = Object.fromEntries(chartValues(o, 'vectors').env.map((e: Obj) => [e.name, e.valueFrom.secretKeyRef.name]));
    assert.equal(clientReads(widened, o, 'nightly-rollup', 'QDRANT_API_KEY').name, env.QDRANT__SERVICE__API_KEY);
  });
});

describe('rotation follows what the server re-reads', () => {
  const objects = index(everyEngine());
  const es = (name: string) => objects.get(`ExternalSecret/data/${name}`).spec;

  test('PostgreSQL roles and the migrator rotate every period (CloudNativePG reloads them)', () => {
    for (const name of ['score-api-ledger', 'ledger-migrator']) {
      assert.deepEqual([es(name).refreshPolicy, es(name).refreshInterval], ['Periodic', '2160h'], name);
      assert.equal(es(name).target.template.metadata.labels['cnpg.io/reload'], 'true');
    }
  });

  test('Redis ACL users and MinIO users rotate every period (their sidecars apply a changed Secret)', () => {
    for (const name of ['score-api-cache', 'nightly-rollup-cache', 'score-api-blobs', 'nightly-rollup-blobs']) {
      assert.deepEqual([es(name).refreshPolicy, es(name).refreshInterval], ['Periodic', '2160h'], name);
      assert.equal(objects.get(`ExternalSecret/data/${name}`).metadata.annotations['secrets.gamemetrics.dev/rotation-mode'], 'live', name);
    }
  });

  test('every client of a live-rotating credential mounts its generated key as a file, named by <VAR>_FILE', () => {
    const pods = [objects.get('Deployment/arcade/score-api').spec.template.spec, objects.get('CronJob/arcade-jobs/nightly-rollup').spec.jobTemplate.spec.template.spec];
    for (const pod of pods) {
      const container = pod.containers[0];
      const files = Object.fromEntries(container.env.filter((e: Obj) => e.name.endsWith('_FILE')).map((e: Obj) => [e.name, e.value]));
      assert.deepEqual(Object.keys(files).sort(), ['PGPASSWORD_FILE', 'REDIS_PASSWORD_FILE', 'S3_SECRET_ACCESS_KEY_FILE'], 'Qdrant keys rotate on request: no file');
      for (const [variable, path] of Object.entries(files) as Array<[string, string]>) {
        const ref = container.env.find((e: Obj) => e.name === variable.replace(/_FILE$/, '')).valueFrom.secretKeyRef;
        const mount = container.volumeMounts.find((m: Obj) => path.startsWith(`${m.mountPath}/`));
        const volume = pod.volumes.find((v: Obj) => v.name === mount.name).secret;
        assert.equal(volume.secretName, ref.name, `${variable}: the file is the Secret the variable reads`);
        assert.deepEqual(volume.items, [{ key: ref.key, path: path.slice(mount.mountPath.length + 1) }], `${variable}: and the same key`);
      }
    }
  });

  test('server credentials read at start are made once (rotated on request), never regenerated behind the server', () => {
    for (const name of ['cache-auth', 'vectors-api-key', 'vectors-api-key-read-only', 'blobs-root']) {
      assert.equal(es(name).refreshPolicy, 'CreatedOnce', name);
      assert.equal(es(name).refreshInterval, undefined, name);
    }
  });

  test('the backup bucket key comes from AWS Secrets Manager', () => {
    const backup = es('ledger-backup-s3');
    assert.deepEqual(backup.secretStoreRef, { kind: 'ClusterSecretStore', name: 'aws-secrets-manager' });
    assert.deepEqual(backup.data.map((d: Obj) => d.secretKey), ['access-key-id', 'secret-access-key']);
  });
});
