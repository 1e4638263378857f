import { perDocument, type Rule } from '../../lib/rule.ts';

export const rule: Rule = {
  id: 'platform/argocd-auto-sync',
  ruleset: 'platform',
  severity: 'error',
  title: 'Argo CD Applications sync automatically with prune and self-heal',
  rationale: 'Without automated sync Git is not the truth; without prune deleted objects linger; without self-heal manual changes stay.',
  fix: 'Set spec.syncPolicy.automated: { prune: true, selfHeal: true }.',
  kyverno: { ciOnly: 'Applications are created from Git only; the Argo CD API is not open to tenants' },
  check: perDocument((doc) => {
    if (doc.data.kind !== 'Application' || !String(doc.data.apiVersion).startsWith('argoproj.io/')) return [];
    const automated = (doc.data.spec as { syncPolicy?: { automated?: { prune?: boolean; selfHeal?: boolean; enabled?: boolean } } } | undefined)?.syncPolicy?.automated;
    const base = ['spec', 'syncPolicy', 'automated'];
    if (!automated || automated.enabled === false) return [{ path: base, message: 'the Application does not sync automatically' }];
    return (['prune', 'selfHeal'] as const).filter((k) => automated[k] !== true).map((k) => ({ path: [...base, k], message: `automated sync without ${k}` }));
  }),
};
