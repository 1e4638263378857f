// A HorizontalPodAutoscaler (autoscaling/v2) on CPU and memory for every autoscaled service, and on requests per
// second per pod (a Pods metric the Prometheus Adapter serves, generators/platform/prometheus-adapter.ts) where the
// model sets `requestsPerSecond`, with its scaling behaviour written out in full from the model (AutoscaleBehavior).
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerBehavior, HorizontalPodAutoscalerSpec, MetricSpec } from 'kubernetes-types/autoscaling/v2.js';
import type { LoadedScaling } from '../../model/loaded.ts';
import { serviceObject } from './service-object.ts';
import { workloadRef } from '../delivery/analysis-templates.ts';
import type { Generator } from '../core/types.ts';
import { REQUESTS_PER_SECOND_METRIC } from '../platform/prometheus-adapter.ts';

const utilization = (name: string, averageUtilization: number): MetricSpec => ({ type: 'Resource', resource: { name, target: { type: 'Utilization', averageUtilization } } });
const perPod = (name: string, averageValue: number): MetricSpec => ({ type: 'Pods', pods: { metric: { name }, target: { type: 'AverageValue', averageValue: String(averageValue) } } });

/** The periods the model's scale-up and scale-down limits are per. */
export const SCALE_UP_PERIOD_SECONDS = 15;
export const SCALE_DOWN_PERIOD_SECONDS = 60;

function behavior({ scaleUpPercent, scaleUpPods, scaleDownStabilizationSeconds, scaleDownPercent }: Extract<LoadedScaling, { mode: 'autoscale' }>['behavior']): HorizontalPodAutoscalerBehavior {
  return {
    scaleUp: {
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Max',
      policies: [
        { type: 'Percent', value: scaleUpPercent, periodSeconds: SCALE_UP_PERIOD_SECONDS },
        { type: 'Pods', value: scaleUpPods, periodSeconds: SCALE_UP_PERIOD_SECONDS },
      ],
    },
    scaleDown: {
      stabilizationWindowSeconds: scaleDownStabilizationSeconds,
      selectPolicy: 'Max',
      policies: [{ type: 'Percent', value: scaleDownPercent, periodSeconds: SCALE_DOWN_PERIOD_SECONDS }],
    },
  };
}

export const autoscalers: Generator = ({ model }) =>
  model.services.flatMap((service) => {
    if (service.scaling.mode !== 'autoscale') return [];
    const { minReplicas, maxReplicas, cpuUtilization, memoryUtilization, requestsPerSecond } = service.scaling;
    const spec: HorizontalPodAutoscalerSpec = {
      // Services delivered progressively run as an Argo Rollout, which serves the scale subresource.
      scaleTargetRef: workloadRef(service),
      minReplicas,
      maxReplicas,
      metrics: [
        utilization('cpu', cpuUtilization),
        utilization('memory', memoryUtilization),
        ...(requestsPerSecond !== null ? [perPod(REQUESTS_PER_SECOND_METRIC, requestsPerSecond)] : []),
      ],
      behavior: behavior(service.scaling.behavior),
    };
    return [serviceObject<HorizontalPodAutoscaler>(model, service, 'autoscaling/v2', 'HorizontalPodAutoscaler', { spec }, { sourceSuffix: '.scaling' })];
  });
