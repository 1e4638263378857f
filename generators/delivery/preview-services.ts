// The preview Service of each blue-green Rollout: the same ports and selector as the active one; the
// Rollouts controller narrows each to its version's pods.
import type { Service } from 'kubernetes-types/core/v1.js';
import { selectorLabels } from '../core/labels.ts';
import type { Generator } from '../core/types.ts';
import { serviceObject } from '../workloads/service-object.ts';
import { previewServiceName } from './rollouts.ts';

export const previewServices: Generator = ({ model }) =>
  model.services
    .filter((service) => service.delivery === 'blue-green')
    .map((service) =>
      serviceObject<Service>(model, service, 'v1', 'Service', {
        spec: { type: 'ClusterIP', selector: selectorLabels(service), ports: service.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.name, protocol: p.protocol })) },
      }, { name: previewServiceName(service), sourceSuffix: '.delivery' }),
    );
