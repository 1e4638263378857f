/**
 * The archive's layout in the bucket: `events/b=<bucket>/<day>/<digest>.jsonl.gz`, one gzipped JSON
 * line per event (the event store's row: eventId, tenant, playerId, gameId, type, timestamp, score,
 * payload, receivedAt, processedAt). `<bucket>` is the player's hash bucket, so a GDPR erasure reads
 * 1/ARCHIVE_BUCKETS of the archive; `<day>` is the events' UTC day; `<digest>` is derived from the
 * object's event ids, so archiving the same rows again (a run that died after the upload, before
 * the delete) writes the same key with the same content.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip as gunzipCb, gzip as gzipCb } from 'node:zlib';

export const ARCHIVE_PREFIX = 'events/';
/** Changing it moves players between buckets: an erasure would then miss their older objects. */
export const ARCHIVE_BUCKETS = 16;

const gzip = promisify(gzipCb);
const gunzip = promisify(gunzipCb);

export function bucketOf(playerId: string): string {
  return (createHash('sha256').update(playerId).digest().readUInt16BE(0) % ARCHIVE_BUCKETS).toString(16).padStart(2, '0');
}

export const bucketPrefix = (bucket: string) => `${ARCHIVE_PREFIX}b=${bucket}/`;

export function objectKey(bucket: string, day: string, eventIds: string[]): string {
  const digest = createHash('sha256').update(eventIds.join('\n')).digest('hex').slice(0, 24);
  return `${bucketPrefix(bucket)}${day}/${digest}.jsonl.gz`;
}

export async function encodeLines(lines: string[]): Promise<Buffer> {
  return gzip(`${lines.join('\n')}\n`);
}

export async function decodeLines(body: Uint8Array): Promise<string[]> {
  return (await gunzip(body)).toString('utf8').split('\n').filter((l) => l.length > 0);
}

/** Whether a JSON line is an event of one of `players` (a cheap text check first, then the parsed field). */
export function isOf(line: string, players: Set<string>): boolean {
  for (const p of players) if (line.includes(JSON.stringify(p))) return players.has((JSON.parse(line) as { playerId: string }).playerId);
  return false;
}
