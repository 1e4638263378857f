// The shapes of a review diff: what each side rendered, and what changed between them.
import type { LoadedWaiver } from '../../model/loaded.ts';

/** A parsed Kubernetes object from a rendered file. */
export interface RenderedObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
}

/** A model waiver as the loaded model carries it. */
export type SnapshotWaiver = Omit<LoadedWaiver, 'modelPath'>;

/** One environment of one side, rendered in memory. */
export interface SnapshotEnvironment {
  env: string;
  tier: string;
  /** Path relative to rendered/<env>/ → file content. */
  files: Map<string, string>;
  waivers: SnapshotWaiver[];
}

/** One side of the diff: a git ref, or the working tree. */
export interface Snapshot {
  /** What the reader sees: `origin/main (1a2b3c4)`, `working tree`. */
  label: string;
  /** Environments in promotion order. */
  environments: SnapshotEnvironment[];
  /** Committed rendered/ files that differ from this side's model (empty when up to date). */
  stale: string[];
}

/** Identity of a resource: API group, kind, namespace and name (never the file path). */
export interface ResourceId {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

/** One field-level change. `path` is readable: `spec.template.spec.containers[name=api].image`. */
export interface FieldChange {
  path: string;
  op: 'added' | 'removed' | 'changed';
  old?: unknown;
  new?: unknown;
}

export interface ResourceChange {
  env: string;
  /** Argo CD Application that syncs it (`prod-gamemetrics`), `prod-root` for apps/, `bootstrap` for bootstrap/. */
  application: string;
  id: ResourceId;
  /** `Deployment gamemetrics/event-processor`. */
  ref: string;
  status: 'added' | 'removed' | 'changed';
  /** File under rendered/<env>/ (the head's, or the base's for a removal). */
  file: string;
  /** When the file path changed: the base's path. */
  movedFrom?: string;
  /** Field changes (changed resources only). */
  fields: FieldChange[];
  /** The whole object: the head's for added, the base's for removed. */
  object?: RenderedObject;
  /** From labels: `gamemetrics.dev/tenant` and `app.kubernetes.io/name`. */
  tenant?: string;
  service?: string;
}

export type RiskCategory = 'prod' | 'security' | 'destructive' | 'capacity';

export interface RiskFlag {
  category: RiskCategory;
  env: string;
  /** The resource it concerns (`KafkaTopic kafka/player.events.raw`), absent for environment-wide flags. */
  ref?: string;
  reason: string;
}

export interface CapacityTotals {
  /** Millicores. */
  cpu: number;
  /** Bytes. */
  memory: number;
}

export interface CapacityChange {
  env: string;
  before: CapacityTotals;
  after: CapacityTotals;
}

/** A workload whose pods the sync replaces, because its pod template changes. */
export interface Restart {
  env: string;
  /** `Deployment gamemetrics/event-processor`. */
  ref: string;
  /** `configuration changed (ConfigMap event-processor-config)`, `pod template changed (spec.containers[name=api].image)`. */
  reason: string;
}

export interface BlastRadius {
  environments: string[];
  tenants: string[];
  services: string[];
  applications: string[];
  /** In environment order, then by resource. */
  restarts: Restart[];
  flags: RiskFlag[];
  capacity: CapacityChange[];
}

export interface EnvironmentSummary {
  env: string;
  tier: string;
  added: number;
  changed: number;
  removed: number;
}

export interface DiffReport {
  base: string;
  head: string;
  summary: EnvironmentSummary[];
  blastRadius: BlastRadius;
  /** Sorted by environment (promotion order), application, kind, namespace, name. */
  changes: ResourceChange[];
  /** Notes for the reader: stale committed output, environments only one side has. */
  notes: string[];
}
