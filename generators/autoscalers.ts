// A HorizontalPodAutoscaler (autoscaling/v2) on CPU and memory for every autoscaled service.
import { serviceLabels, tenantPath } from './labels.ts';
import type { Generator } from './types.ts';

export const autoscalers: Generator = ({ model }) =>
  model.services.flatMap((service) => {
    if (service.scaling.mode !== 'autoscale') return [];
    const { minReplicas, maxReplicas, cpuUtilization, memoryUtilization } = service.scaling;
    const utilization = (name: string, averageUtilization: number) => ({ type: 'Resource', resource: { name, target: { type: 'Utilization', averageUtilization } } });
    return [{
      path: tenantPath(service, 'HorizontalPodAutoscaler', service.name),
      source: `${service.modelPath}.scaling`,
      object: {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: service.name, namespace: service.namespace, labels: serviceLabels(model, service) },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: service.name },
          minReplicas,
          maxReplicas,
          metrics: [utilization('cpu', cpuUtilization), utilization('memory', memoryUtilization)],
        },
      },
    }];
  });
