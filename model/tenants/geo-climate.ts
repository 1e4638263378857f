/**
 * Geo-Sentiment Climate: a climate-sentiment prediction API sold in tiers, and the job that trains its model.
 */
import type { GeoClimateService } from '../names.ts';
import type { TenantSpec } from '../spec.ts';

export const geoClimate = {
  displayName: 'Geo-Sentiment Climate',
  description: 'Predicts regional climate sentiment; API keys with tiered rate limits.',
  owners: [{ team: 'geo-climate', email: 'geo-climate@gamemetrics.dev', slack: '#geo-climate' }],
  costCentre: 'cc-2001-geo-climate',
  namespaces: ['geo-climate'],
  quota: {
    requests: { cpu: '8', memory: '16Gi' },
    limits: { cpu: '24', memory: '48Gi' },
    pods: 40,
  },
  services: {
    'prediction-api': {
      description: 'Serves predictions to API-key holders, rate limited per tier.',
      kind: 'http-api',
      image: 'registry.gamemetrics.dev/geo-climate/prediction-api',
      resources: 'medium',
      // Also on traffic: 200 requests/s per pod (about 0.1 core at the measured 0.46 ms of CPU per request with the
      // limiter, docs/BENCHMARKS.md), well below a pod's 1-core limit, so pods are added as load rises (GEO-30).
      scaling: { autoscale: { minReplicas: 2, maxReplicas: 6, requestsPerSecond: 200 } },
      // Accounts, roles, API keys and refresh tokens in PostgreSQL; rate-limit buckets in Redis; models from MinIO,
      // where a promotion writes models/current.json (hence read-write).
      datastores: [{ name: 'timescaledb' }, { name: 'redis' }, { name: 'minio', bucket: 'gamemetrics-models' }],
      // Loads each promoted model version from the bucket and refuses a broken one (PredictionModelLoadFailed).
      servesModel: true,
      // The Ed25519 private key (PKCS#8 PEM) the access tokens are signed with; its public half is served as the JWKS.
      // The transactional mail relay's endpoint and bearer secret: password-reset tokens go out through it.
      secretEnv: [
        { env: 'JWT_SIGNING_KEY', secret: 'prediction-api-jwt', key: 'signing-key' },
        { env: 'MAIL_RELAY_URL', secret: 'prediction-api-mail-relay', key: 'url' },
        { env: 'MAIL_RELAY_SECRET', secret: 'prediction-api-mail-relay', key: 'secret' },
      ],
      externalEgress: [{ external: 'transactional mail relay' }],
      ingress: { host: 'predict', path: '/v1' },
      // Released blue-green (PRG-08): the new version is analysed behind prediction-api-preview before it takes the
      // traffic and again after; a failure switches back to the old pods (docs/runbooks/prediction-api-rollback.md).
      delivery: 'blue-green',
      rateLimits: {
        tiers: [
          { name: 'free', requestsPerMinute: 60, dailyQuota: 1000, burst: 100 },
          { name: 'basic', requestsPerMinute: 300, dailyQuota: 10000, burst: 500 },
          { name: 'pro', requestsPerMinute: 1000, dailyQuota: 100000, burst: 2000 },
          { name: 'enterprise', requestsPerMinute: 'unlimited', dailyQuota: 'unlimited', burst: 'unlimited' },
        ],
        defaultTier: 'free',
        // A batch costs up to 100 predictions: at most 60 batches a minute per key, on top of the tier.
        endpoints: [{ route: 'POST /v1/predict/batch', requestsPerMinute: 60 }],
        // Paying customers keep getting predictions while Redis is away (degraded, unlimited, counted in a metric).
        whenRedisDown: 'open',
      },
      // Paying customers notice 1 % of failed predictions: the error alert is stricter than the platform's 5 %.
      alerts: { errorPercent: 1 },
      slos: [
        { name: 'availability', kind: 'availability', objective: 99.5, description: 'Paying customers get predictions.' },
        { name: 'latency', kind: 'latency', objective: 95, thresholdMs: 500, description: 'A prediction arrives within half a second.' },
      ],
    },
    'model-training': {
      description: 'Weekly: retrains the sentiment model and publishes it to object storage.',
      kind: 'cron-job',
      image: 'registry.gamemetrics.dev/geo-climate/model-training',
      resources: 'large',
      schedule: '0 2 * * 0',
      datastores: [{ name: 'minio', bucket: 'gamemetrics-models' }],
    },
  },
} satisfies TenantSpec<GeoClimateService>;
