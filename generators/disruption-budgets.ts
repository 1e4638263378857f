// A PodDisruptionBudget for every workload that runs (or can run) more than one pod. It always
// allows one voluntary disruption, so node drains never deadlock.
import { selectorLabels, serviceLabels, tenantPath } from './labels.ts';
import type { Generator } from './types.ts';

export const disruptionBudgets: Generator = ({ model }) =>
  model.services.flatMap((service) => {
    if (service.kind === 'cron-job') return [];
    const minimum = service.scaling.mode === 'fixed' ? service.scaling.replicas : service.scaling.minReplicas;
    if (minimum < 2) return [];
    return [{
      path: tenantPath(service, 'PodDisruptionBudget', service.name),
      source: `${service.modelPath}.scaling`,
      object: {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: service.name, namespace: service.namespace, labels: serviceLabels(model, service) },
        spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(service) } },
      },
    }];
  });
