/** cert-manager ClusterIssuers: Ingresses name one through `ingressGateway.clusterIssuer`. */
import type { ClusterIssuerSpec } from './spec.ts';

export const clusterIssuers = {
  letsencrypt: {
    description: "Let's Encrypt production: public certificates for every ingress host, HTTP-01 through the ingress gateway.",
    acme: { server: 'https://acme-v02.api.letsencrypt.org/directory', email: 'platform-team@gamemetrics.dev' },
  },
} satisfies Record<string, ClusterIssuerSpec>;
