/**
 * Tier limits across replicas, in Redis, one atomic Lua call per request:
 * - a token bucket per key (API key or user): capacity `burst`, refilled at `perMinute`;
 * - a counter per key and UTC day, capped at `perDay`;
 * - for routes with an endpoint limit, a second bucket per key and route.
 * Time is the caller's clock (`now` in ms, passed to the script), so tests drive it; replicas' clocks are
 * NTP-synchronised in the cluster and the script never moves a bucket's time backwards.
 * Only allowed requests consume. A tier with no limits never touches Redis.
 */
import type { Redis } from 'ioredis';
import type { EndpointLimits, TierLimits } from './rate-limit-config.ts';

const SCRIPT = `
local now = tonumber(ARGV[1])
local function bucket(key, rate, cap)
  local v = redis.call('HMGET', key, 'tokens', 'ts')
  local tokens, ts = tonumber(v[1]), tonumber(v[2])
  if tokens == nil then tokens = cap; ts = now end
  if now > ts then tokens = math.min(cap, tokens + (now - ts) * rate); ts = now end
  return tokens, ts
end
local quota = tonumber(ARGV[4])
local used = 0
if quota >= 0 then used = tonumber(redis.call('GET', KEYS[2]) or '0') end
local rate, cap = tonumber(ARGV[2]), tonumber(ARGV[3])
local tokens, ts = 0, now
if cap >= 0 then tokens, ts = bucket(KEYS[1], rate, cap) end
local erate, ecap = tonumber(ARGV[6]), tonumber(ARGV[7])
local etokens, ets = 0, now
if ecap >= 0 then etokens, ets = bucket(KEYS[3], erate, ecap) end
local verdict = 0
local wait = 0
if quota >= 0 and used >= quota then verdict = 2
elseif cap >= 0 and tokens < 1 then verdict = 1; wait = (1 - tokens) / rate
elseif ecap >= 0 and etokens < 1 then verdict = 3; wait = (1 - etokens) / erate end
if verdict == 0 then
  if cap >= 0 then
    tokens = tokens - 1
    redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(ts))
    redis.call('PEXPIRE', KEYS[1], math.ceil(cap / rate) + 60000)
  end
  if ecap >= 0 then
    etokens = etokens - 1
    redis.call('HSET', KEYS[3], 'tokens', tostring(etokens), 'ts', tostring(ets))
    redis.call('PEXPIRE', KEYS[3], math.ceil(ecap / erate) + 60000)
  end
  if quota >= 0 then used = redis.call('INCR', KEYS[2]); redis.call('EXPIRE', KEYS[2], tonumber(ARGV[5])) end
end
return { verdict, tostring(tokens), tostring(wait), used, tostring(etokens) }
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
  bucket: (subject: string) => `geo:rl:{${subject}}:bucket`,
  daily: (subject: string, now: number) => `geo:rl:{${subject}}:day:${utcDay(now)}`,
  endpoint: (subject: string, route: string) => `geo:rl:{${subject}}:ep:${route}`,
};

export class RateLimiter {
  private readonly redis: Redis;
  private sha: string | undefined;

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
    const keys = [limitKeys.bucket(subject), limitKeys.daily(subject, now), limitKeys.endpoint(subject, ep?.route ?? '-')];
    const args = [
      now,
      tier.perMinute === null ? 0 : tier.perMinute / 60_000,
      tier.burst ?? -1,
      tier.perDay ?? -1,
      2 * 86_400,
      ep ? ep.perMinute / 60_000 : 0,
      ep ? ep.burst : -1,
    ].map(String);
    const result = (await this.eval(keys, args)) as [number, string, string, number, string];
    const verdict = VERDICTS[result[0]];
    const tokens = Number(result[1]);
    const waitMs = Number(result[2]);
    const used = Number(result[3]);
    const untilMidnightS = Math.ceil((DAY_MS - (now % DAY_MS)) / 1000);
    const retryAfterS = verdict === 'daily' ? untilMidnightS : verdict === 'allowed' ? 0 : Math.max(1, Math.ceil(waitMs / 1000));
    const headers: Record<string, string> = {};
    const policies: string[] = [];
    if (tier.burst !== null && tier.perMinute !== null) {
      const remaining = Math.max(0, Math.floor(tokens));
      headers['ratelimit-limit'] = String(tier.burst);
      headers['ratelimit-remaining'] = String(tier.perDay === null ? remaining : Math.min(remaining, Math.max(0, tier.perDay - used)));
      // Seconds until the bucket is full again (or, when refused, until the next request may pass).
      headers['ratelimit-reset'] = String(verdict === 'allowed' ? Math.ceil(((tier.burst - tokens) / (tier.perMinute / 60_000)) / 1000) : retryAfterS);
      policies.push(`${tier.perMinute};w=60;burst=${tier.burst}`);
    }
    if (tier.perDay !== null) policies.push(`${tier.perDay};w=86400`);
    if (ep) policies.push(`${ep.perMinute};w=60;burst=${ep.burst};endpoint="${ep.route}"`);
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
