/**
 * Keys by owner, held as SHA-256 digests, never the keys themselves: event-ingestion's per-tenant API keys
 * (`API_KEYS`) and admin-dashboard's operator tokens (`OPERATOR_TOKENS`) alike:
 *
 *     API_KEYS=<owner>:<sha256 hex of the key>[,<owner>:<sha256 hex>...]
 *
 * Entries are separated by commas or newlines; an owner may have several (key rotation). Keys are
 * random tokens of at least 128 bits, so a plain SHA-256 is enough (no password stretching needed).
 * Clients send the key as `X-API-Key: <key>` or `Authorization: Bearer <key>`.
 */
import { createHash } from 'node:crypto';

export type ApiKeys = ReadonlyMap<string, string>;

const entryPattern = /^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?):([0-9a-f]{64})$/;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Parse a key list (`variable` names it in problems); returns the digest → owner map, or every malformed entry. */
export function parseApiKeys(value: string, variable = 'API_KEYS', owner = 'tenant'): { keys: ApiKeys; problems: string[] } {
  const keys = new Map<string, string>();
  const problems: string[] = [];
  const entries = value
    .split(/[,\n]/)
    .map((e) => e.trim())
    .filter((e) => e !== '');
  entries.forEach((entry, i) => {
    const m = entryPattern.exec(entry);
    if (!m) {
      problems.push(`${variable} entry ${i + 1} is not "<${owner}>:<64 lowercase hex sha256 digest>"`);
      return;
    }
    const previous = keys.get(m[3]);
    if (previous && previous !== m[1]) problems.push(`${variable} entry ${i + 1}: the same key digest is listed for ${owner}s ${previous} and ${m[1]}`);
    keys.set(m[3], m[1]);
  });
  if (entries.length === 0) problems.push(`${variable} has no entries`);
  return { keys, problems };
}

/** The presented key from the request headers, if any. */
export function presentedKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const direct = headers['x-api-key'];
  if (typeof direct === 'string' && direct !== '') return direct;
  const auth = headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7).trim() || undefined;
  return undefined;
}

/** The owner a key belongs to, or undefined. */
export function tenantOf(keys: ApiKeys, key: string): string | undefined {
  return keys.get(hashApiKey(key));
}
