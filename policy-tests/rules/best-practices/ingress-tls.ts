import { perDocument, type Rule } from '../../lib/rule.ts';
import type { Obj } from '../../lib/workloads.ts';

export const rule: Rule = {
  id: 'best-practices/ingress-tls',
  ruleset: 'best-practices',
  severity: 'error',
  title: 'Every Ingress host is served over TLS',
  rationale: 'A host without TLS sends credentials and player data in clear text.',
  fix: 'Add the host to spec.tls[].hosts with a certificate Secret (cert-manager issues it).',
  kyverno: { ciOnly: 'the platform publishes hosts through the Istio gateway; Ingress objects only come from third-party YAML, checked in review' },
  check: perDocument((doc) => {
    if (doc.data.kind !== 'Ingress') return [];
    const spec = (doc.data.spec ?? {}) as Obj;
    const tlsHosts = new Set<string>(((spec.tls as Obj[] | undefined) ?? []).flatMap((t) => t?.hosts ?? []));
    const rules = (spec.rules as Obj[] | undefined) ?? [];
    const out = rules.flatMap((r, i) =>
      tlsHosts.has(r?.host ?? '') ? [] : [{ path: ['spec', 'rules', i, ...(r?.host ? ['host'] : [])], message: r?.host ? `host ${r.host} has no TLS (not in spec.tls[].hosts)` : 'a rule without host serves every name, without TLS' }],
    );
    if (!rules.length && spec.defaultBackend && !tlsHosts.size) out.push({ path: ['spec', 'defaultBackend'], message: 'the default backend is served without TLS' });
    return out;
  }),
};
