// Velero from the environment: the BackupStorageLocation (the S3 bucket, which replicates to another
// region) and one Schedule per retention tier (daily; hourly where the environment asks for it).
import type { LoadedModel } from '../../model/loaded.ts';
import { BACKUPS_COMPONENT, VELERO_COMPONENT } from '../../model/platform-components.ts';
import { platformLabels } from '../core/labels.ts';
import type { Generator, KubeObject, OutputFile } from '../core/types.ts';

export const BACKUP_STORAGE_LOCATION = 'default';
/** The VolumeSnapshotLocation the Velero chart creates from its values (generators/platform/chart-values.ts). */
export const VOLUME_SNAPSHOT_LOCATION = 'ebs';
/** Annotations that record, on the location, what the bucket itself guarantees (the bucket is AWS infrastructure). */
export const REPLICA_REGION_ANNOTATION = 'gamemetrics.dev/bucket-replica-region';

export function veleroNamespace(model: LoadedModel): string {
  const velero = model.components.find((c) => c.name === VELERO_COMPONENT);
  if (!velero) throw new Error(`environment "${model.environment.name}" sets backups, but no component "${VELERO_COMPONENT}" is declared in model/components.ts`);
  return velero.namespace;
}

export const backups: Generator = ({ model }) => {
  const namespace = veleroNamespace(model);
  const config = model.environment.backups;
  const labels = platformLabels(model, BACKUPS_COMPONENT);
  const file = (object: KubeObject, source: string): OutputFile => ({
    path: `platform/${BACKUPS_COMPONENT}/${namespace}/${object.kind.toLowerCase()}-${object.metadata.name}.yaml`,
    source,
    object,
  });
  const location = file({
    apiVersion: 'velero.io/v1',
    kind: 'BackupStorageLocation',
    metadata: { name: BACKUP_STORAGE_LOCATION, namespace, labels, annotations: { [REPLICA_REGION_ANNOTATION]: config.replicaRegion } },
    spec: {
      provider: 'aws',
      objectStorage: { bucket: config.bucket, prefix: model.environment.cluster.name },
      config: { region: config.region },
      default: true,
      accessMode: 'ReadWrite',
    },
  }, 'environment.backups');
  const schedules = config.schedules.map((s) => file({
    apiVersion: 'velero.io/v1',
    kind: 'Schedule',
    metadata: { name: s.name, namespace, labels },
    spec: {
      schedule: s.schedule,
      useOwnerReferencesInBackup: false,
      template: {
        ttl: `${s.ttlHours}h0m0s`,
        includedNamespaces: ['*'],
        includeClusterResources: true,
        storageLocation: BACKUP_STORAGE_LOCATION,
        snapshotVolumes: true,
        volumeSnapshotLocations: [VOLUME_SNAPSHOT_LOCATION],
      },
    },
  }, `environment.backups.${s.name}`));
  return [location, ...schedules];
};
