// One ServiceAccount per service; its token is mounted only when the service calls the Kubernetes API.
import { serviceLabels, tenantPath } from './labels.ts';
import type { Generator } from './types.ts';

export const serviceAccounts: Generator = ({ model }) =>
  model.services.map((service) => ({
    path: tenantPath(service, 'ServiceAccount', service.name),
    source: service.modelPath,
    object: {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: service.name, namespace: service.namespace, labels: serviceLabels(model, service) },
      automountServiceAccountToken: service.kubernetesApiAccess,
    },
  }));
