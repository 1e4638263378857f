// MinIO buckets with object lock (control GDP-05) on the tiny model: a locked bucket is created by the chart
// with locking (`objectlocking`) and gets its default retention as a custom `mc` command; an unlocked bucket
// gets neither; the model refuses a lock on a bucket that turns versioning off.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BucketSpec } from '../../model/spec.ts';
import { loadTiny, tinyPlatformCopy } from '../testdata/tiny-model.ts';
import { chartValues } from './charts.ts';

function minioValues(buckets: BucketSpec[]): any {
  const p = tinyPlatformCopy();
  p.datastores.blobs = { description: 'MinIO.', engine: 'minio', namespace: 'data', host: 'blobs.data.svc.cluster.local', port: 9000, database: 'tiny-archive', podSelector: { app: 'minio', release: 'blobs' },
    chart: { repoURL: 'https://charts.tiny.test/minio', name: 'minio', version: '1.0.0', imageRegistry: 'registry.tiny.test/mirror', credentialsSecret: 'blobs-root', buckets } };
  const m = loadTiny('dev', { platform: p });
  return chartValues(m, m.datastores.find((d) => d.name === 'blobs')!);
}

describe('MinIO buckets with object lock', () => {
  test('a locked bucket is created with locking and its default retention; an unlocked one with neither', () => {
    const values = minioValues([
      { name: 'tiny-archive', expireAfterDays: 30 },
      { name: 'tiny-audit', objectLock: { mode: 'compliance', days: 400 } },
      { name: 'tiny-drafts', objectLock: { mode: 'governance', days: 7 } },
    ]);
    assert.deepEqual(values.buckets, [
      { name: 'tiny-archive', policy: 'none', purge: false, versioning: true },
      { name: 'tiny-audit', policy: 'none', purge: false, versioning: true, objectlocking: true },
      { name: 'tiny-drafts', policy: 'none', purge: false, versioning: true, objectlocking: true },
    ]);
    assert.deepEqual(values.customCommands.map((c: { command: string }) => c.command), [
      'ilm rule add --expire-days 30 myminio/tiny-archive',
      'retention set --default compliance 400d myminio/tiny-audit',
      'retention set --default governance 7d myminio/tiny-drafts',
    ]);
  });

  test('the model refuses a lock on a bucket without versioning', () => {
    assert.throws(
      () => minioValues([{ name: 'tiny-audit', versioning: false, objectLock: { mode: 'compliance', days: 400 } }]),
      /datastores\.blobs\.chart\.buckets\[0\]\.versioning: bucket "tiny-audit" has an objectLock, which needs versioning/,
    );
    assert.throws(() => minioValues([{ name: 'tiny-audit', objectLock: { mode: 'forever', days: 400 } as never }]), /objectLock\.mode/);
  });
});
