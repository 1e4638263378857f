/**
 * kafkajs for the services, loaded with three of its internal hot paths replaced by equivalents
 * that do the same with less work per record (measured in docs/BENCHMARKS.md), and one timer fixed:
 *
 * - the record encoder (`protocol/recordBatch/record/v0`): kafkajs allocates two zero-filled
 *   512-byte buffers per record (record and header) and a fresh Buffer per varint; this writes
 *   each record into one buffer of its exact size (apps/lib/kafka-record.ts), the same bytes;
 * - the batch checksum (`protocol/recordBatch/crc32C`): one table lookup per byte there, eight
 *   bytes per step here (apps/lib/crc32c.ts), the same value;
 * - the grouping of a send's messages by partition (`producer/groupMessagesPerPartition`): kafkajs
 *   copies the partition's array for every message (quadratic in the batch); this appends;
 * - the request queue's check for pending requests (`network/requestQueue`): kafkajs re-arms it
 *   after every response even with nothing pending, at `throttledUntil - Date.now()`, and
 *   `throttledUntil` starts at -1: a delay of minus the epoch time, which Node clamps to 1 ms with a
 *   `TimeoutNegativeWarning` (tulios/kafkajs#1751), and then a 1 ms poll per broker connection for
 *   the life of the process. Here the check is armed only while requests are pending, at the end
 *   of the throttle or after kafkajs's 10 ms, as kafkajs does then. This one patches the class's
 *   prototype, so it holds even when kafkajs was loaded first.
 *
 * The replacements are installed in Node's CommonJS module cache before kafkajs loads, and only
 * for the kafkajs version they were written against (KAFKAJS_VERSION); any other version loads
 * unchanged and `fastPaths.active` says why. Services import kafkajs from here, never directly
 * (apps/lib/test/kafkajs.test.ts checks both, and that the bytes equal kafkajs's own).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as KafkaJs from 'kafkajs';
import { crc32c } from './crc32c.ts';
import { encodeRecord, type RecordInput } from './kafka-record.ts';

export const KAFKAJS_VERSION = '2.2.4';

const require = createRequire(import.meta.url);

/** kafkajs internals replaced here, relative to its package folder. */
export const REPLACED = {
  record: 'src/protocol/recordBatch/record/v0/index.js',
  crc32c: 'src/protocol/recordBatch/crc32C/index.js',
  grouping: 'src/producer/groupMessagesPerPartition.js',
} as const;

/** The request queue whose pending-request check is replaced (on its prototype, whenever kafkajs loaded). */
export const REQUEST_QUEUE = 'src/network/requestQueue/index.js';

type Encoder = { buf: Buffer; offset: number };
type RecordEncoder = (input: RecordInput) => Encoder;
interface GroupArgs {
  topic: string;
  partitionMetadata: unknown[];
  messages: unknown[];
  partitioner: (args: { topic: string; partitionMetadata: unknown[]; message: unknown }) => number;
}

/** kafkajs's own implementations of what is replaced (the tests compare against them). */
export interface Originals {
  record: RecordEncoder;
  crc32c: (buffer: Buffer) => number;
  grouping: (args: GroupArgs) => Record<number, unknown[]>;
}

const packageDir = dirname(require.resolve('kafkajs/package.json'));
const internal = (path: string) => join(packageDir, path);

/** A finished record, shaped as the kafkajs Encoder that record batches copy from. */
function encoderClass(EncoderBase: new () => Encoder): (bytes: Buffer) => Encoder {
  class FixedEncoder {
    buf: Buffer;
    offset: number;
    constructor(bytes: Buffer) {
      this.buf = bytes;
      this.offset = bytes.length;
    }
    get buffer(): Buffer {
      return this.buf;
    }
  }
  Object.setPrototypeOf(FixedEncoder.prototype, EncoderBase.prototype);
  return (bytes) => new FixedEncoder(bytes);
}

export function groupByPartition({ topic, partitionMetadata, messages, partitioner }: GroupArgs): Record<number, unknown[]> {
  const result: Record<number, unknown[]> = {};
  if (partitionMetadata.length === 0) return result;
  for (const message of messages) (result[partitioner({ topic, partitionMetadata, message })] ??= []).push(message);
  return result;
}

interface RequestQueueLike {
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  pending: unknown[];
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/**
 * kafkajs's scheduleCheckPendingRequests (2.2.4) armed only while requests are pending: with none
 * pending its timer found nothing to do and re-armed itself (every 1 ms, after a negative delay).
 */
export function checkPendingOnlyWhenPending(RequestQueue: { prototype: RequestQueueLike }, checkIntervalMs: number): void {
  RequestQueue.prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: RequestQueueLike) {
    if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
    const throttled = this.throttledUntil - Date.now();
    this.throttleCheckTimeoutId = setTimeout(() => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    }, throttled > 0 ? throttled : checkIntervalMs);
  };
}

/** kafkajs's CHECK_PENDING_REQUESTS_INTERVAL (src/network/requestQueue/index.js, 2.2.4). */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

function install(): { active: boolean; reason: string; originals: Originals | null } {
  const version = (require('kafkajs/package.json') as { version: string }).version;
  if (version !== KAFKAJS_VERSION)
    return { active: false, reason: `kafkajs ${version} is not ${KAFKAJS_VERSION}, which the replacements were written for`, originals: null };
  checkPendingOnlyWhenPending(require(internal(REQUEST_QUEUE)), CHECK_PENDING_REQUESTS_INTERVAL_MS);
  if (require.cache[require.resolve('kafkajs')])
    return { active: false, reason: 'kafkajs was loaded before apps/lib/kafkajs.ts', originals: null };

  const modules = {
    record: require(internal(REPLACED.record)),
    crc32c: require(internal(REPLACED.crc32c)),
    grouping: require(internal(REPLACED.grouping)),
  } as Originals;
  const asEncoder = encoderClass(require(internal('src/protocol/encoder.js')));
  const replacements: Originals = {
    record: (input) => {
      const bytes = encodeRecord(input);
      return bytes === null ? modules.record(input) : asEncoder(bytes);
    },
    crc32c,
    grouping: groupByPartition,
  };
  for (const name of Object.keys(REPLACED) as Array<keyof typeof REPLACED>) require.cache[internal(REPLACED[name])]!.exports = replacements[name];
  return { active: true, reason: `kafkajs ${version}: record encoder, CRC-32C and partition grouping replaced`, originals: modules };
}

const installed = install();

/** Whether the replacements are in effect, and why (logged by the services at boot). */
export const fastPaths: { readonly active: boolean; readonly reason: string } = { active: installed.active, reason: installed.reason };

/** kafkajs's own implementations, when the replacements are installed. */
export const originals: Originals | null = installed.originals;

const kafkajs = require('kafkajs') as typeof KafkaJs;
export default kafkajs;
