// One ConfigMap per service carrying its configuration (docs/service-contract.md).
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import { serviceConfig } from './service-config.ts';
import { serviceObject } from './service-object.ts';
import type { Generator } from '../core/types.ts';

export const configMaps: Generator = ({ model }) =>
  model.services.map((service) => serviceObject<ConfigMap>(model, service, 'v1', 'ConfigMap', { data: serviceConfig(model, service) }, { name: `${service.name}-config` }));
