// The sync order the rendered Argo CD Applications imply: every custom resource an Application's folder
// holds must have its CRD installed by a chart Application (annotated with the groups it provides) in an
// earlier wave. Read from rendered objects alone, so it checks what Argo CD will actually do.
import { CRD_GROUPS_ANNOTATION, groupKind } from '../argocd/argocd.ts';
import type { KubeObject } from '../core/types.ts';

/** API groups Kubernetes serves itself: no CRD, no provider needed. */
export const BUILT_IN_GROUPS = new Set([
  '', 'apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'storage.k8s.io',
  'scheduling.k8s.io', 'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io',
  'node.k8s.io', 'certificates.k8s.io', 'flowcontrol.apiserver.k8s.io',
]);
const WAVE = 'argocd.argoproj.io/sync-wave';

export interface SyncOrderProblem {
  application: string;
  kind: string;
  group: string;
  message: string;
}

/** Every custom resource whose CRD no earlier-wave Application provides, given the rendered files (path under rendered/<env>/ and object). */
export function syncOrderProblems(env: string, files: ReadonlyArray<{ path: string; object: KubeObject }>): SyncOrderProblem[] {
  const apps = files.filter((f) => f.object.kind === 'Application' && f.path.startsWith('apps/')).map((f) => f.object as KubeObject & { spec: { source: { path?: string; chart?: string } } });
  const wave = (app: KubeObject) => Number(app.metadata.annotations?.[WAVE] ?? 0);
  const provider = new Map<string, KubeObject>();
  for (const app of apps) {
    for (const group of (app.metadata.annotations?.[CRD_GROUPS_ANNOTATION] ?? '').split(',').filter(Boolean)) provider.set(group, app);
  }
  const problems: SyncOrderProblem[] = [];
  const prefix = `rendered/${env}/`;
  for (const app of apps) {
    const folder = app.spec.source.path;
    if (!folder) continue;
    const seen = new Set<string>();
    for (const file of files) {
      if (!`${prefix}${file.path}`.startsWith(`${folder}/`)) continue;
      const { group, kind } = groupKind(file.object);
      if (BUILT_IN_GROUPS.has(group) || seen.has(`${group}/${kind}`)) continue;
      seen.add(`${group}/${kind}`);
      const by = provider.get(group);
      const at = { application: app.metadata.name, kind, group };
      if (!by) problems.push({ ...at, message: `${app.metadata.name} syncs ${kind} (${group}), but no Application declares the CRD group ${group}` });
      else if (wave(by) >= wave(app)) problems.push({ ...at, message: `${app.metadata.name} (wave ${wave(app)}) syncs ${kind} (${group}), whose CRD ${by.metadata.name} installs in wave ${wave(by)}, not before` });
    }
  }
  return problems;
}
