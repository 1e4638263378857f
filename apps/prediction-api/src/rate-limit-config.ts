/**
 * The `RATE_LIMIT_*` variables rendered from the model's `rateLimits` (docs/service-contract.md):
 *
 *     RATE_LIMIT_TIERS=free=60/1000/100,...,enterprise=unlimited/unlimited/unlimited   (<per minute>/<per day>/<burst>)
 *     RATE_LIMIT_DEFAULT_TIER=free
 *     RATE_LIMIT_ENDPOINTS=POST /v1/predict/batch=60/60                                  (<per minute>/<burst>)
 *     RATE_LIMIT_WHEN_REDIS_DOWN=open|closed
 */

/** A limit; null is unlimited. */
export type Limit = number | null;

export interface TierLimits {
  name: string;
  perMinute: Limit;
  perDay: Limit;
  burst: Limit;
}

export interface EndpointLimits {
  /** `METHOD /path` as routed. */
  route: string;
  perMinute: number;
  burst: number;
}

export interface RateLimits {
  tiers: Map<string, TierLimits>;
  defaultTier: string;
  endpoints: Map<string, EndpointLimits>;
  whenRedisDown: 'open' | 'closed';
}

const count = (text: string): Limit | undefined => (text === 'unlimited' ? null : /^[1-9]\d{0,9}$/.test(text) ? Number(text) : undefined);

export function parseRateLimits(env: {
  RATE_LIMIT_TIERS: string;
  RATE_LIMIT_DEFAULT_TIER: string;
  RATE_LIMIT_ENDPOINTS?: string;
  RATE_LIMIT_WHEN_REDIS_DOWN: 'open' | 'closed';
}): { limits: RateLimits; problems: string[] } {
  const problems: string[] = [];
  const tiers = new Map<string, TierLimits>();
  for (const entry of env.RATE_LIMIT_TIERS.split(',')) {
    const m = /^([a-z0-9-]+)=([^/]+)\/([^/]+)\/([^/]+)$/.exec(entry.trim());
    const [perMinute, perDay, burst] = m ? [count(m[2]), count(m[3]), count(m[4])] : [];
    if (!m || perMinute === undefined || perDay === undefined || burst === undefined || (perMinute === null) !== (burst === null)) {
      problems.push(`RATE_LIMIT_TIERS entry ${JSON.stringify(entry)} must be <tier>=<per minute>/<per day>/<burst>, each a positive integer or unlimited (per minute and burst both or neither)`);
      continue;
    }
    if (tiers.has(m[1])) problems.push(`RATE_LIMIT_TIERS names tier ${JSON.stringify(m[1])} twice`);
    tiers.set(m[1], { name: m[1], perMinute, perDay, burst });
  }
  if (!tiers.has(env.RATE_LIMIT_DEFAULT_TIER))
    problems.push(`RATE_LIMIT_DEFAULT_TIER=${JSON.stringify(env.RATE_LIMIT_DEFAULT_TIER)} is not a tier of RATE_LIMIT_TIERS (${[...tiers.keys()].join(', ')})`);
  const endpoints = new Map<string, EndpointLimits>();
  for (const entry of env.RATE_LIMIT_ENDPOINTS ? env.RATE_LIMIT_ENDPOINTS.split(',') : []) {
    const m = /^((?:GET|POST|PUT|PATCH|DELETE) \/\S*)=([1-9]\d*)\/([1-9]\d*)$/.exec(entry.trim());
    if (!m) {
      problems.push(`RATE_LIMIT_ENDPOINTS entry ${JSON.stringify(entry)} must be <METHOD> <path>=<per minute>/<burst>`);
      continue;
    }
    endpoints.set(m[1], { route: m[1], perMinute: Number(m[2]), burst: Number(m[3]) });
  }
  return { limits: { tiers, defaultTier: env.RATE_LIMIT_DEFAULT_TIER, endpoints, whenRedisDown: env.RATE_LIMIT_WHEN_REDIS_DOWN }, problems };
}
