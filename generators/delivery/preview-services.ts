// The preview Service of each blue-green Rollout: the same ports and selector as the active one; the
// Rollouts controller narrows each to its version's pods.
import type { Service } from 'kubernetes-types/core/v1.js';
import { selectorLabels } from '../core/labels.ts';
import type { Generator } from '../core/types.ts';
import { serviceObject } from '../workloads/service-object.ts';
import { servicePorts } from '../workloads/services.ts';
import { previewServiceName } from './rollouts.ts';

export const previewServices: Generator = ({ model }) =>
  model.services
    .filter((service) => service.delivery === 'blue-green')
    .map((service) =>
      serviceObject<Service>(model, service, 'v1', 'Service', {
        spec: { type: 'ClusterIP', selector: selectorLabels(service), ports: servicePorts(service) },
      }, { name: previewServiceName(service), sourceSuffix: '.delivery' }),
    );
