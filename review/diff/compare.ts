// Two snapshots → a DiffReport: per environment, Application and resource, with field-level changes,
// the blast radius and its risk flags.
import { capacityTotals, CAPACITY_NOTE } from './capacity.ts';
import { diffFields } from './field-diff.ts';
import { formatBytes, formatCores } from './quantity.ts';
import { environmentResources, LABEL_NAME, LABEL_TENANT, type ParseCache, refOf, regionOfKey, type Resource } from './resources.ts';
import { restartsOf } from './restarts.ts';
import { productionFlag, resourceFlags, waiverFlags } from './risk.ts';
import type { CapacityChange, CapacityTotals, DiffReport, EnvironmentSummary, ResourceChange, Restart, RiskFlag, Snapshot, SnapshotEnvironment } from './types.ts';

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function labelsOf(resource: Resource | undefined): { tenant?: string; service?: string } {
  const labels = resource?.object.metadata.labels ?? {};
  const tenant = labels[LABEL_TENANT];
  return { ...(tenant ? { tenant } : {}), ...(tenant && labels[LABEL_NAME] ? { service: labels[LABEL_NAME] } : {}) };
}

function emptyEnvironment(env: string, tier: string): SnapshotEnvironment {
  return { env, tier, files: new Map(), waivers: [] };
}

const signed = (n: number, format: (n: number) => string) => (n >= 0 ? `+${format(n)}` : `-${format(-n)}`);

/** `requested CPU 4 → 5 cores (+1), memory 8Gi → 10Gi (+2Gi)`. */
export function capacityReason(before: CapacityTotals, after: CapacityTotals): string {
  return `requested CPU ${formatCores(before.cpu)} → ${formatCores(after.cpu)} cores (${signed(after.cpu - before.cpu, formatCores)}), ` +
    `memory ${formatBytes(before.memory)} → ${formatBytes(after.memory)} (${signed(after.memory - before.memory, formatBytes)}); autoscaled workloads at minReplicas`;
}

/** Compare one environment. */
function compareEnvironment(env: string, before: Map<string, Resource>, after: Map<string, Resource>): Array<{ change: ResourceChange; flags: RiskFlag[] }> {
  const out: Array<{ change: ResourceChange; flags: RiskFlag[] }> = [];
  const keys = [...new Set([...before.keys(), ...after.keys()])];
  for (const key of keys) {
    const old = before.get(key);
    const now = after.get(key);
    const current = (now ?? old)!;
    const region = regionOfKey(key);
    const base = { env, application: now?.application ?? old!.application, id: current.id, ref: `${refOf(current.id)}${region ? ` in ${region}` : ''}`, file: current.file };
    const labels = { ...labelsOf(old), ...labelsOf(now) };
    let change: ResourceChange;
    if (!old) change = { ...base, status: 'added', fields: [], object: now!.object, ...labels };
    else if (!now) change = { ...base, status: 'removed', fields: [], object: old.object, ...labels };
    else {
      const fields = diffFields(old.object, now.object);
      const moved = old.file !== now.file;
      if (fields.length === 0 && !moved) continue;
      change = { ...base, status: 'changed', fields, ...(moved ? { movedFrom: old.file } : {}), ...labels };
    }
    out.push({ change, flags: resourceFlags(change, old?.object, now?.object) });
  }
  return out;
}

/** The review diff of `base` → `head`. */
export function compareSnapshots(base: Snapshot, head: Snapshot): DiffReport {
  const notes: string[] = [];
  if (head.stale.length > 0) {
    const shown = head.stale.slice(0, 10).join(', ');
    const where = head.label === 'working tree' ? 'rendered/ on disk is stale for the working tree' : `committed rendered/ is stale at ${head.label}`;
    notes.push(`${where[0].toUpperCase()}${where.slice(1)}: ${head.stale.length} file(s) differ from its model (${shown}${head.stale.length > 10 ? ', …' : ''}). Run npm run render and commit the result; this diff is computed from the model, not from rendered/.`);
  }
  const order = [...head.environments.map((e) => e.env), ...base.environments.map((e) => e.env).filter((e) => !head.environments.some((h) => h.env === e))];
  const changes: ResourceChange[] = [];
  const flags: RiskFlag[] = [];
  const summary: EnvironmentSummary[] = [];
  const capacity: CapacityChange[] = [];
  const restarts: Restart[] = [];
  const cache: ParseCache = new Map();
  for (const env of order) {
    const headEnv = head.environments.find((e) => e.env === env);
    const baseEnv = base.environments.find((e) => e.env === env);
    if (!baseEnv) notes.push(`Environment ${env} is new in ${head.label}: all its resources are added.`);
    if (!headEnv) notes.push(`Environment ${env} is removed in ${head.label}: all its resources are removed.`);
    const tier = headEnv?.tier ?? baseEnv!.tier;
    const before = environmentResources(baseEnv ?? emptyEnvironment(env, tier), base.label, cache);
    const after = environmentResources(headEnv ?? emptyEnvironment(env, tier), head.label, cache);
    const envChanges = compareEnvironment(env, before, after);
    const counts = { added: 0, changed: 0, removed: 0 };
    for (const { change } of envChanges) counts[change.status]++;
    const waivers = waiverFlags(env, baseEnv?.waivers ?? [], headEnv?.waivers ?? []);
    const prod = productionFlag(env, tier, counts, waivers.length);
    if (prod) flags.push(prod);
    flags.push(...waivers);
    for (const { change, flags: f } of envChanges) {
      changes.push(change);
      flags.push(...f);
    }
    summary.push({ env, tier, ...counts });
    restarts.push(...restartsOf(env, envChanges.map((c) => c.change), after).sort((a, b) => compareText(a.ref, b.ref)));
    const totals = { before: capacityTotals(before), after: capacityTotals(after) };
    if (totals.before.cpu !== totals.after.cpu || totals.before.memory !== totals.after.memory) {
      capacity.push({ env, ...totals });
      flags.push({ category: 'capacity', env, reason: capacityReason(totals.before, totals.after) });
    }
  }
  if (capacity.length > 0) notes.push(CAPACITY_NOTE);
  const envIndex = (env: string) => order.indexOf(env);
  changes.sort((a, b) =>
    envIndex(a.env) - envIndex(b.env) || compareText(a.application, b.application) || compareText(a.id.kind, b.id.kind) ||
    compareText(a.id.namespace, b.id.namespace) || compareText(a.id.name, b.id.name) || compareText(a.id.group, b.id.group));
  flags.sort((a, b) => envIndex(a.env) - envIndex(b.env) || compareText(a.ref ?? '', b.ref ?? '') || compareText(a.reason, b.reason));
  const sortedSet = (values: Array<string | undefined>) => [...new Set(values.filter((v): v is string => !!v))].sort(compareText);
  const touched = new Set([...changes.map((c) => c.env), ...flags.filter((f) => f.category === 'security').map((f) => f.env)]);
  return {
    base: base.label,
    head: head.label,
    summary,
    blastRadius: {
      environments: order.filter((e) => touched.has(e)),
      tenants: sortedSet(changes.map((c) => c.tenant)),
      services: sortedSet(changes.map((c) => c.service)),
      applications: sortedSet(changes.map((c) => `${c.application}`)),
      restarts,
      flags,
      capacity,
    },
    changes,
    notes,
  };
}

/** True when nothing differs (notes, such as stale output, do not count). */
export function isEmpty(report: DiffReport): boolean {
  return report.changes.length === 0 && report.blastRadius.flags.length === 0;
}
