// The IngressClass every service Ingress names (`ingressGateway.ingressClassName`), served by the controller the model declares.
import type { IngressClass } from 'kubernetes-types/networking/v1.js';
import { INGRESS_CLASS_COMPONENT } from '../../model/platform-components.ts';
import { platformLabels } from '../core/labels.ts';
import { typedObject } from '../core/typed-object.ts';
import type { Generator } from '../core/types.ts';

export const ingressClass: Generator = ({ model }) => {
  const gateway = model.platform.ingressGateway;
  return [{
    path: `platform/${INGRESS_CLASS_COMPONENT}/_cluster/ingressclass-${gateway.ingressClassName}.yaml`,
    source: 'ingressGateway.ingressClassName',
    object: typedObject<IngressClass>({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: gateway.ingressClassName, labels: platformLabels(model, INGRESS_CLASS_COMPONENT) },
      spec: { controller: gateway.controller },
    }),
  }];
};
