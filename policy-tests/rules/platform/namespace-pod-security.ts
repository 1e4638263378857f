import { docs } from '../../fixtures/builders.ts';
import { perDocument, type Rule } from '../../lib/rule.ts';

const LABEL = 'pod-security.kubernetes.io/enforce';
const ns = (labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team', labels } });

export const rule: Rule = {
  id: 'platform/namespace-pod-security',
  ruleset: 'platform',
  severity: 'error',
  title: 'Every namespace enforces the restricted Pod Security Standard',
  rationale: 'Pod Security Admission is the in-cluster enforcement of the pss-* rules: a namespace without the label admits privileged pods.',
  fix: `Label the namespace ${LABEL}: restricted (the namespaces generator does).`,
  kyverno: { ciOnly: 'namespaces are created by Argo CD from Git; the label is checked here before it reaches the cluster' },
  fixtures: { pass: docs(ns({ [LABEL]: 'restricted' })), fail: docs(ns({ [LABEL]: 'baseline' })), failPath: `metadata.labels["${LABEL}"]` },
  check: perDocument((doc) => {
    if (doc.data.kind !== 'Namespace' || doc.data.apiVersion !== 'v1') return [];
    const v = doc.data.metadata?.labels?.[LABEL];
    if (v === 'restricted') return [];
    return [{ path: v === undefined ? ['metadata', 'labels'] : ['metadata', 'labels', LABEL], message: `namespace ${doc.data.metadata?.name} enforces ${v === undefined ? 'no Pod Security level' : `Pod Security level ${v}`}, not restricted` }];
  }),
};
