// A HorizontalPodAutoscaler (autoscaling/v2) on CPU and memory for every autoscaled service.
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerSpec, MetricSpec } from 'kubernetes-types/autoscaling/v2.js';
import { serviceObject } from './service-object.ts';
import { workloadRef } from '../delivery/analysis-templates.ts';
import type { Generator } from '../core/types.ts';

const utilization = (name: string, averageUtilization: number): MetricSpec => ({ type: 'Resource', resource: { name, target: { type: 'Utilization', averageUtilization } } });

export const autoscalers: Generator = ({ model }) =>
  model.services.flatMap((service) => {
    if (service.scaling.mode !== 'autoscale') return [];
    const { minReplicas, maxReplicas, cpuUtilization, memoryUtilization } = service.scaling;
    const spec: HorizontalPodAutoscalerSpec = {
      // Services delivered progressively run as an Argo Rollout, which serves the scale subresource.
      scaleTargetRef: workloadRef(service),
      minReplicas,
      maxReplicas,
      metrics: [utilization('cpu', cpuUtilization), utilization('memory', memoryUtilization)],
    };
    return [serviceObject<HorizontalPodAutoscaler>(model, service, 'autoscaling/v2', 'HorizontalPodAutoscaler', { spec }, { sourceSuffix: '.scaling' })];
  });
