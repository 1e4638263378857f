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

export interface ObjectStore {
  readonly bucket: string;
  /** Creates the bucket unless it exists (tests and first runs; in the cluster the bucket is provisioned). */
  ensureBucket(): Promise<void>;
  put(key: string, body: Uint8Array | string, contentType?: string): Promise<void>;
  /** The object's bytes, or undefined when there is no such key. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Every object under the prefix, in key order (all pages). */
  list(prefix?: string): Promise<StoredObject[]>;
  /** Deletes the keys (absent keys are not an error); returns how many were requested. */
  delete(keys: string[]): Promise<number>;
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
  return {
    bucket: Bucket,
    async ensureBucket() {
      try {
        await client.send(new HeadBucketCommand({ Bucket }));
      } catch (error) {
        if (!isNotFound(error)) throw error;
        await client.send(new CreateBucketCommand({ Bucket }));
      }
    },
    async put(key, body, contentType = 'application/octet-stream') {
      await client.send(new PutObjectCommand({ Bucket, Key: key, Body: body, ContentType: contentType }));
    },
    async get(key) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        return out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
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
      for (let i = 0; i < keys.length; i += DELETE_BATCH) {
        const batch = keys.slice(i, i + DELETE_BATCH);
        const out = await client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }));
        if (out.Errors?.length) {
          const first = out.Errors[0];
          throw new Error(`object store: could not delete ${out.Errors.length} of ${batch.length} objects in ${Bucket} (first: ${first.Key}: ${first.Code} ${first.Message})`);
        }
      }
      return keys.length;
    },
    close() {
      client.destroy();
    },
  };
}
