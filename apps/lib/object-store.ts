/**
 * Object storage (S3 API; MinIO in the cluster) for the services that archive or load objects.
 * One bucket per store, path-style addressing (MinIO), small helpers over @aws-sdk/client-s3.
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
import type { ObjectStoreConfig } from './config.ts';

export interface ObjectStoreOptions {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  region: string;
  bucket: string;
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
  };
}

/** S3 allows at most this many keys per DeleteObjects request. */
const DELETE_BATCH = 1000;

function isNotFound(error: unknown): boolean {
  return error instanceof S3ServiceException && (error.name === 'NoSuchKey' || error.name === 'NotFound' || error.$metadata.httpStatusCode === 404);
}

export function createObjectStore(opts: ObjectStoreOptions): ObjectStore {
  const client = new S3Client({
    endpoint: opts.endpoint,
    region: opts.region,
    forcePathStyle: true,
    credentials: { accessKeyId: opts.accessKey, secretAccessKey: opts.secretKey },
    maxAttempts: 3,
  });
  const Bucket = opts.bucket;
  async function getObject(key: string, VersionId: string | undefined): Promise<Uint8Array | undefined> {
    try {
      const out = await client.send(new GetObjectCommand({ Bucket, Key: key, VersionId }));
      return out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
  async function deleteObjects(objects: Array<{ Key: string; VersionId?: string }>, what: string): Promise<void> {
    for (let i = 0; i < objects.length; i += DELETE_BATCH) {
      const batch = objects.slice(i, i + DELETE_BATCH);
      const out = await client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: batch, Quiet: true } }));
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
        await client.send(new HeadBucketCommand({ Bucket }));
      } catch (error) {
        if (!isNotFound(error)) throw error;
        await client.send(new CreateBucketCommand({ Bucket }));
      }
      if (options.versioning) await client.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    },
    async put(key, body, contentType = 'application/octet-stream') {
      await client.send(new PutObjectCommand({ Bucket, Key: key, Body: body, ContentType: contentType }));
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
        const page = await client.send(new ListObjectVersionsCommand({ Bucket, Prefix: prefix, KeyMarker, VersionIdMarker }));
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
        const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken }));
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
