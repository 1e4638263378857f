import type { Doc } from '../../lib/documents.ts';
import type { Rule, Violation } from '../../lib/rule.ts';
import { namespaceOf, podOf, type Obj } from '../../lib/workloads.ts';

/** Service accounts (`namespace/name`) that a RoleBinding or ClusterRoleBinding in the set grants a role. */
function boundServiceAccounts(all: Doc[]): Set<string> {
  const out = new Set<string>();
  for (const d of all) {
    if (d.data.kind !== 'RoleBinding' && d.data.kind !== 'ClusterRoleBinding') continue;
    for (const s of (d.data.subjects as Obj[] | undefined) ?? []) {
      if (s?.kind === 'ServiceAccount') out.add(`${s.namespace ?? namespaceOf(d)}/${s.name}`);
    }
  }
  return out;
}

export const rule: Rule = {
  id: 'best-practices/service-account-token',
  ruleset: 'best-practices',
  severity: 'error',
  title: 'Pods mount no service-account token unless their account is granted a role',
  rationale: 'A mounted token is a credential for the Kubernetes API; a pod that never calls the API should not carry one.',
  fix: 'Set automountServiceAccountToken: false on the pod (or its ServiceAccount); services that call the API set kubernetesApiAccess and get a RoleBinding.',
  kyverno: { ciOnly: 'the exception needs the RoleBindings of the whole rendered set, which admission of a single pod does not see' },
  check: (ctx) => {
    const bound = boundServiceAccounts(ctx.docs);
    const accounts = new Map(ctx.docs.filter((d) => d.data.kind === 'ServiceAccount').map((d) => [`${namespaceOf(d)}/${d.data.metadata?.name}`, d.data]));
    const out: Violation[] = [];
    for (const doc of ctx.docs) {
      const pod = podOf(doc);
      if (!pod || pod.spec.automountServiceAccountToken === false) continue;
      const sa = `${namespaceOf(doc)}/${pod.spec.serviceAccountName ?? pod.spec.serviceAccount ?? 'default'}`;
      if (pod.spec.automountServiceAccountToken === undefined && accounts.get(sa)?.automountServiceAccountToken === false) continue;
      if (bound.has(sa)) continue;
      out.push({ doc, path: [...pod.specPath, 'automountServiceAccountToken'], message: `the pod mounts a token for service account ${sa}, which no RoleBinding in the set grants a role` });
    }
    return out;
  },
};
