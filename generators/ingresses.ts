// An Ingress per service that declares `ingress`, served by the platform's gateway class, with TLS
// from the platform's cert-manager ClusterIssuer.
import { serviceLabels, tenantPath } from './labels.ts';
import type { Generator } from './types.ts';

export const ingresses: Generator = ({ model }) =>
  model.services.flatMap((service) => {
    if (!service.ingress) return [];
    const gateway = model.platform.ingressGateway;
    return [{
      path: tenantPath(service, 'Ingress', service.name),
      source: `${service.modelPath}.ingress`,
      object: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: {
          name: service.name,
          namespace: service.namespace,
          labels: serviceLabels(model, service),
          annotations: { 'cert-manager.io/cluster-issuer': gateway.clusterIssuer },
        },
        spec: {
          ingressClassName: gateway.ingressClassName,
          tls: [{ hosts: [service.ingress.host], secretName: `${service.name}-tls` }],
          rules: [{
            host: service.ingress.host,
            http: { paths: [{ path: service.ingress.path, pathType: 'Prefix', backend: { service: { name: service.name, port: { name: service.ports[0].name } } } }] },
          }],
        },
      },
    }];
  });
