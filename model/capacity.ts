/**
 * Capacity and cost: the list prices `npm run cost` applies to requested CPU and memory, and the quotas of the
 * namespaces no tenant owns (tenants' quotas are in their own files). Prices are EKS on-demand list prices of a
 * general-purpose instance split into its vCPU and memory share, in USD.
 */
import type { CapacitySpec } from './spec.ts';

export const capacity: CapacitySpec = {
  prices: { currency: 'USD', cpuCoreHour: 0.0316, memoryGiBHour: 0.0042 },
  platformNamespaceQuota: {
    requests: { cpu: '8', memory: '16Gi' },
    limits: { cpu: '32', memory: '64Gi' },
    pods: 60,
  },
  namespaceQuotas: {
    // The datastores' pods and volumes (prod: TimescaleDB 3 × 500Gi, MinIO 4 × 1000Gi, Redis and Qdrant).
    data: { requests: { cpu: '32', memory: '128Gi' }, limits: { cpu: '96', memory: '384Gi' }, pods: 60, persistentVolumeClaims: 20, storage: '8Ti' },
    // Brokers and controllers with their volumes, the entity operator, exporter and MirrorMaker 2.
    kafka: { requests: { cpu: '32', memory: '96Gi' }, limits: { cpu: '96', memory: '256Gi' }, pods: 40, persistentVolumeClaims: 12, storage: '4Ti' },
    // Prometheus, Alertmanager, Loki, Tempo and Thanos with their volumes.
    monitoring: { requests: { cpu: '16', memory: '64Gi' }, limits: { cpu: '48', memory: '192Gi' }, pods: 80, persistentVolumeClaims: 20, storage: '4Ti' },
  },
};
