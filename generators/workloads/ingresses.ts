// An Ingress per service that declares `ingress`, served by the platform's gateway class, with TLS
// from the platform's cert-manager ClusterIssuer.
import type { Ingress, IngressBackend, IngressSpec } from 'kubernetes-types/networking/v1.js';
import { serviceObject } from './service-object.ts';
import type { Generator } from '../core/types.ts';

export const ingresses: Generator = ({ model }) =>
  model.services.flatMap((service) => {
    if (!service.ingress) return [];
    const gateway = model.platform.ingressGateway;
    const backend: IngressBackend = { service: { name: service.name, port: { name: service.ports[0].name } } };
    const spec: IngressSpec = {
      ingressClassName: gateway.ingressClassName,
      tls: [{ hosts: [service.ingress.host], secretName: `${service.name}-tls` }],
      rules: [{ host: service.ingress.host, http: { paths: [{ path: service.ingress.path, pathType: 'Prefix', backend }] } }],
    };
    return [serviceObject<Ingress>(model, service, 'networking.k8s.io/v1', 'Ingress', { spec }, { sourceSuffix: '.ingress', annotations: { 'cert-manager.io/cluster-issuer': gateway.clusterIssuer } })];
  });
