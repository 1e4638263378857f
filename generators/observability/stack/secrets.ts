// The monitoring stack's Secrets, held in AWS Secrets Manager and materialised by External Secrets
// (generators/secrets/ renders their ExternalSecrets): the receivers' routing keys and webhook URLs, the
// object store's key pair, Grafana's admin login; and Thanos' objstore.yml, templated from that key pair.
import { goDuration, remoteKey } from '../../../model/secrets.ts';
import type { LoadedModel } from '../../../model/loaded.ts';
import { OBSERVABILITY_COMPONENT } from '../../../model/platform-components.ts';
import { platformLabels } from '../../core/labels.ts';
import type { Generator } from '../../core/types.ts';
import type { StoredSecret } from '../../secrets/catalog.ts';
import { AWS_STORE } from '../../secrets/secret-store.ts';
import { receiverKeys } from './alertmanager.ts';
import { ALERTMANAGER_RECEIVERS_SECRET, GRAFANA_ADMIN_KEYS, GRAFANA_ADMIN_SECRET, OBJECT_STORE_KEYS, OBJECT_STORE_SECRET, THANOS_OBJSTORE_KEY, THANOS_OBJSTORE_SECRET, monitoringInstalled } from './names.ts';

export function stackSecrets(model: LoadedModel): StoredSecret[] {
  if (!monitoringInstalled(model)) return [];
  const namespace = model.platform.monitoring.namespace;
  const rotation = model.secrets.rotation;
  const secret = (name: string, keys: string[], owner: string, modelPath: string): StoredSecret => ({ name, namespace, keys, rotation, owner, modelPath });
  return [
    secret(ALERTMANAGER_RECEIVERS_SECRET, receiverKeys(model), "the platform team (each owner's PagerDuty integration key and Slack webhook URL)", 'platform.monitoring.alerting'),
    secret(OBJECT_STORE_SECRET, [OBJECT_STORE_KEYS.accessKeyId, OBJECT_STORE_KEYS.secretAccessKey], "the platform team (the IAM user of the observability buckets)", 'environment.monitoring.objectStore'),
    secret(GRAFANA_ADMIN_SECRET, [GRAFANA_ADMIN_KEYS.user, GRAFANA_ADMIN_KEYS.password], "the platform team (Grafana's break-glass admin login)", 'platform.monitoring'),
  ];
}

/** Thanos reads its bucket from a file: an ExternalSecret templates objstore.yml from the object store's key pair. */
export const thanosObjstore: Generator = ({ model }) => {
  const m = model.environment.monitoring;
  if (!m?.thanos || !monitoringInstalled(model)) return [];
  const namespace = model.platform.monitoring.namespace;
  const key = remoteKey(model, namespace, OBJECT_STORE_SECRET);
  const objstore = [
    'type: S3',
    'config:',
    `  bucket: ${m.objectStore.buckets.metrics}`,
    `  endpoint: ${m.objectStore.endpoint}`,
    `  region: ${m.objectStore.region}`,
    `  access_key: "{{ .${OBJECT_STORE_KEYS.accessKeyId} }}"`,
    `  secret_key: "{{ .${OBJECT_STORE_KEYS.secretAccessKey} }}"`,
    '',
  ].join('\n');
  return [{
    path: `platform/${OBSERVABILITY_COMPONENT}/${namespace}/externalsecret-${THANOS_OBJSTORE_SECRET}.yaml`,
    source: 'environment.monitoring.thanos',
    object: {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: THANOS_OBJSTORE_SECRET, namespace, labels: platformLabels(model, OBSERVABILITY_COMPONENT) },
      spec: {
        secretStoreRef: { kind: 'ClusterSecretStore', name: AWS_STORE },
        refreshPolicy: 'Periodic',
        refreshInterval: goDuration(model.secrets.refreshInterval),
        target: { name: THANOS_OBJSTORE_SECRET, creationPolicy: 'Owner', deletionPolicy: 'Retain', template: { engineVersion: 'v2', data: { [THANOS_OBJSTORE_KEY]: objstore } } },
        data: Object.values(OBJECT_STORE_KEYS).map((k) => ({ secretKey: k, remoteRef: { key, property: k } })),
      },
    },
  }];
};
