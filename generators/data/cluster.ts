// The PostgreSQL datastores as CloudNativePG objects in their namespace: the Cluster (TimescaleDB image,
// instances and storage from the environment, zone anti-affinity, WAL archiving and base backups to the
// object store, one managed role per client service), its ScheduledBackup and its PodMonitor.
import type { LoadedDatastore, LoadedModel } from '../../model/loaded.ts';
import { MONITORING_CRD_GROUP } from '../../model/platform-components.ts';
import { MONITOR_SELECTOR_LABELS, monitoringInstalled } from '../observability/stack/names.ts';
import { platformLabels } from '../core/labels.ts';
import { ZONE_LABEL } from '../core/kubernetes.ts';
import type { Generator, KubeObject, OutputFile } from '../core/types.ts';
import { BACKUP_KEYS, clientSecret, migratorSecret } from './credentials.ts';

/** The component (model/components.ts) whose folder holds the operator-run datastores. */
export const DATASTORES_COMPONENT = 'datastores';
export const CNPG_API = 'postgresql.cnpg.io/v1';
/** Label CloudNativePG puts on every instance pod of a Cluster. */
export const CNPG_CLUSTER_LABEL = 'cnpg.io/cluster';
/** CloudNativePG schedules have six fields, seconds first. */
export function cnpgSchedule(cron: string): string {
  return `0 ${cron}`;
}

function path(store: LoadedDatastore, kind: string, name: string): string {
  return `platform/${DATASTORES_COMPONENT}/${store.name}/${kind.toLowerCase()}-${name}.yaml`;
}

function clusterObject(model: LoadedModel, store: LoadedDatastore): KubeObject {
  const c = store.cluster!;
  const zones = model.environment.cluster.zones.length;
  return {
    apiVersion: CNPG_API,
    kind: 'Cluster',
    metadata: { name: store.name, namespace: store.namespace, labels: platformLabels(model, DATASTORES_COMPONENT), annotations: { 'gamemetrics.dev/description': store.description } },
    spec: {
      description: store.description,
      instances: store.instances,
      imageName: c.image,
      primaryUpdateStrategy: 'unsupervised',
      enableSuperuserAccess: false,
      postgresql: {
        shared_preload_libraries: ['timescaledb'],
        parameters: { archive_timeout: `${c.archiveTimeoutSeconds}s`, 'timescaledb.telemetry_level': 'off' },
      },
      bootstrap: {
        initdb: {
          database: store.database ?? store.name,
          owner: c.migrator,
          secret: { name: migratorSecret(store) },
          postInitApplicationSQL: ['CREATE EXTENSION IF NOT EXISTS timescaledb'],
        },
      },
      storage: { size: store.storage, storageClass: store.storageClass },
      affinity: {
        enablePodAntiAffinity: true,
        topologyKey: ZONE_LABEL,
        // Required when every instance can have a zone of its own; preferred otherwise, so they still schedule.
        podAntiAffinityType: store.instances > 1 && zones >= store.instances ? 'required' : 'preferred',
      },
      backup: {
        retentionPolicy: `${store.recoveryWindowDays}d`,
        barmanObjectStore: {
          destinationPath: c.backup.destinationPath,
          endpointURL: c.backup.endpointURL,
          s3Credentials: {
            accessKeyId: { name: c.backup.credentialsSecret, key: BACKUP_KEYS.accessKeyId },
            secretAccessKey: { name: c.backup.credentialsSecret, key: BACKUP_KEYS.secretAccessKey },
          },
          wal: { compression: 'gzip', maxParallel: 2 },
          data: { compression: 'gzip' },
        },
      },
      managed: {
        // The migrator (initdb's owner) is managed too, so a rotated password in its Secret reaches the database.
        roles: [{ name: c.migrator, comment: 'database owner; runs the migrations', ensure: 'present', login: true, inherit: true, connectionLimit: -1, passwordSecret: { name: migratorSecret(store) } }, ...store.clients.map((client) => ({
          name: client.role,
          comment: `${client.service} (${client.access})`,
          ensure: 'present',
          login: true,
          inherit: true,
          connectionLimit: -1,
          passwordSecret: { name: clientSecret(client.service, store.name) },
        }))],
      },
    },
  };
}


export const postgresClusters: Generator = ({ model }) =>
  model.datastores
    .filter((store) => store.cluster)
    .flatMap((store): OutputFile[] => {
      const labels = platformLabels(model, DATASTORES_COMPONENT);
      const backup: KubeObject = {
        apiVersion: CNPG_API,
        kind: 'ScheduledBackup',
        metadata: { name: `${store.name}-daily`, namespace: store.namespace, labels },
        spec: { schedule: cnpgSchedule(store.cluster!.backup.schedule), cluster: { name: store.name }, method: 'barmanObjectStore', backupOwnerReference: 'self', immediate: true },
      };
      const podMonitor: KubeObject = {
        apiVersion: `${MONITORING_CRD_GROUP}/v1`,
        kind: 'PodMonitor',
        metadata: { name: store.name, namespace: store.namespace, labels: { ...labels, ...MONITOR_SELECTOR_LABELS } },
        spec: { selector: { matchLabels: { [CNPG_CLUSTER_LABEL]: store.name } }, podMetricsEndpoints: [{ port: 'metrics' }] },
      };
      // The PodMonitor's CRD comes with the monitoring stack: rendered only once a component installs it.
      const monitored = monitoringInstalled(model);
      return [
        { path: path(store, 'Cluster', store.name), source: `${store.modelPath}.cluster`, object: clusterObject(model, store) },
        { path: path(store, 'ScheduledBackup', backup.metadata.name), source: `${store.modelPath}.cluster.backup`, object: backup },
        ...(monitored ? [{ path: path(store, 'PodMonitor', store.name), source: store.modelPath, object: podMonitor }] : []),
      ];
    });
