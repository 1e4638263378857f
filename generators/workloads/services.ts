// A ClusterIP Service for every service with ports (not cron jobs).
import type { Service, ServicePort } from 'kubernetes-types/core/v1.js';
import type { LoadedService } from '../../model/loaded.ts';
import { selectorLabels } from '../core/labels.ts';
import { serviceObject } from './service-object.ts';
import type { Generator } from '../core/types.ts';

/** The Service ports of a service: each container port by name. */
export function servicePorts(service: LoadedService): ServicePort[] {
  return service.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.name, protocol: p.protocol }));
}

export const services: Generator = ({ model }) =>
  model.services
    .filter((service) => service.kind !== 'cron-job' && service.ports.length > 0)
    .map((service) =>
      serviceObject<Service>(model, service, 'v1', 'Service', {
        spec: {
          type: 'ClusterIP',
          selector: selectorLabels(service),
          ports: servicePorts(service),
        },
      }),
    );
