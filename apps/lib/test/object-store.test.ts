/**
 * service-kit's object store against a real MinIO server (scripts/harness/minio.ts): bucket creation,
 * put/get round trip, paged listing in key order, batched deletes, absent keys, config validation. With
 * S3_SECRET_ACCESS_KEY_FILE, a user's secret key changed on the server (with `mc`, as the user-sync sidecar
 * does) and in the file is picked up by the next request, without a restart and without an error.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runMc, startMinio, type MinioServer } from '../../../scripts/harness/minio.ts';
import { loadConfig, objectStoreSchema, type ObjectStoreConfig } from '../config.ts';
import { createObjectStore, objectStoreOptions, type ObjectStore } from '../object-store.ts';

let minio: MinioServer;
let store: ObjectStore;

before(async () => {
  minio = await startMinio();
  store = createObjectStore({ ...minio, bucket: 'object-store-test' });
  await store.ensureBucket();
});
after(async () => {
  store?.close();
  await minio?.stop();
});

describe('object store on a real MinIO', () => {
  test('ensureBucket is idempotent and a put object reads back byte for byte', async () => {
    await store.ensureBucket();
    const body = new Uint8Array([0, 1, 2, 250, 255]);
    await store.put('a/bytes.bin', body);
    assert.deepEqual(await store.get('a/bytes.bin'), body);
    await store.put('a/text.txt', 'héllo', 'text/plain');
    assert.equal(new TextDecoder().decode(await store.get('a/text.txt')), 'héllo');
  });

  test('a missing key reads as undefined, not an error', async () => {
    assert.equal(await store.get('does/not/exist'), undefined);
  });

  test('list returns every object under the prefix across pages, in key order, and delete batches', async () => {
    const keys = Array.from({ length: 1003 }, (_, i) => `many/${String(1002 - i).padStart(5, '0')}.json`);
    for (let i = 0; i < keys.length; i += 100) await Promise.all(keys.slice(i, i + 100).map((k) => store.put(k, '{}')));
    const listed = await store.list('many/');
    assert.equal(listed.length, 1003);
    assert.equal(listed[0].key, 'many/00000.json');
    assert.equal(listed.at(-1)?.key, 'many/01002.json');
    assert.equal(listed[0].size, 2);
    assert.equal(await store.delete([...keys, 'many/never-written.json']), 1004);
    assert.deepEqual(await store.list('many/'), []);
    assert.equal((await store.list('a/')).length, 2, 'other prefixes untouched');
  });

  test('wrong credentials are refused by the server', async () => {
    const wrong = createObjectStore({ ...minio, secretKey: 'not-the-secret', bucket: 'object-store-test' });
    try {
      await assert.rejects(() => wrong.get('a/text.txt'), /signature|SignatureDoesNotMatch|Access Denied|InvalidAccessKeyId/i);
    } finally {
      wrong.close();
    }
  });
});

describe('S3_SECRET_ACCESS_KEY_FILE: a rotated secret key is used without a restart', () => {
  const user = 'archiver';
  let dir: string;
  let file: string;
  let rotating: ObjectStore;
  const newKey = () => randomBytes(20).toString('hex');
  const setKey = (key: string) => runMc(minio, ['admin', 'user', 'add', 'local'], `${user}\n${key}\n`);
  const refused = /SignatureDoesNotMatch|InvalidAccessKeyId|Forbidden|403/;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gm-s3-key-'));
    file = join(dir, 'secret-access-key');
    const key = newKey();
    await setKey(key);
    await runMc(minio, ['admin', 'policy', 'attach', 'local', 'readwrite', '--user', user]);
    await writeFile(file, `${key}\n`);
    // The variable holds what the pod started with; with the file set it is never used.
    const env = { S3_ENDPOINT: minio.endpoint, S3_BUCKET: 'object-store-test', S3_ACCESS_KEY_ID: user, S3_SECRET_ACCESS_KEY: 'stale-variable', S3_SECRET_ACCESS_KEY_FILE: file };
    rotating = createObjectStore(objectStoreOptions(loadConfig<ObjectStoreConfig>('test', objectStoreSchema, env)));
  });
  after(async () => {
    rotating?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('the file, not the variable, authenticates', async () => {
    await rotating.put('rotation/a.txt', 'one');
    assert.equal(new TextDecoder().decode(await rotating.get('rotation/a.txt')), 'one');
  });

  test('a key changed on the server but not yet in the file is refused, and the error reaches the caller', async () => {
    await setKey(newKey());
    await assert.rejects(() => rotating.get('rotation/a.txt'), refused);
  });

  test('once the file holds the new key, the refused request is sent again with it: no error reaches the caller', async () => {
    const key = newKey();
    await setKey(key);
    await writeFile(file, `${key}\n`);
    // Held in memory: the previous key. Each call below is one call of the caller's; none fails.
    assert.equal(new TextDecoder().decode(await rotating.get('rotation/a.txt')), 'one');
    await rotating.put('rotation/b.txt', 'two');
    assert.deepEqual((await rotating.list('rotation/')).map((o) => o.key), ['rotation/a.txt', 'rotation/b.txt']);
  });

  test('concurrent requests refused together all recover with the one re-read key', async () => {
    const key = newKey();
    await setKey(key);
    await writeFile(file, key);
    const bodies = await Promise.all(Array.from({ length: 20 }, () => rotating.get('rotation/b.txt')));
    assert.deepEqual(new Set(bodies.map((b) => new TextDecoder().decode(b))), new Set(['two']));
  });

  test('a file that cannot be read at start is an error naming the variable', () => {
    assert.throws(
      () => createObjectStore({ ...minio, bucket: 'object-store-test', secretKeyFile: join(dir, 'missing') }),
      /S3_SECRET_ACCESS_KEY_FILE=".*missing" cannot be read \(ENOENT\): mount the credential Secret there/,
    );
  });
});

describe('object store configuration', () => {
  const env = { S3_ENDPOINT: 'http://minio.data.svc.cluster.local:9000', S3_BUCKET: 'gamemetrics-archive', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' };

  test('the rendered variables load, with the default region', () => {
    const config = loadConfig<ObjectStoreConfig>('test', objectStoreSchema, env);
    assert.deepEqual(objectStoreOptions(config), { endpoint: env.S3_ENDPOINT, accessKey: 'k', secretKey: 's', region: 'us-east-1', bucket: 'gamemetrics-archive' });
  });

  test('S3_SECRET_ACCESS_KEY_FILE becomes the key file', () => {
    const config = loadConfig<ObjectStoreConfig>('test', objectStoreSchema, { ...env, S3_SECRET_ACCESS_KEY_FILE: '/var/run/secrets/gamemetrics.dev/x-minio/secret-access-key' });
    assert.equal(objectStoreOptions(config).secretKeyFile, '/var/run/secrets/gamemetrics.dev/x-minio/secret-access-key');
  });

  test('a bad endpoint and bucket are both reported, with the variable named', () => {
    assert.throws(
      () => loadConfig<ObjectStoreConfig>('test', objectStoreSchema, { ...env, S3_ENDPOINT: 'minio:9000', S3_BUCKET: 'Bad_Bucket' }),
      (error: Error) => /S3_ENDPOINT=.*http\(s\):\/\/<host>:<port>/.test(error.message) && /S3_BUCKET=.*bucket name/.test(error.message),
    );
  });
});
