/**
 * The producers' partitioner picks the partition the Java client's default partitioner picks.
 * Expected partitions were computed with Apache Kafka 4.3.1's
 * `BuiltInPartitioner.partitionForKey(key.getBytes(UTF_8), n)` (kafka-clients jar, JDK 17).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PartitionerArgs, PartitionMetadata } from 'kafkajs';
import { keyPartitioner } from '../partitioner.ts';

// [key, partition of 2, of 3, of 12]
const javaPartitions: Array<[string, number, number, number]> = [
  ['player-1', 1, 2, 11],
  ['player-42', 1, 1, 7],
  ['player-4999', 0, 0, 0],
  ['p0', 0, 2, 8],
  ['alice', 1, 0, 9],
  ['bob', 0, 0, 6],
  ['studio-test:player-7', 0, 0, 0],
  ['ünïcødé-spieler', 1, 1, 7],
  ['a', 0, 1, 4],
  ['player-123456789', 1, 2, 11],
];

const metadata = (n: number, leader = 1): PartitionMetadata[] =>
  Array.from({ length: n }, (_, partitionId) => ({ partitionId, leader, partitionErrorCode: 0, replicas: [leader], isr: [leader] }));

const args = (message: PartitionerArgs['message'], n: number): PartitionerArgs => ({ topic: 't', partitionMetadata: metadata(n), message });

describe('keyPartitioner', () => {
  test('keyed messages land where the Java default partitioner puts them, for 2, 3 and 12 partitions', () => {
    const partition = keyPartitioner()();
    for (const [key, p2, p3, p12] of javaPartitions) {
      // Twice: the second answer comes from the memo and must not differ.
      for (let i = 0; i < 2; i++) {
        assert.equal(partition(args({ key, value: 'v' }, 2)), p2, `${key} of 2`);
        assert.equal(partition(args({ key, value: 'v' }, 3)), p3, `${key} of 3`);
        assert.equal(partition(args({ key, value: 'v' }, 12)), p12, `${key} of 12`);
      }
    }
  });

  test('a Buffer key hashes like the same string', () => {
    const partition = keyPartitioner()();
    for (const [key, , , p12] of javaPartitions) assert.equal(partition(args({ key: Buffer.from(key), value: 'v' }, 12)), p12, key);
  });

  test('an explicit partition wins over the key', () => {
    const partition = keyPartitioner()();
    assert.equal(partition(args({ key: 'player-1', value: 'v', partition: 0 }, 2)), 0);
    assert.equal(partition(args({ key: 'player-1', value: 'v' }, 2)), 1);
  });

  test('messages without a key are spread over the available partitions', () => {
    const partition = keyPartitioner()();
    const seen = new Set(Array.from({ length: 20 }, () => partition(args({ value: 'v' }, 3))));
    assert.deepEqual([...seen].sort(), [0, 1, 2]);
    const unavailable: PartitionerArgs = { topic: 't', partitionMetadata: [...metadata(1), { ...metadata(2)[1], leader: -1 }], message: { value: 'v' } };
    for (let i = 0; i < 10; i++) assert.equal(partition(unavailable), 0, 'no leader, no keyless records');
  });

  test('the memo is bounded and stays correct when it starts afresh', () => {
    const partition = keyPartitioner(1000)();
    for (let i = 0; i < 2500; i++) partition(args({ key: `k${i}`, value: 'v' }, 2));
    for (const [key, p2] of javaPartitions) assert.equal(partition(args({ key, value: 'v' }, 2)), p2, key);
  });
});
