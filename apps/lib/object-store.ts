/**
 * Object storage (S3 API; MinIO in the cluster) for the services that archive or load objects.
 * One bucket per store, path-style addressing (MinIO), small helpers over @aws-sdk/client-s3.
 * With S3_SECRET_ACCESS_KEY_FILE (the mounted credential Secret) the secret key is read from the file at
 * start, and again when the server refuses the key held (HTTP 403): a rotated key is picked up without a
 * restart, and the refused request is sent once more with it, so the caller never sees the rotation.
 *
 * ```ts
 * const store = createObjectStore(objectStoreOptions(config));
 * await store.put('archive/2026/11/30.jsonl.gz', body, 'application/gzip');
 * ```
 */
import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { readFileSync } from 'node:fs';
import type { ObjectStoreConfig } from './config.ts';

export interface ObjectStoreOptions {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  region: string;
  bucket: string;
  /** A mounted file holding the current secret key (S3_SECRET_ACCESS_KEY_FILE); when set, `secretKey` is not used. */
  secretKeyFile?: string;
}

export interface StoredObject {
  key: string;
  size: number;
}

/** One version of an object in a versioned bucket (`versionId` is `'null'` for what was written while versioning was off). */
export interface ObjectVersion {
  key: string;
  versionId: string;
  isLatest: boolean;
  /** A delete marker: the key reads as absent while it is the latest; it holds no data. */
  deleteMarker: boolean;
}

export interface ObjectStore {
  readonly bucket: string;
  /**
   * Creates the bucket unless it exists (tests and first runs; in the cluster the bucket is provisioned),
   * with versioning enabled when asked (as the model's MinIO buckets declare `versioning`).
   */
  ensureBucket(options?: { versioning?: boolean }): Promise<void>;
  put(key: string, body: Uint8Array | string, contentType?: string): Promise<void>;
  /** The object's bytes, or undefined when there is no such key. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Every object under the prefix, in key order (all pages). */
  list(prefix?: string): Promise<StoredObject[]>;
  /** Deletes the keys (absent keys are not an error); returns how many were requested. In a versioned bucket this adds delete markers: earlier versions stay. */
  delete(keys: string[]): Promise<number>;
  /** Every version and delete marker under the prefix (all pages), by key, newest first within a key. */
  listVersions(prefix?: string): Promise<ObjectVersion[]>;
  /** One version's bytes. */
  getVersion(key: string, versionId: string): Promise<Uint8Array | undefined>;
  /** Removes these versions for good (no delete marker); returns how many were requested. */
  deleteVersions(versions: Array<{ key: string; versionId: string }>): Promise<number>;
  close(): void;
}

export function objectStoreOptions(config: ObjectStoreConfig): ObjectStoreOptions {
  return {
    endpoint: config.S3_ENDPOINT,
    accessKey: config.S3_ACCESS_KEY_ID,
    secretKey: config.S3_SECRET_ACCESS_KEY,
    region: config.S3_REGION,
    bucket: config.S3_BUCKET,
    ...(config.S3_SECRET_ACCESS_KEY_FILE ? { secretKeyFile: config.S3_SECRET_ACCESS_KEY_FILE } : {}),
  };
}

/** S3 allows at most this many keys per DeleteObjects request. */
const DELETE_BATCH = 1000;

/** The secret key in `file` (a trailing newline dropped); throws naming the variable when it cannot be read. */
function readSecretKey(file: string): string {
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    throw new Error(`S3_SECRET_ACCESS_KEY_FILE=${JSON.stringify(file)} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}): mount the credential Secret there`);
  }
}

/** The server refused the credentials (a key it no longer knows, a signature made with an old secret key): HTTP 403. */
function isAuthRefusal(error: unknown): boolean {
  return error instanceof S3ServiceException && (error.name === 'InvalidAccessKeyId' || error.name === 'SignatureDoesNotMatch' || error.$metadata?.httpStatusCode === 403);
}

function isNotFound(error: unknown): boolean {
  return error instanceof S3ServiceException && (error.name === 'NoSuchKey' || error.name === 'NotFound' || error.$metadata.httpStatusCode === 404);
}

export function createObjectStore(opts: ObjectStoreOptions): ObjectStore {
  const file = opts.secretKeyFile;
  let secretKey = file ? readSecretKey(file) : opts.secretKey;
  const client = new S3Client({
    endpoint: opts.endpoint,
    region: opts.region,
    forcePathStyle: true,
    // With a key file: an identity that expires at once, so the SDK asks again for every request and a re-read key signs the next one.
    credentials: file ? async () => ({ accessKeyId: opts.accessKey, secretAccessKey: secretKey, expiration: new Date() }) : { accessKeyId: opts.accessKey, secretAccessKey: secretKey },
    maxAttempts: 3,
  });
  const Bucket = opts.bucket;
  /** Whether a key other than `used` is now held: another request re-read it, or the file holds a new one. */
  function rotatedSince(used: string): boolean {
    if (secretKey !== used) return true;
    let current: string;
    try {
      current = readSecretKey(file!);
    } catch {
      return false;
    }
    if (current === used || current === '') return false;
    secretKey = current;
    return true;
  }
  /** Runs one request; refused with a key the file no longer holds, runs it once more with the file's key. */
  async function send<T>(request: () => Promise<T>): Promise<T> {
    const used = secretKey;
    try {
      return await request();
    } catch (error) {
      if (!file || !isAuthRefusal(error) || !rotatedSince(used)) throw error;
      return await request();
    }
  }
  async function getObject(key: string, VersionId: string | undefined): Promise<Uint8Array | undefined> {
    try {
      const out = await send(() => client.send(new GetObjectCommand({ Bucket, Key: key, VersionId })));
      return out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
  async function deleteObjects(objects: Array<{ Key: string; VersionId?: string }>, what: string): Promise<void> {
    for (let i = 0; i < objects.length; i += DELETE_BATCH) {
      const batch = objects.slice(i, i + DELETE_BATCH);
      const out = await send(() => client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: batch, Quiet: true } })));
      if (out.Errors?.length) {
        const first = out.Errors[0];
        const version = first.VersionId ? ` version ${first.VersionId}` : '';
        throw new Error(`object store: could not delete ${out.Errors.length} of ${batch.length} ${what} in ${Bucket} (first: ${first.Key}${version}: ${first.Code} ${first.Message})`);
      }
    }
  }
  return {
    bucket: Bucket,
    async ensureBucket(options = {}) {
      try {
        await send(() => client.send(new HeadBucketCommand({ Bucket })));
      } catch (error) {
        if (!isNotFound(error)) throw error;
        await send(() => client.send(new CreateBucketCommand({ Bucket })));
      }
      if (options.versioning) await send(() => client.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } })));
    },
    async put(key, body, contentType = 'application/octet-stream') {
      await send(() => client.send(new PutObjectCommand({ Bucket, Key: key, Body: body, ContentType: contentType })));
    },
    get(key) {
      return getObject(key, undefined);
    },
    getVersion(key, versionId) {
      return getObject(key, versionId);
    },
    async listVersions(prefix = '') {
      const versions: ObjectVersion[] = [];
      let KeyMarker: string | undefined;
      let VersionIdMarker: string | undefined;
      do {
        const page = await send(() => client.send(new ListObjectVersionsCommand({ Bucket, Prefix: prefix, KeyMarker, VersionIdMarker })));
        for (const v of page.Versions ?? []) if (v.Key) versions.push({ key: v.Key, versionId: v.VersionId ?? 'null', isLatest: v.IsLatest === true, deleteMarker: false });
        for (const m of page.DeleteMarkers ?? []) if (m.Key) versions.push({ key: m.Key, versionId: m.VersionId ?? 'null', isLatest: m.IsLatest === true, deleteMarker: true });
        [KeyMarker, VersionIdMarker] = page.IsTruncated ? [page.NextKeyMarker, page.NextVersionIdMarker] : [undefined, undefined];
      } while (KeyMarker);
      // By key, the latest first (S3 lists versions and delete markers apart).
      return versions.map((v, i) => ({ v, i })).sort((a, b) => (a.v.key < b.v.key ? -1 : a.v.key > b.v.key ? 1 : Number(b.v.isLatest) - Number(a.v.isLatest) || a.i - b.i)).map(({ v }) => v);
    },
    async deleteVersions(versions) {
      await deleteObjects(versions.map((v) => ({ Key: v.key, VersionId: v.versionId })), 'object versions');
      return versions.length;
    },
    async list(prefix = '') {
      const objects: StoredObject[] = [];
      let ContinuationToken: string | undefined;
      do {
        const page = await send(() => client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken })));
        for (const o of page.Contents ?? []) if (o.Key) objects.push({ key: o.Key, size: o.Size ?? 0 });
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
      return objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
    async delete(keys) {
      await deleteObjects(keys.map((Key) => ({ Key })), 'objects');
      return keys.length;
    },
    close() {
      client.destroy();
    },
  };
}
