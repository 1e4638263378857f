// cert-manager ClusterIssuers from the model: ACME, solving HTTP-01 challenges with an Ingress of the
// gateway's class, so the same gateway that serves a host proves it.
import type { IClusterIssuer } from '@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer';
import { CLUSTER_ISSUERS_COMPONENT } from '../../model/platform-components.ts';
import { platformLabels } from '../core/labels.ts';
import { customObject } from '../core/plain-object.ts';
import type { Generator } from '../core/types.ts';

/** The Secret cert-manager keeps the ACME account key in (created by cert-manager in its own namespace). */
export function accountKeySecret(issuer: string): string {
  return `${issuer}-account-key`;
}

export const clusterIssuers: Generator = ({ model }) =>
  model.clusterIssuers.map((issuer) => ({
    path: `platform/${CLUSTER_ISSUERS_COMPONENT}/_cluster/clusterissuer-${issuer.name}.yaml`,
    source: issuer.modelPath,
    object: customObject<IClusterIssuer>({ apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: issuer.name, labels: platformLabels(model, CLUSTER_ISSUERS_COMPONENT) },
      spec: {
        acme: {
          server: issuer.acme.server,
          email: issuer.acme.email,
          privateKeySecretRef: { name: accountKeySecret(issuer.name) },
          // `class` (not ingressClassName, absent from the cert-manager types this repository validates against): cert-manager sets it as the solver Ingress's class.
          solvers: [{ http01: { ingress: { class: model.platform.ingressGateway.ingressClassName } } }],
        },
      },
    }),
  }));
