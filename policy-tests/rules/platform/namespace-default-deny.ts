import type { Doc } from '../../lib/documents.ts';
import type { Rule, Violation } from '../../lib/rule.ts';
import type { Obj } from '../../lib/workloads.ts';

/** A NetworkPolicy that selects every pod and allows nothing in either direction. */
export function isDefaultDeny(d: Doc): boolean {
  if (d.data.kind !== 'NetworkPolicy') return false;
  const spec = (d.data.spec ?? {}) as Obj;
  const sel = spec.podSelector ?? {};
  const selectsAll = !Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length;
  const types: string[] = spec.policyTypes ?? [];
  return selectsAll && types.includes('Ingress') && types.includes('Egress') && !(spec.ingress ?? []).length && !(spec.egress ?? []).length;
}

export const rule: Rule = {
  id: 'platform/namespace-default-deny',
  ruleset: 'platform',
  severity: 'error',
  title: 'Every namespace has a default-deny NetworkPolicy (ingress and egress)',
  rationale: 'With default deny, a pod reaches only what a policy allows; without it, every pod can reach every other pod and the internet.',
  fix: 'Add a NetworkPolicy with podSelector: {} and policyTypes [Ingress, Egress] and no rules to the namespace (the namespaces generator renders it).',
  kyverno: { ciOnly: 'a namespace and its policies are created together by one sync; admission of the Namespace alone cannot see them' },
  check: (ctx) => {
    const covered = new Set(ctx.docs.filter(isDefaultDeny).map((d) => d.data.metadata?.namespace ?? 'default'));
    const out: Violation[] = [];
    for (const doc of ctx.docs) {
      if (doc.data.kind !== 'Namespace' || doc.data.apiVersion !== 'v1') continue;
      const name = String(doc.data.metadata?.name);
      if (!covered.has(name)) out.push({ doc, path: ['metadata', 'name'], message: `namespace ${name} has no default-deny NetworkPolicy in the given files` });
    }
    return out;
  },
};
