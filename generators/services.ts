// A ClusterIP Service for every service with ports (not cron jobs).
import { selectorLabels, serviceLabels, tenantPath } from './labels.ts';
import type { Generator } from './types.ts';

export const services: Generator = ({ model }) =>
  model.services
    .filter((service) => service.kind !== 'cron-job' && service.ports.length > 0)
    .map((service) => ({
      path: tenantPath(service, 'Service', service.name),
      source: service.modelPath,
      object: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: service.name, namespace: service.namespace, labels: serviceLabels(model, service) },
        spec: {
          type: 'ClusterIP',
          selector: selectorLabels(service),
          ports: service.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.name, protocol: p.protocol })),
        },
      },
    }));
