/**
 * service-kit's object store against a real MinIO server (scripts/harness/minio.ts): bucket creation,
 * put/get round trip, paged listing in key order, batched deletes, absent keys, config validation.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startMinio, type MinioServer } from '../../../scripts/harness/minio.ts';
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

describe('object store configuration', () => {
  const env = { S3_ENDPOINT: 'http://minio.data.svc.cluster.local:9000', S3_BUCKET: 'gamemetrics-archive', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' };

  test('the rendered variables load, with the default region', () => {
    const config = loadConfig<ObjectStoreConfig>('test', objectStoreSchema, env);
    assert.deepEqual(objectStoreOptions(config), { endpoint: env.S3_ENDPOINT, accessKey: 'k', secretKey: 's', region: 'us-east-1', bucket: 'gamemetrics-archive' });
  });

  test('a bad endpoint and bucket are both reported, with the variable named', () => {
    assert.throws(
      () => loadConfig<ObjectStoreConfig>('test', objectStoreSchema, { ...env, S3_ENDPOINT: 'minio:9000', S3_BUCKET: 'Bad_Bucket' }),
      (error: Error) => /S3_ENDPOINT=.*http\(s\):\/\/<host>:<port>/.test(error.message) && /S3_BUCKET=.*bucket name/.test(error.message),
    );
  });
});
