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
      scaling: { autoscale: { minReplicas: 2, maxReplicas: 6 } },
      datastores: [{ name: 'redis' }, { name: 'minio', access: 'read' }],
      secretEnv: [{ env: 'API_KEYS', secret: 'prediction-api-api-keys', key: 'api-keys' }],
      ingress: { host: 'predict', path: '/v1' },
      rateLimits: [
        { name: 'free', requestsPerMinute: 60 },
        { name: 'standard', requestsPerMinute: 600 },
        { name: 'enterprise', requestsPerMinute: 6000 },
      ],
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
      datastores: [{ name: 'minio' }],
    },
  },
} satisfies TenantSpec<GeoClimateService>;
