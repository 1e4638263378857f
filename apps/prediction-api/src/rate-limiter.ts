/**
 * Tier limits across replicas, in Redis, one atomic Lua call per request:
 * - a sliding-window log per key (API key or user): a sorted set of the allowed requests' times; a request
 *   passes when fewer than `burst` requests fall in the window of the last `burst / perMinute` minutes
 *   (free: 100 in any 100 s). So `burst` requests may come at one instant, and over time the rate is
 *   `perMinute`; a request leaves the window exactly one window after it was made, which gives Retry-After;
 * - a counter per key and UTC day, capped at `perDay` (a calendar quota: it resets at 00:00 UTC);
 * - for routes with an endpoint limit, a second log per key and route (window `burst / perMinute` too).
 * Time is the caller's clock (`now` in ms, passed to the script), so tests drive it; replicas' clocks are
 * NTP-synchronised in the cluster. Only allowed requests are logged and counted. A log holds at most `burst`
 * entries and expires one window after its last request. A tier with no limits never touches Redis.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { EndpointLimits, TierLimits } from './rate-limit-config.ts';

const SCRIPT = `
local now = tonumber(ARGV[1])
-- Drops what left the window; returns the count in it and, when full, the ms until one more may pass.
local function slide(key, span, limit)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - span)
  local n = redis.call('ZCARD', key)
  if n < limit then return n, 0 end
  local leaving = redis.call('ZRANGE', key, n - limit, n - limit, 'WITHSCORES')
  return n, tonumber(leaving[2]) + span - now
end
local quota = tonumber(ARGV[4])
local used = 0
if quota >= 0 then used = tonumber(redis.call('GET', KEYS[2]) or '0') end
local span, limit = tonumber(ARGV[2]), tonumber(ARGV[3])
local espan, elimit = tonumber(ARGV[6]), tonumber(ARGV[7])
local count, wait, ecount, ewait = 0, 0, 0, 0
if limit >= 0 then count, wait = slide(KEYS[1], span, limit) end
if elimit >= 0 then ecount, ewait = slide(KEYS[3], espan, elimit) end
local verdict = 0
if quota >= 0 and used >= quota then verdict = 2
elseif limit >= 0 and count >= limit then verdict = 1
elseif elimit >= 0 and ecount >= elimit then verdict = 3; wait = ewait end
local oldest = now
if verdict == 0 then
  if limit >= 0 then
    redis.call('ZADD', KEYS[1], now, ARGV[8])
    redis.call('PEXPIRE', KEYS[1], span)
    count = count + 1
    oldest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
  end
  if elimit >= 0 then
    redis.call('ZADD', KEYS[3], now, ARGV[8])
    redis.call('PEXPIRE', KEYS[3], espan)
  end
  if quota >= 0 then used = redis.call('INCR', KEYS[2]); redis.call('EXPIRE', KEYS[2], tonumber(ARGV[5])) end
end
return { verdict, count, tostring(wait), used, tostring(oldest) }
`;

export type Verdict = 'allowed' | 'rate' | 'daily' | 'endpoint';
const VERDICTS: Verdict[] = ['allowed', 'rate', 'daily', 'endpoint'];

export interface Decision {
  verdict: Verdict;
  /** Seconds to wait before retrying (0 when allowed). */
  retryAfterS: number;
  /** RateLimit-* header values. */
  headers: Record<string, string>;
}

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of the UTC day `now` falls in. */
export const utcDay = (now: number) => new Date(now).toISOString().slice(0, 10);

/** The Redis keys of a subject's limits (tests seed the daily counter through `dailyKey`). */
export const limitKeys = {
  window: (subject: string) => `geo:rl:{${subject}}:window`,
  daily: (subject: string, now: number) => `geo:rl:{${subject}}:day:${utcDay(now)}`,
  endpoint: (subject: string, route: string) => `geo:rl:{${subject}}:ep:${route}`,
};

/** A window's length in ms: the time `perMinute` takes to allow `burst` requests. */
export const windowMs = (burst: number, perMinute: number) => Math.ceil((burst * 60_000) / perMinute);

export class RateLimiter {
  private readonly redis: Redis;
  private sha: string | undefined;
  /** Log entries are `<replica>:<sequence>`: unique across replicas, short. */
  private readonly replica = randomBytes(6).toString('base64url');
  private sequence = 0;

  constructor(redis: Redis) {
    this.redis = redis;
  }

  /** Whether `tier` has any limit at all (an unlimited tier skips Redis, endpoint limits included). */
  static limited(tier: TierLimits): boolean {
    return tier.perMinute !== null || tier.perDay !== null;
  }

  /** Throws when Redis cannot answer; the caller applies the fail-open/closed rule. */
  async check(subject: string, tier: TierLimits, endpoint: EndpointLimits | undefined, now: number): Promise<Decision> {
    // An unlimited tier is not limited per endpoint either (docs/rate-limits.md).
    const ep = tier.burst === null ? undefined : endpoint;
    const keys = [limitKeys.window(subject), limitKeys.daily(subject, now), limitKeys.endpoint(subject, ep?.route ?? '-')];
    const span = tier.burst !== null && tier.perMinute !== null ? windowMs(tier.burst, tier.perMinute) : 0;
    const espan = ep ? windowMs(ep.burst, ep.perMinute) : 0;
    this.sequence = (this.sequence + 1) % Number.MAX_SAFE_INTEGER;
    const args = [now, span, tier.burst ?? -1, tier.perDay ?? -1, 2 * 86_400, espan, ep ? ep.burst : -1, `${this.replica}:${this.sequence.toString(36)}`].map(String);
    const result = (await this.eval(keys, args)) as [number, number, string, number, string];
    const verdict = VERDICTS[result[0]];
    const count = Number(result[1]);
    const waitMs = Number(result[2]);
    const used = Number(result[3]);
    const oldest = Number(result[4]);
    const untilMidnightS = Math.ceil((DAY_MS - (now % DAY_MS)) / 1000);
    const retryAfterS = verdict === 'daily' ? untilMidnightS : verdict === 'allowed' ? 0 : Math.max(1, Math.ceil(waitMs / 1000));
    const headers: Record<string, string> = {};
    const policies: string[] = [];
    if (tier.burst !== null && tier.perMinute !== null) {
      const remaining = Math.max(0, tier.burst - count);
      headers['ratelimit-limit'] = String(tier.burst);
      headers['ratelimit-remaining'] = String(tier.perDay === null ? remaining : Math.min(remaining, Math.max(0, tier.perDay - used)));
      // Seconds until one more request fits the window: the oldest one in it leaves (or, refused, Retry-After).
      headers['ratelimit-reset'] = String(verdict === 'allowed' ? Math.max(0, Math.ceil((oldest + span - now) / 1000)) : retryAfterS);
      policies.push(`${tier.burst};w=${Math.ceil(span / 1000)}`);
    }
    if (tier.perDay !== null) policies.push(`${tier.perDay};w=86400`);
    if (ep) policies.push(`${ep.burst};w=${Math.ceil(espan / 1000)};endpoint="${ep.route}"`);
    if (policies.length > 0) headers['ratelimit-policy'] = policies.join(', ');
    if (verdict === 'daily') {
      headers['ratelimit-remaining'] = '0';
      headers['ratelimit-reset'] = String(untilMidnightS);
    }
    return { verdict, retryAfterS, headers };
  }

  private async eval(keys: string[], args: string[]): Promise<unknown> {
    if (this.sha) {
      try {
        return await this.redis.evalsha(this.sha, keys.length, ...keys, ...args);
      } catch (e) {
        if (!String((e as Error).message).includes('NOSCRIPT')) throw e;
      }
    }
    this.sha = (await this.redis.script('LOAD', SCRIPT)) as string;
    return this.redis.evalsha(this.sha, keys.length, ...keys, ...args);
  }
}
