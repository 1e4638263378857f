/**
 * The failure scenarios the platform committed to survive, one Chaos Mesh experiment each. Each targets one
 * service by its labels in its own namespace, names the SLO it must not break, and runs weekly in the
 * environments listed (each must declare `chaos`; the loader refuses any other, prod included).
 */
import type { ChaosExperimentSpec } from './spec.ts';

const staging = ['staging'];

export const chaosExperiments: ChaosExperimentSpec[] = [
  { scenario: 'pod-kill', service: 'event-ingestion', slo: 'availability', duration: '1m', environments: staging },
  { scenario: 'network-latency', service: 'analytics-api', slo: 'latency', duration: '10m', environments: staging },
  { scenario: 'cpu-stress', service: 'event-processor', slo: 'freshness', duration: '10m', environments: staging },
  { scenario: 'memory-stress', service: 'prediction-api', slo: 'availability', duration: '10m', environments: staging },
  { scenario: 'disk-io', service: 'event-processor', slo: 'freshness', duration: '10m', environments: staging },
  { scenario: 'container-restart-loop', service: 'user-service', slo: 'availability', duration: '1h', environments: staging },
  { scenario: 'service-unavailable', service: 'analytics-api', slo: 'availability', duration: '5m', environments: staging },
  { scenario: 'database-failover', service: 'user-service', slo: 'availability', datastore: 'timescaledb', duration: '1m', environments: staging },
  // The prediction API's checklist asks for pod failure and network chaos besides its memory stress.
  { scenario: 'pod-kill', service: 'prediction-api', slo: 'availability', duration: '1m', environments: staging },
  { scenario: 'network-latency', service: 'prediction-api', slo: 'latency', duration: '10m', environments: staging },
];
