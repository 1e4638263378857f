import { providedObjects } from '../../lib/references.ts';
import type { Rule, Violation } from '../../lib/rule.ts';
import type { Obj } from '../../lib/workloads.ts';

/** `<trust domain>/ns/<namespace>/sa/<service account>`, Istio's principal of a workload. */
const PRINCIPAL = /^[^/*]+\/ns\/([^/*]+)\/sa\/([^/*]+)$/;

export const rule: Rule = {
  id: 'platform/authorization-principals',
  ruleset: 'platform',
  severity: 'error',
  title: 'Every principal an AuthorizationPolicy admits is a ServiceAccount that exists',
  rationale: 'A principal names a ServiceAccount: a misspelt or deleted one silently admits nobody (a caller is refused), and a wildcard admits whoever can create that account.',
  fix: 'Name exact principals cluster.local/ns/<namespace>/sa/<service account> of ServiceAccounts that are rendered, created by a rendered operator, or declared in model/externals.ts (generators/mesh/ derives them from calls).',
  kyverno: { ciOnly: 'a principal is resolved against every ServiceAccount one sync creates; admission sees one object at a time' },
  check: (ctx) => {
    const env = ctx.docs.length > 0 ? ctx.envOf(ctx.docs[0]) : null;
    if (!env?.complete) return [];
    const exists = providedObjects(ctx.docs, env.externals ?? []);
    const out: Violation[] = [];
    for (const doc of ctx.docs) {
      if (doc.data.kind !== 'AuthorizationPolicy' || !String(doc.data.apiVersion).startsWith('security.istio.io/')) continue;
      ((doc.data.spec as Obj | undefined)?.rules ?? []).forEach((r: Obj, i: number) =>
        (r.from ?? []).forEach((f: Obj, j: number) =>
          (f.source?.principals ?? []).forEach((p: string, k: number) => {
            const path = ['spec', 'rules', i, 'from', j, 'source', 'principals', k];
            const m = PRINCIPAL.exec(p);
            if (!m) out.push({ doc, path, message: `principal "${p}" is not an exact <trust domain>/ns/<namespace>/sa/<service account>` });
            else if (!exists({ kind: 'ServiceAccount', namespace: m[1], name: m[2] })) out.push({ doc, path, message: `principal "${p}": ServiceAccount ${m[1]}/${m[2]} is neither rendered, created by a rendered operator, nor declared external` });
          })));
    }
    return out;
  },
};
