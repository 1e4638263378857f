// Who may do what, from the rendered RBAC and Argo CD objects alone: RoleBindings and ClusterRoleBindings of
// people (User and Group subjects), expanded through Kubernetes' built-in ClusterRoles (or the rendered Role /
// ClusterRole they name), and Argo CD's AppProject roles and argocd-rbac-cm group mappings.
import type { Doc } from '../../policy-tests/lib/documents.ts';
import type { Obj } from '../../policy-tests/lib/workloads.ts';

/** One permission: `subject` may `verb` on `resource` in `scope` (a namespace, `*` for the cluster, `argocd:<project>/<app>` in Argo CD). */
export interface Grant {
  subject: string;
  scope: string;
  resource: string;
  verb: string;
}

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'update', 'patch', 'delete'];
/** The resources the matrix reports, in the core and workload API groups. */
export const RESOURCES = ['configmaps', 'cronjobs', 'deployments', 'ingresses', 'jobs', 'pods', 'rolebindings', 'roles', 'secrets', 'services'];
const RBAC_RESOURCES = new Set(['roles', 'rolebindings']);

/** Kubernetes' user-facing ClusterRoles, over RESOURCES: view reads all but Secrets and RBAC; edit also writes (Secrets too) but not RBAC; admin writes RBAC too. */
export function builtInRole(name: string): Array<{ resource: string; verbs: string[] }> | null {
  switch (name) {
    case 'view':
      return RESOURCES.filter((r) => r !== 'secrets' && !RBAC_RESOURCES.has(r)).map((resource) => ({ resource, verbs: READ }));
    case 'edit':
      return RESOURCES.filter((r) => !RBAC_RESOURCES.has(r)).map((resource) => ({ resource, verbs: [...READ, ...WRITE] }));
    case 'admin':
      return RESOURCES.map((resource) => ({ resource, verbs: [...READ, ...WRITE] }));
    case 'cluster-admin':
      return [{ resource: '*', verbs: ['*'] }];
    default:
      return null;
  }
}

function renderedRole(docs: readonly Doc[], kind: string, name: string, namespace: string | undefined): Array<{ resource: string; verbs: string[] }> {
  const role = docs.find((d) => d.data.kind === kind && d.data.metadata?.name === name && (kind === 'ClusterRole' || d.data.metadata?.namespace === namespace));
  const rules: Obj[] = ((role?.data as Obj | undefined)?.rules ?? []) as Obj[];
  return rules.flatMap((r) => (r.resources ?? []).flatMap((res: string) => (res === '*' ? RESOURCES : RESOURCES.includes(res) ? [res] : []).map((resource: string) => ({ resource, verbs: r.verbs ?? [] }))));
}

function kubernetesGrants(docs: readonly Doc[]): Grant[] {
  const out: Grant[] = [];
  for (const d of docs) {
    const data = d.data as Obj;
    if (data.kind !== 'RoleBinding' && data.kind !== 'ClusterRoleBinding') continue;
    const scope = data.kind === 'RoleBinding' ? (data.metadata?.namespace ?? 'default') : '*';
    const ref = data.roleRef ?? {};
    const rules = (ref.kind === 'ClusterRole' ? builtInRole(ref.name) : null) ?? renderedRole(docs, ref.kind, ref.name, data.metadata?.namespace);
    for (const s of data.subjects ?? []) {
      if (s.kind !== 'User' && s.kind !== 'Group') continue;
      for (const rule of rules) for (const verb of rule.verbs) out.push({ subject: `${s.kind}:${s.name}`, scope, resource: rule.resource, verb });
    }
  }
  return out;
}

/** `p, <role>, <resource>, <action>, <object>, allow` lines of Argo CD's policy CSV. */
function policyLines(csv: string): string[][] {
  return csv.split('\n').map((l) => l.split(',').map((f) => f.trim())).filter((f) => f[0] === 'p' || f[0] === 'g');
}

function argocdGrants(docs: readonly Doc[]): Grant[] {
  const out: Grant[] = [];
  for (const d of docs) {
    const data = d.data as Obj;
    if (data.kind === 'AppProject') {
      for (const role of data.spec?.roles ?? []) {
        const allowed = policyLines((role.policies ?? []).join('\n')).filter((p) => p[0] === 'p' && p[5] === 'allow');
        for (const group of role.groups ?? []) for (const p of allowed) out.push({ subject: `Group:${group}`, scope: `argocd:${p[4]}`, resource: p[2], verb: p[3] });
      }
    }
    if (data.kind === 'ConfigMap' && data.metadata?.name === 'argocd-rbac-cm') {
      const lines = policyLines(String(data.data?.['policy.csv'] ?? ''));
      for (const g of lines.filter((l) => l[0] === 'g')) {
        if (g[2] === 'role:admin') out.push({ subject: `Group:${g[1]}`, scope: 'argocd:*/*', resource: '*', verb: '*' });
        for (const p of lines.filter((l) => l[0] === 'p' && l[1] === g[2] && l[5] === 'allow')) out.push({ subject: `Group:${g[1]}`, scope: `argocd:${p[4]}`, resource: p[2], verb: p[3] });
      }
    }
  }
  return out;
}

export const grantKey = (g: Grant) => `${g.subject} | ${g.scope} | ${g.resource} | ${g.verb}`;

/** Every grant to a person or group, sorted, without duplicates. */
export function accessGrants(docs: readonly Doc[]): Grant[] {
  const seen = new Map<string, Grant>();
  for (const g of [...kubernetesGrants(docs), ...argocdGrants(docs)]) seen.set(grantKey(g), g);
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, g]) => g);
}
