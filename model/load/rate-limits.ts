// Rate-limit tiers (formats are checked with the schema): names unique, limits consistent (a bucket refills only if it is bounded), the default tier
// and per-endpoint routes well formed; `'unlimited'` becomes null.
import type { LoadedLimit, LoadedRateLimits } from '../loaded.ts';
import { type PathSegment, unknownNameHint } from '../problems.ts';
import type { RateLimitSpec, RequestLimit } from '../spec.ts';
import { type LoadContext, noDuplicates, report } from './context.ts';
import { DEFAULT_RATE_LIMIT_WHEN_REDIS_DOWN } from './defaults.ts';

const ROUTE = /^(GET|POST|PUT|PATCH|DELETE) (\/[A-Za-z0-9._~:/-]*)$/;
const limitOf = (limit: RequestLimit): LoadedLimit => (limit === 'unlimited' ? null : limit);

export function loadRateLimits(context: LoadContext, path: PathSegment[], spec: RateLimitSpec | undefined, isCron: boolean): LoadedRateLimits | null {
  if (spec === undefined) return null;
  if (isCron) report(context, path, 'a cron job serves no requests to limit', 'remove rateLimits');
  if (spec.tiers.length === 0) report(context, [...path, 'tiers'], 'no tiers declared', "declare at least one tier, e.g. { name: 'free', requestsPerMinute: 60, dailyQuota: 1000, burst: 100 }");
  noDuplicates(context, [...path, 'tiers'], spec.tiers.map((t) => t.name));
  const tiers = spec.tiers.map((tier, i) => {
    const at = [...path, 'tiers', i];
    const burst = tier.burst ?? tier.requestsPerMinute;
    if ((burst === 'unlimited') !== (tier.requestsPerMinute === 'unlimited'))
      report(context, [...at, 'burst'], `burst ${burst} with requestsPerMinute ${tier.requestsPerMinute}: a bucket is unlimited exactly when its refill rate is`, "make both 'unlimited', or both numbers");
    // Formats (DNS label, positive integers) are checked with the schema; these are the relations between fields.
    if (typeof burst === 'number' && typeof tier.dailyQuota === 'number' && tier.dailyQuota >= 1 && burst > tier.dailyQuota)
      report(context, [...at, 'burst'], `burst ${burst} exceeds dailyQuota ${tier.dailyQuota}: the quota would cut every full burst short`, 'lower burst or raise dailyQuota');
    return { name: tier.name, requestsPerMinute: limitOf(tier.requestsPerMinute), dailyQuota: limitOf(tier.dailyQuota), burst: limitOf(burst) };
  });
  const names = tiers.map((t) => t.name);
  const defaultTier = spec.defaultTier ?? names[0] ?? '';
  if (spec.defaultTier !== undefined && !names.includes(spec.defaultTier))
    report(context, [...path, 'defaultTier'], `unknown tier "${spec.defaultTier}"`, unknownNameHint(spec.defaultTier, names));
  const endpoints = (spec.endpoints ?? []).map((e, i) => {
    const at = [...path, 'endpoints', i];
    const match = ROUTE.exec(e.route);
    if (!match) report(context, [...at, 'route'], `route "${e.route}" is not "METHOD /path"`, "write it as the service routes it, e.g. 'POST /v1/predict/batch'");
    const burst = e.burst ?? e.requestsPerMinute;
    return { method: match?.[1] ?? '', path: match?.[2] ?? '', requestsPerMinute: e.requestsPerMinute, burst };
  });
  noDuplicates(context, [...path, 'endpoints'], (spec.endpoints ?? []).map((e) => e.route));
  return { tiers, defaultTier, endpoints, whenRedisDown: spec.whenRedisDown ?? DEFAULT_RATE_LIMIT_WHEN_REDIS_DOWN };
}
