/** The RATE_LIMIT_* variables as rendered parse; each malformed value is named, all at once. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRateLimits } from '../src/rate-limit-config.ts';

test('the rendered form parses: numbers, unlimited, endpoints', () => {
  const { limits, problems } = parseRateLimits({
    RATE_LIMIT_TIERS: 'free=60/1000/100,enterprise=unlimited/unlimited/unlimited,quota-only=unlimited/50/unlimited',
    RATE_LIMIT_DEFAULT_TIER: 'free',
    RATE_LIMIT_ENDPOINTS: 'POST /v1/predict/batch=60/60',
    RATE_LIMIT_WHEN_REDIS_DOWN: 'open',
  });
  assert.deepEqual(problems, []);
  assert.deepEqual(limits.tiers.get('free'), { name: 'free', perMinute: 60, perDay: 1000, burst: 100 });
  assert.deepEqual(limits.tiers.get('enterprise'), { name: 'enterprise', perMinute: null, perDay: null, burst: null });
  assert.deepEqual(limits.tiers.get('quota-only'), { name: 'quota-only', perMinute: null, perDay: 50, burst: null });
  assert.deepEqual(limits.endpoints.get('POST /v1/predict/batch'), { route: 'POST /v1/predict/batch', perMinute: 60, burst: 60 });
});

test('every malformed value is reported, naming the variable', () => {
  const { problems } = parseRateLimits({
    RATE_LIMIT_TIERS: 'free=60/1000,pro=0/1/1,odd=unlimited/5/10,free=1/1/1',
    RATE_LIMIT_DEFAULT_TIER: 'gold',
    RATE_LIMIT_ENDPOINTS: '/v1/predict=1/1',
    RATE_LIMIT_WHEN_REDIS_DOWN: 'open',
  });
  assert.deepEqual(problems, [
    'RATE_LIMIT_TIERS entry "free=60/1000" must be <tier>=<per minute>/<per day>/<burst>, each a positive integer or unlimited (per minute and burst both or neither)',
    'RATE_LIMIT_TIERS entry "pro=0/1/1" must be <tier>=<per minute>/<per day>/<burst>, each a positive integer or unlimited (per minute and burst both or neither)',
    'RATE_LIMIT_TIERS entry "odd=unlimited/5/10" must be <tier>=<per minute>/<per day>/<burst>, each a positive integer or unlimited (per minute and burst both or neither)',
    'RATE_LIMIT_DEFAULT_TIER="gold" is not a tier of RATE_LIMIT_TIERS (free)',
    'RATE_LIMIT_ENDPOINTS entry "/v1/predict=1/1" must be <METHOD> <path>=<per minute>/<burst>',
  ]);
});
