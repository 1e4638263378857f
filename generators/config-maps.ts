// One ConfigMap per service carrying its configuration (docs/service-contract.md).
import { serviceLabels, tenantPath } from './labels.ts';
import { serviceConfig } from './service-config.ts';
import type { Generator } from './types.ts';

export const configMaps: Generator = ({ model }) =>
  model.services.map((service) => ({
    path: tenantPath(service, 'ConfigMap', `${service.name}-config`),
    source: service.modelPath,
    object: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${service.name}-config`, namespace: service.namespace, labels: serviceLabels(model, service) },
      data: serviceConfig(model, service),
    },
  }));
