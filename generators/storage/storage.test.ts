// The storage concern on the tiny model: golden files, then the StorageClass parameters field by field,
// the loader's checks, and on rendered/: every claim names a rendered class.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { tryLoadSpec } from '../../model/loader.ts';
import type { EnvironmentSpec, PlatformSpec } from '../../model/spec.ts';
import { concerns } from '../index.ts';
import { kafkaCluster } from '../kafka/cluster.ts';
import { goldenTests } from '../testdata/golden.ts';
import { tinyEnvironments } from '../testdata/tiny-environments.ts';
import { loadTiny, tinyPlatformCopy, TINY_MIGRATIONS, TINY_TODAY } from '../testdata/tiny-model.ts';
import { storageClasses } from './storage-classes.ts';

const prod = loadTiny('prod');

goldenTests(join(import.meta.dirname, 'testdata'), 'the storage generators', (model) => Object.values(concerns.storage).flatMap((g) => g({ model })));

describe('StorageClasses', () => {
  const classes = Object.fromEntries(storageClasses({ model: prod }).map((f) => [f.object.metadata.name, f.object as any]));

  test('EBS CSI, encrypted, expandable, bound at first consumer, for every class', () => {
    assert.deepEqual(Object.keys(classes).sort(), ['cold', 'fast', 'fast-ssd']);
    for (const c of Object.values(classes)) {
      assert.equal(c.provisioner, 'ebs.csi.aws.com');
      assert.equal(c.parameters.encrypted, 'true');
      assert.equal(c.allowVolumeExpansion, true);
      assert.equal(c.volumeBindingMode, 'WaitForFirstConsumer');
    }
  });

  test('volume type, provisioned IOPS and throughput, reclaim policy and the default mark come from the model', () => {
    assert.deepEqual(classes.fast.parameters, { type: 'gp3', encrypted: 'true', iops: '4000', throughput: '200' });
    assert.equal(classes.fast.reclaimPolicy, 'Retain');
    assert.deepEqual(classes.cold.parameters, { type: 'sc1', encrypted: 'true' });
    assert.equal(classes.cold.reclaimPolicy, 'Delete');
    assert.equal(classes.cold.metadata.annotations['storageclass.kubernetes.io/is-default-class'], 'true');
    assert.equal(classes.fast.metadata.annotations['storageclass.kubernetes.io/is-default-class'], 'false');
  });

  test('Kafka\'s node pools name the environment\'s class and size', () => {
    const pools = kafkaCluster({ model: prod }).filter((f) => f.object.kind === 'KafkaNodePool').map((f) => f.object as any);
    const brokers = pools.find((p) => p.metadata.name === 'brokers');
    assert.equal(brokers.spec.storage.volumes[0].class, 'fast-ssd');
    assert.equal(brokers.spec.storage.volumes[0].size, '500Gi');
    assert.equal(pools.find((p) => p.metadata.name === 'controllers').spec.storage.class, 'fast-ssd');
  });

  test('an undeclared Kafka class, two defaults, and throughput on sc1 are refused', () => {
    const platform = tinyPlatformCopy();
    platform.storageClasses.fast.default = true;
    platform.storageClasses.cold = { ...platform.storageClasses.cold, throughputMiBps: 100 };
    const environment = structuredClone(tinyEnvironments.dev);
    environment.kafka = { ...environment.kafka, storageClass: 'nvme' };
    const result = tryLoadSpec(platform as unknown as PlatformSpec, environment as unknown as EnvironmentSpec, { today: TINY_TODAY, migrations: { ledger: TINY_MIGRATIONS } });
    assert.ok('problems' in result);
    assert.deepEqual(result.problems.map((p) => p.path.join('.')), ['storageClasses.cold.throughputMiBps', 'storageClasses.fast.default', 'environments.dev.kafka.storageClass']);
  });
});

describe('claims in rendered/', () => {
  const rendered = join(import.meta.dirname, '../../rendered');
  for (const env of readdirSync(rendered).sort()) {
    test(`${env}: every PVC, volume claim template and Kafka node pool names a rendered StorageClass`, () => {
      const docs = readdirSync(join(rendered, env), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && e.name.endsWith('.yaml'))
        .map((e) => parse(readFileSync(join(e.parentPath, e.name), 'utf8')) as any);
      const classes = new Set(docs.filter((d) => d.kind === 'StorageClass').map((d) => d.metadata.name));
      assert.deepEqual([...classes].sort(), ['archive', 'fast-ssd', 'standard']);
      const named: Array<[string, unknown]> = [];
      for (const d of docs) {
        const at = `${d.kind}/${d.metadata.name}`;
        if (d.kind === 'PersistentVolumeClaim') named.push([at, d.spec.storageClassName]);
        if (d.kind === 'StatefulSet') for (const t of d.spec.volumeClaimTemplates ?? []) named.push([at, t.spec.storageClassName]);
        if (d.kind === 'KafkaNodePool') for (const v of d.spec.storage.volumes ?? [d.spec.storage]) named.push([at, v.class]);
      }
      assert.ok(named.length > 0, 'no claims found: the check would be vacuous');
      for (const [at, cls] of named) assert.ok(typeof cls === 'string' && classes.has(cls), `${at} names storage class ${String(cls)}, which is not rendered`);
    });
  }
});
