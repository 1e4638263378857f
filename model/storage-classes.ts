/**
 * StorageClasses: every PVC and volume claim template names one. All are EBS volumes through the CSI
 * driver, encrypted, expandable and bound when the first pod is scheduled (so the volume lands in its zone).
 */
import { ARCHIVE_STORAGE_CLASS, FAST_SSD_STORAGE_CLASS, STANDARD_STORAGE_CLASS } from './platform-components.ts';
import type { StorageClassSpec } from './spec.ts';

export const storageClasses = {
  [FAST_SSD_STORAGE_CLASS]: {
    description: 'gp3 with provisioned IOPS and throughput: Kafka logs, PostgreSQL data and WAL.',
    volumeType: 'gp3',
    iops: 6000,
    throughputMiBps: 250,
    // A deleted claim must not take a broker's or database's data with it; volumes are released by hand.
    reclaimPolicy: 'Retain',
  },
  [STANDARD_STORAGE_CLASS]: {
    // gp3 rather than gp2: the same baseline (3000 IOPS, 125 MiB/s) at every size and about 20 % cheaper per GiB; gp2's IOPS grow only with size.
    description: 'gp3 at its baseline: caches, vector indexes, anything without a stated latency need. The default class.',
    volumeType: 'gp3',
    default: true,
  },
  [ARCHIVE_STORAGE_CLASS]: {
    description: 'sc1 cold HDD: large, sequential, rarely read data (object-store archives).',
    volumeType: 'sc1',
    reclaimPolicy: 'Retain',
  },
} satisfies Record<string, StorageClassSpec>;
