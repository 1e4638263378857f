// The workloads a change restarts: those whose pod template changes, since the sync then replaces their
// pods. A changed config hash (gamemetrics.dev/config-hash) names the ConfigMaps whose change caused it.
// CronJobs and Jobs restart nothing: their next run uses the new template.
import { CONFIG_HASH_ANNOTATION, configMapsReadBy, podTemplateOf } from '../../generators/core/config-hash.ts';
import { idKey, type Resource } from './resources.ts';
import type { FieldChange, ResourceChange, Restart } from './types.ts';

// An Argo Rollout rolls its pods on a template change too (through its canary or blue-green steps).
const RESTARTING = new Set(['apps/Deployment', 'apps/StatefulSet', 'apps/DaemonSet', 'argoproj.io/Rollout']);
const TEMPLATE = 'spec.template.';

const isConfigHash = (f: FieldChange) =>
  f.path.includes(CONFIG_HASH_ANNOTATION) ||
  (f.path === `${TEMPLATE}metadata.annotations` && Object.keys((f.new ?? f.old ?? {}) as object).every((k) => k === CONFIG_HASH_ANNOTATION));

/** The restarts of one environment's changes; `after` is the environment's head resources. */
export function restartsOf(env: string, changes: readonly ResourceChange[], after: ReadonlyMap<string, Resource>): Restart[] {
  const changedConfigMaps = new Set(changes.filter((c) => c.id.group === '' && c.id.kind === 'ConfigMap' && c.status !== 'removed').map((c) => `${c.id.namespace}/${c.id.name}`));
  const out: Restart[] = [];
  for (const change of changes) {
    if (change.status !== 'changed' || !RESTARTING.has(`${change.id.group}/${change.id.kind}`)) continue;
    const template = change.fields.filter((f) => f.path.startsWith(TEMPLATE));
    if (template.length === 0) continue;
    const reasons: string[] = [];
    if (template.some(isConfigHash)) {
      const podSpec = podTemplateOf(after.get(idKey(change.id))?.object ?? {})?.spec ?? {};
      const names = configMapsReadBy(podSpec).filter((n) => changedConfigMaps.has(`${change.id.namespace}/${n}`));
      reasons.push(`configuration changed (${names.length > 0 ? names.map((n) => `ConfigMap ${n}`).join(', ') : 'the ConfigMaps it reads'})`);
    }
    const other = template.filter((f) => !isConfigHash(f));
    if (other.length > 0) reasons.push(`pod template changed (${other.slice(0, 3).map((f) => f.path.slice(TEMPLATE.length)).join(', ')}${other.length > 3 ? `, and ${other.length - 3} more` : ''})`);
    out.push({ env, ref: change.ref, reason: reasons.join('; ') });
  }
  return out;
}
