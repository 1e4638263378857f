// A VerticalPodAutoscaler in recommendation mode (updateMode Off) for every workload: the recommender
// publishes CPU and memory recommendations in its status; nothing is evicted or rewritten.
import type { IVerticalPodAutoscaler } from '@kubernetes-models/autoscaler/autoscaling.k8s.io/v1/VerticalPodAutoscaler';
import { serviceLabels } from '../core/labels.ts';
import { workloadRef } from '../delivery/analysis-templates.ts';
import { tenantPath } from '../core/paths.ts';
import { customObject } from '../core/plain-object.ts';
import type { Generator } from '../core/types.ts';

export const VPA_UPDATE_MODE = 'Off';

export const verticalPodAutoscalers: Generator = ({ model }) =>
  model.services.map((service) => {
    return {
      path: tenantPath(service, 'VerticalPodAutoscaler', service.name),
      source: `${service.modelPath}.resources`,
      object: customObject<IVerticalPodAutoscaler>({
        apiVersion: 'autoscaling.k8s.io/v1',
        kind: 'VerticalPodAutoscaler',
        metadata: { name: service.name, namespace: service.namespace, labels: serviceLabels(model, service) },
        spec: {
          targetRef: workloadRef(service),
          updatePolicy: { updateMode: VPA_UPDATE_MODE },
          resourcePolicy: { containerPolicies: [{ containerName: service.name, controlledResources: ['cpu', 'memory'], controlledValues: 'RequestsAndLimits' }] },
        },
      }),
    };
  });
