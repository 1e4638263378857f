// Secrets their consumers need in another namespace (catalog.ts `secretCopies`): a Kyverno generate rule
// per copy keeps a synchronised clone, so a rotated source reaches the consumer within seconds (Kyverno
// watches the source), like the Kafka CA copy (generators/kafka/ca-trust.ts).
import { SECRETS_COMPONENT } from '../../model/secrets.ts';
import { platformLabels } from '../core/labels.ts';
import type { Generator } from '../core/types.ts';
import { secretCopies } from './catalog.ts';

export const COPY_POLICY = 'copy-secrets';

export const secretCopiesPolicy: Generator = ({ model }) => {
  const copies = secretCopies(model);
  if (copies.length === 0) return [];
  return [{
    path: `platform/${SECRETS_COMPONENT}/clusterpolicy-${COPY_POLICY}.yaml`,
    source: 'datastores',
    object: {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: {
        name: COPY_POLICY,
        labels: platformLabels(model, SECRETS_COMPONENT),
        annotations: {
          'policies.kyverno.io/title': 'Credentials in their consumers\' namespaces',
          'policies.kyverno.io/description': 'Keeps a synchronised copy of each datastore credential (made where the datastore reads it) in the namespace of the service that uses it, of the migrator credential in the namespace of the migration Job, and of the MirrorMaker 2 user Secret in the Kafka namespace.',
        },
      },
      spec: {
        generateExisting: true,
        rules: copies.map((c) => ({
          name: `copy-${c.name}`.slice(0, 63),
          match: { any: [{ resources: { kinds: ['Namespace'], names: [c.to] } }] },
          generate: { apiVersion: 'v1', kind: 'Secret', name: c.name, namespace: c.to, synchronize: true, clone: { namespace: c.from, name: c.source } },
        })),
      },
    },
  }];
};
