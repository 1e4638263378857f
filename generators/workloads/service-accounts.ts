// One ServiceAccount per service; its token is mounted only when the service calls the Kubernetes API.
import { serviceObject } from './service-object.ts';
import type { Generator } from '../core/types.ts';

export const serviceAccounts: Generator = ({ model }) =>
  model.services.map((service) => serviceObject(model, service, 'v1', 'ServiceAccount', { automountServiceAccountToken: service.kubernetesApiAccess }));
