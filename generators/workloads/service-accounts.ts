// One ServiceAccount per service; its token is mounted only when the service calls the Kubernetes API.
import type { ServiceAccount } from 'kubernetes-types/core/v1.js';
import { serviceObject } from './service-object.ts';
import type { Generator } from '../core/types.ts';

export const serviceAccounts: Generator = ({ model }) =>
  model.services.map((service) => serviceObject<ServiceAccount>(model, service, 'v1', 'ServiceAccount', { automountServiceAccountToken: service.kubernetesApiAccess }));
