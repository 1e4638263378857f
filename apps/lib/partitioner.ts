/**
 * The producers' partitioner: the partition the Java client's default partitioner picks for a
 * keyed record (murmur2 of the key's UTF-8 bytes, sign bit cleared, modulo the partition count),
 * computed by kafkajs's own DefaultPartitioner and remembered per key.
 *
 * Why: kafkajs calls the partitioner once per message, and its default one copies the partition
 * list and hashes a fresh Buffer of the key every time. Players send many events, so a key's
 * partition is computed once and then looked up. Messages with an explicit `partition` keep it;
 * messages without a key go to the default partitioner (round robin over available partitions).
 */
import type { ICustomPartitioner, PartitionerArgs } from 'kafkajs';
import kafkajs from './kafkajs.ts';

const { Partitioners } = kafkajs;

/** Keys remembered per partition count before the memo starts afresh (bounds memory). */
export const MEMO_KEYS = 200_000;

/** A kafkajs `createPartitioner`; `memoKeys` bounds the keys remembered per partition count. */
export function keyPartitioner(memoKeys = MEMO_KEYS): ICustomPartitioner {
  return () => {
    const fallback = Partitioners.DefaultPartitioner();
    // partition count → key → partition; the count changes only when partitions are added.
    const memo = new Map<number, Map<string, number>>();
    return (args: PartitionerArgs): number => {
      const { message, partitionMetadata } = args;
      if (message.partition != null) return message.partition;
      const key = message.key;
      if (typeof key !== 'string') return fallback(args);
      const count = partitionMetadata.length;
      let byKey = memo.get(count);
      if (!byKey || byKey.size >= memoKeys) memo.set(count, (byKey = new Map()));
      let partition = byKey.get(key);
      if (partition === undefined) byKey.set(key, (partition = fallback(args)));
      return partition;
    };
  };
}
