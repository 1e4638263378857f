/**
 * One Kafka record (the v2 record format inside a record batch) encoded straight into a buffer of
 * its exact size:
 *
 *   length varint, attributes int8 (0), timestampDelta varlong, offsetDelta varint,
 *   key (varint length, -1 for null, then bytes), value (same),
 *   header count varint, each header: key (varint length, UTF-8), value (varint length, bytes).
 *
 * Varints are zig-zag LEB128, as in Kafka's ByteUtils. Strings are written as UTF-8. Only the
 * common shapes take this path: keys and values that are strings, Buffers or null, header values
 * that are strings or Buffers (or arrays of them), small integer deltas. For anything else
 * `encodeRecord` returns null and the caller uses kafkajs's own encoder, which decides what such
 * input means.
 */

/** What kafkajs passes to its record encoder. */
export interface RecordInput {
  offsetDelta?: number;
  timestampDelta?: number;
  key?: unknown;
  value?: unknown;
  headers?: Record<string, unknown>;
}

const SMALL = 2 ** 30;

/** Zig-zag of a 32-bit integer, as an unsigned 32-bit number. */
function zigZag(value: number): number {
  return ((value << 1) ^ (value >> 31)) >>> 0;
}

function uvarintSize(value: number): number {
  let size = 1;
  while ((value & 0xffffff80) !== 0) {
    size++;
    value >>>= 7;
  }
  return size;
}

function writeUvarint(buf: Buffer, offset: number, value: number): number {
  while ((value & 0xffffff80) !== 0) {
    buf[offset++] = (value & 0x7f) | 0x80;
    value >>>= 7;
  }
  buf[offset++] = value;
  return offset;
}

function isBytes(value: unknown): value is string | Buffer {
  return typeof value === 'string' || Buffer.isBuffer(value);
}

function byteLength(value: string | Buffer): number {
  return typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : value.length;
}

/** Length-prefixed bytes; `length` -1 writes a null. */
function writeBytes(buf: Buffer, offset: number, value: string | Buffer | null, length: number): number {
  offset = writeUvarint(buf, offset, zigZag(length));
  if (value === null) return offset;
  if (typeof value === 'string') buf.write(value, offset, length, 'utf8');
  else value.copy(buf, offset);
  return offset + length;
}

/** The record's bytes, or null when the input is outside the shapes this encoder handles. */
export function encodeRecord({ offsetDelta = 0, timestampDelta = 0, key, value, headers = {} }: RecordInput): Buffer | null {
  if (!Number.isInteger(offsetDelta) || offsetDelta < 0 || offsetDelta >= SMALL) return null;
  if (!Number.isInteger(timestampDelta) || timestampDelta <= -SMALL || timestampDelta >= SMALL) return null;
  const k = key ?? null;
  const v = value ?? null;
  if ((k !== null && !isBytes(k)) || (v !== null && !isBytes(v))) return null;

  const headerKeys: string[] = [];
  const headerValues: Array<string | Buffer> = [];
  for (const name of Object.keys(headers)) {
    const entry = headers[name];
    for (const item of Array.isArray(entry) ? entry : [entry]) {
      if (!isBytes(item)) return null;
      headerKeys.push(name);
      headerValues.push(item);
    }
  }

  const keyLength = k === null ? -1 : byteLength(k);
  const valueLength = v === null ? -1 : byteLength(v);
  const timestamp = timestampDelta >= 0 ? timestampDelta * 2 : -timestampDelta * 2 - 1;
  let body =
    1 +
    uvarintSize(timestamp) +
    uvarintSize(zigZag(offsetDelta)) +
    uvarintSize(zigZag(keyLength)) + Math.max(keyLength, 0) +
    uvarintSize(zigZag(valueLength)) + Math.max(valueLength, 0) +
    uvarintSize(zigZag(headerKeys.length));
  const headerKeyLengths = headerKeys.map((name) => Buffer.byteLength(name, 'utf8'));
  const headerValueLengths = headerValues.map(byteLength);
  for (let i = 0; i < headerKeys.length; i++)
    body += uvarintSize(zigZag(headerKeyLengths[i])) + headerKeyLengths[i] + uvarintSize(zigZag(headerValueLengths[i])) + headerValueLengths[i];

  const buf = Buffer.allocUnsafe(uvarintSize(zigZag(body)) + body);
  let offset = writeUvarint(buf, 0, zigZag(body));
  buf[offset++] = 0;
  offset = writeUvarint(buf, offset, timestamp);
  offset = writeUvarint(buf, offset, zigZag(offsetDelta));
  offset = writeBytes(buf, offset, k, keyLength);
  offset = writeBytes(buf, offset, v, valueLength);
  offset = writeUvarint(buf, offset, zigZag(headerKeys.length));
  for (let i = 0; i < headerKeys.length; i++) {
    offset = writeBytes(buf, offset, headerKeys[i], headerKeyLengths[i]);
    offset = writeBytes(buf, offset, headerValues[i], headerValueLengths[i]);
  }
  return buf;
}
