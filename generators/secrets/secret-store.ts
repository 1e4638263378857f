// The environment's ClusterSecretStore: AWS Secrets Manager in the cluster's region, read with the IAM role
// of the environment through IRSA (a service account annotated with the role, whose token External Secrets
// exchanges for the role's credentials). Only the namespaces that hold ExternalSecrets may use it.
import { EXTERNAL_SECRETS_NAMESPACE, SECRETS_COMPONENT } from '../../model/secrets.ts';
import type { LoadedModel } from '../../model/loaded.ts';
import { platformLabels } from '../core/labels.ts';
import type { Generator } from '../core/types.ts';
import { storedSecrets } from './catalog.ts';

/** Name of the ClusterSecretStore every ExternalSecret of a stored value names. */
export const AWS_STORE = 'aws-secrets-manager';
/** The service account External Secrets authenticates as (IRSA). */
export const AWS_STORE_SERVICE_ACCOUNT = 'external-secrets-aws';
const IRSA_ROLE_ANNOTATION = 'eks.amazonaws.com/role-arn';

/** Namespaces allowed to read from the store: those with an ExternalSecret of a stored value. */
export function storeNamespaces(model: LoadedModel): string[] {
  return [...new Set(storedSecrets(model).map((s) => s.namespace))].sort();
}

export const secretStore: Generator = ({ model }) => {
  const store = model.secrets.store;
  const labels = platformLabels(model, SECRETS_COMPONENT);
  const source = `environments.${model.environment.name}.secretStore`;
  return [
    {
      path: `platform/${SECRETS_COMPONENT}/${EXTERNAL_SECRETS_NAMESPACE}/serviceaccount-${AWS_STORE_SERVICE_ACCOUNT}.yaml`,
      source,
      object: {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: AWS_STORE_SERVICE_ACCOUNT, namespace: EXTERNAL_SECRETS_NAMESPACE, labels, annotations: { [IRSA_ROLE_ANNOTATION]: store.roleArn } },
        // External Secrets requests this account's tokens through the TokenRequest API; no pod runs as it.
        automountServiceAccountToken: false,
      },
    },
    {
      path: `platform/${SECRETS_COMPONENT}/clustersecretstore-${AWS_STORE}.yaml`,
      source,
      object: {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ClusterSecretStore',
        metadata: { name: AWS_STORE, labels },
        spec: {
          provider: {
            aws: {
              service: 'SecretsManager',
              region: store.region,
              auth: { jwt: { serviceAccountRef: { name: AWS_STORE_SERVICE_ACCOUNT, namespace: EXTERNAL_SECRETS_NAMESPACE } } },
            },
          },
          conditions: [{ namespaces: storeNamespaces(model) }],
        },
      },
    },
  ];
};
