// Externals: what the rendered objects rely on and nothing here creates. Kept whole (every environment's), so
// docs/externals.md lists them all; externalsIn() picks one environment's.
import type { LoadedExternal } from '../loaded.ts';
import type { ExternalKind } from '../spec.ts';
import { type LoadContext, report } from './context.ts';

/** Kinds that live in a namespace; every other external kind is cluster-wide or outside Kubernetes. */
export const NAMESPACED_EXTERNAL_KINDS: ReadonlySet<ExternalKind> = new Set(['Secret', 'ServiceAccount']);

export function loadExternals(context: LoadContext): LoadedExternal[] {
  const declared = context.platform.externals ?? [];
  const seen = new Map<string, number>();
  return declared.map((e, i) => {
    const path = ['externals', i];
    if (e.name.trim() === '') report(context, [...path, 'name'], 'an external needs a name', 'the object name, API server URL, zone or key pattern it stands for');
    if (e.reason.trim().length < 10) report(context, [...path, 'reason'], 'an external needs a reason (at least a sentence)', 'say why it is not rendered here and who provides it');
    if (NAMESPACED_EXTERNAL_KINDS.has(e.kind) && !e.namespace) report(context, [...path], `a ${e.kind} external needs a namespace`, 'add namespace: the namespace the object exists in');
    if (!NAMESPACED_EXTERNAL_KINDS.has(e.kind) && e.namespace !== undefined) report(context, [...path, 'namespace'], `a ${e.kind} has no namespace`, 'remove namespace');
    if (e.environments && e.environments.length === 0) report(context, [...path, 'environments'], 'an empty list of environments declares nothing', 'list the environments, or omit the field for all');
    for (const env of e.environments ?? ['*']) {
      const key = `${e.kind}/${e.namespace ?? ''}/${e.name}/${env}`;
      const first = seen.get(key);
      if (first !== undefined && first !== i) report(context, [...path], `${e.kind} ${e.name} is already declared at externals[${first}]${env === '*' ? '' : ` for ${env}`}`, 'declare each external once');
      seen.set(key, i);
    }
    return { kind: e.kind, name: e.name, ...(e.namespace ? { namespace: e.namespace } : {}), reason: e.reason, environments: e.environments ? [...e.environments] : null, modelPath: `externals[${i}]` };
  });
}

/** The externals that exist in environment `env`. */
export function externalsIn(externals: readonly LoadedExternal[], env: string): LoadedExternal[] {
  return externals.filter((e) => e.environments === null || e.environments.includes(env));
}
