// A HorizontalPodAutoscaler (autoscaling/v2) on CPU and memory for every autoscaled service.
import { serviceObject } from './service-object.ts';
import type { Generator } from '../core/types.ts';

const utilization = (name: string, averageUtilization: number) => ({ type: 'Resource', resource: { name, target: { type: 'Utilization', averageUtilization } } });

export const autoscalers: Generator = ({ model }) =>
  model.services.flatMap((service) => {
    if (service.scaling.mode !== 'autoscale') return [];
    const { minReplicas, maxReplicas, cpuUtilization, memoryUtilization } = service.scaling;
    const spec = {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: service.name },
      minReplicas,
      maxReplicas,
      metrics: [utilization('cpu', cpuUtilization), utilization('memory', memoryUtilization)],
    };
    return [serviceObject(model, service, 'autoscaling/v2', 'HorizontalPodAutoscaler', { spec }, { sourceSuffix: '.scaling' })];
  });
