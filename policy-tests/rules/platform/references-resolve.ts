import { danglingReferences } from '../../lib/references.ts';
import type { Rule } from '../../lib/rule.ts';

export const rule: Rule = {
  id: 'platform/references-resolve',
  ruleset: 'platform',
  severity: 'error',
  title: 'Every reference resolves to a rendered object, an object a rendered operator creates, or a declared external',
  rationale: 'Argo CD syncs rendered/<env> into a cluster that runs only Argo CD: a pod whose Secret, ConfigMap, claim, namespace or issuer nothing creates waits forever, and so does the sync.',
  fix: 'Render what is referenced (in the model), or, when something outside this repository provides it, declare it in model/externals.ts with the reason (docs/externals.md).',
  kyverno: { ciOnly: 'a reference is resolved against everything one sync creates; admission sees one object at a time, often before its targets exist' },
  check: (ctx) => {
    // The engine runs a rule once per environment: every document here belongs to one.
    const env = ctx.docs.length > 0 ? ctx.envOf(ctx.docs[0]) : null;
    // A reference resolves anywhere in the environment: only a run over all of rendered/<env>/ can tell.
    if (!env?.complete) return [];
    return danglingReferences(ctx.docs, env.externals ?? []).map((d) => ({ doc: d.doc, path: d.path, message: d.message }));
  },
};
