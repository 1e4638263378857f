// The StorageClasses of the model: EBS volumes through the CSI driver, encrypted, expandable, and
// bound when the first pod is scheduled so each volume is created in its pod's zone.
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { STORAGE_CLASSES_COMPONENT } from '../../model/platform-components.ts';
import { platformLabels } from '../core/labels.ts';
import { typedObject } from '../core/typed-object.ts';
import type { Generator } from '../core/types.ts';

export const EBS_CSI_PROVISIONER = 'ebs.csi.aws.com';
const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';

export const storageClasses: Generator = ({ model }) =>
  model.storageClasses.map((c) => ({
    path: `platform/${STORAGE_CLASSES_COMPONENT}/_cluster/storageclass-${c.name}.yaml`,
    source: c.modelPath,
    object: typedObject<StorageClass>({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: {
        name: c.name,
        labels: platformLabels(model, STORAGE_CLASSES_COMPONENT),
        annotations: { [DEFAULT_CLASS_ANNOTATION]: String(c.default) },
      },
      provisioner: EBS_CSI_PROVISIONER,
      // The EBS CSI driver's parameters are strings: type, iops, throughput (MiB/s), encrypted.
      parameters: {
        type: c.volumeType,
        encrypted: 'true',
        ...(c.iops !== null ? { iops: String(c.iops) } : {}),
        ...(c.throughputMiBps !== null ? { throughput: String(c.throughputMiBps) } : {}),
      },
      reclaimPolicy: c.reclaimPolicy,
      allowVolumeExpansion: true,
      volumeBindingMode: 'WaitForFirstConsumer',
    }),
  }));
