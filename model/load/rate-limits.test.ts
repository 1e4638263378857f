import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { environments } from '../../environments/index.ts';
import { loadModel, tryLoadModel } from '../../render/sources.ts';
import { platform } from '../platform.ts';
import { formatProblem } from '../problems.ts';
import type { EnvironmentSpec, PlatformSpec } from '../spec.ts';

const TODAY = '2026-11-22';
const AT = 'tenants.geo-climate.services.prediction-api';

/** The problems of dev with prediction-api's `rateLimits` (or datastores) edited. */
function problemsOf(edit: (api: any, training: any) => void): string[] {
  const spec = structuredClone(platform) as PlatformSpec;
  const services = (spec.tenants as any)['geo-climate'].services;
  edit(services['prediction-api'], services['model-training']);
  const result = tryLoadModel('dev', { platform: spec, environments: structuredClone(environments) as EnvironmentSpec[], today: TODAY });
  return 'problems' in result ? result.problems.map(formatProblem) : [];
}

describe('rate-limit tiers in the model', () => {
  test('the shipped tiers load with their limits; unlimited is null, burst defaults to the per-minute rate', () => {
    const limits = loadModel('dev', { today: TODAY }).services.find((s) => s.name === 'prediction-api')!.rateLimits!;
    assert.deepEqual(limits.tiers, [
      { name: 'free', requestsPerMinute: 60, dailyQuota: 1000, burst: 100 },
      { name: 'basic', requestsPerMinute: 300, dailyQuota: 10000, burst: 500 },
      { name: 'pro', requestsPerMinute: 1000, dailyQuota: 100000, burst: 2000 },
      { name: 'enterprise', requestsPerMinute: null, dailyQuota: null, burst: null },
    ]);
    assert.equal(limits.defaultTier, 'free');
    assert.equal(limits.whenRedisDown, 'open');
    assert.deepEqual(limits.endpoints, [{ method: 'POST', path: '/v1/predict/batch', requestsPerMinute: 60, burst: 60 }]);
  });

  test('consistent edits load: no endpoints, fail closed, default burst', () => {
    assert.deepEqual(problemsOf((api) => {
      api.rateLimits.endpoints = [];
      api.rateLimits.whenRedisDown = 'closed';
      delete api.rateLimits.tiers[0].burst;
    }), []);
  });

  const cases: Array<[string, (api: any, training: any) => void, string[]]> = [
    ['a bucket limited on one side only', (api) => { api.rateLimits.tiers[1].burst = 'unlimited'; },
      [`${AT}.rateLimits.tiers[1].burst: burst unlimited with requestsPerMinute 300: a bucket is unlimited exactly when its refill rate is (make both 'unlimited', or both numbers)`]],
    ['a burst above the daily quota', (api) => { api.rateLimits.tiers[0].burst = 5000; },
      [`${AT}.rateLimits.tiers[0].burst: burst 5000 exceeds dailyQuota 1000: the quota would cut every full burst short (lower burst or raise dailyQuota)`]],
    ['a zero limit', (api) => { api.rateLimits.tiers[2].dailyQuota = 0; },
      [`${AT}.rateLimits.tiers[2].dailyQuota: 0 is not a positive integer (a whole number of at least 1)`]],
    ['a tier twice and a bad name', (api) => { api.rateLimits.tiers[1].name = 'free'; api.rateLimits.tiers[2].name = 'Pro'; },
      [`${AT}.rateLimits.tiers[2].name: "Pro" is not a DNS label (use lowercase letters, digits and "-", at most 63 characters)`, `${AT}.rateLimits.tiers: "free" is listed twice (remove the duplicate)`]],
    ['an unknown default tier', (api) => { api.rateLimits.defaultTier = 'fre'; },
      [`${AT}.rateLimits.defaultTier: unknown tier "fre" (did you mean "free"?)`]],
    ['a malformed endpoint route', (api) => { api.rateLimits.endpoints[0].route = '/v1/predict/batch'; },
      [`${AT}.rateLimits.endpoints[0].route: route "/v1/predict/batch" is not "METHOD /path" (write it as the service routes it, e.g. 'POST /v1/predict/batch')`]],
    ['no tiers', (api) => { api.rateLimits.tiers = []; api.rateLimits.defaultTier = undefined; },
      [`${AT}.rateLimits.tiers: no tiers declared (declare at least one tier, e.g. { name: 'free', requestsPerMinute: 60, dailyQuota: 1000, burst: 100 })`]],
    ['rate limits on a cron job', (_api, training) => { training.rateLimits = { tiers: [{ name: 'free', requestsPerMinute: 1, dailyQuota: 1 }] }; },
      ['tenants.geo-climate.services.model-training.rateLimits: a cron job serves no requests to limit (remove rateLimits)']],
    ['an unknown bucket', (api) => { api.datastores[2].bucket = 'gamemetrics-model'; },
      [`${AT}.datastores[2].bucket: unknown bucket "gamemetrics-model" (did you mean "gamemetrics-models"?)`]],
    ['a bucket on a database', (api) => { api.datastores[0].bucket = 'x'; },
      [`${AT}.datastores[0].bucket: datastore "timescaledb" is not object storage (only a minio datastore has buckets: remove bucket)`]],
  ];
  for (const [name, edit, expected] of cases) test(`refused: ${name}, naming the path`, () => assert.deepEqual(problemsOf(edit), expected));
});
