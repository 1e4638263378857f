import { perDocument, type Rule } from '../../lib/rule.ts';

/** The namespace label Pod Security Admission enforces a level from. */
export const POD_SECURITY_ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

export const rule: Rule = {
  id: 'platform/namespace-pod-security',
  ruleset: 'platform',
  severity: 'error',
  title: 'Every namespace enforces the restricted Pod Security Standard',
  rationale: 'Pod Security Admission is the in-cluster enforcement of the pss-* rules: a namespace without the label admits privileged pods.',
  fix: `Label the namespace ${POD_SECURITY_ENFORCE_LABEL}: restricted (the namespaces generator does).`,
  kyverno: { ciOnly: 'namespaces are created by Argo CD from Git; the label is checked here before it reaches the cluster' },
  check: perDocument((doc) => {
    if (doc.data.kind !== 'Namespace' || doc.data.apiVersion !== 'v1') return [];
    const v = doc.data.metadata?.labels?.[POD_SECURITY_ENFORCE_LABEL];
    if (v === 'restricted') return [];
    return [{ path: v === undefined ? ['metadata', 'labels'] : ['metadata', 'labels', POD_SECURITY_ENFORCE_LABEL], message: `namespace ${doc.data.metadata?.name} enforces ${v === undefined ? 'no Pod Security level' : `Pod Security level ${v}`}, not restricted` }];
  }),
};
