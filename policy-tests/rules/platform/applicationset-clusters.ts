import type { Doc } from '../../lib/documents.ts';
import { CLUSTER_SECRET_LABELS } from '../../../model/regions.ts';
import { perDocument, type Rule } from '../../lib/rule.ts';

type Generator = Record<string, { selector?: { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key?: string; operator?: string; values?: string[] }> }; elements?: Array<Record<string, unknown>>; generators?: Generator[] } | undefined>;
type Path = Array<string | number>;

/** The cluster names one generator (and the generators nested in a matrix or merge) names, or why it names none. */
function namedClusters(generator: Generator, path: Path, out: Array<{ path: Path; cluster: string | null; why?: string }>): void {
  for (const [type, spec] of Object.entries(generator)) {
    const at = [...path, type];
    if (type === 'matrix' || type === 'merge') {
      (spec?.generators ?? []).forEach((g, i) => namedClusters(g, [...at, 'generators', i], out));
    } else if (type === 'clusters') {
      const selector = spec?.selector ?? {};
      const byLabel = selector.matchLabels?.[CLUSTER_SECRET_LABELS.cluster];
      const byExpression = (selector.matchExpressions ?? []).findIndex((e) => e.key === CLUSTER_SECRET_LABELS.cluster && e.operator === 'In');
      if (byLabel !== undefined) out.push({ path: [...at, 'selector', 'matchLabels', CLUSTER_SECRET_LABELS.cluster], cluster: byLabel });
      else if (byExpression !== -1) (selector.matchExpressions![byExpression].values ?? []).forEach((c, i) => out.push({ path: [...at, 'selector', 'matchExpressions', byExpression, 'values', i], cluster: c }));
      else out.push({ path: [...at, 'selector'], cluster: null, why: `selects clusters without naming them (no ${CLUSTER_SECRET_LABELS.cluster} label or In expression): every cluster registered with matching labels would be deployed to` });
    } else if (type === 'list') {
      (spec?.elements ?? []).forEach((e, i) => {
        const name = typeof e.name === 'string' ? e.name : typeof e.cluster === 'string' ? e.cluster : null;
        out.push({ path: [...at, 'elements', i], cluster: name, ...(name === null ? { why: 'an element names no cluster (name or cluster)' } : {}) });
      });
    } else {
      out.push({ path: at, cluster: null, why: `a ${type} generator names no cluster` });
    }
  }
}

export const rule: Rule = {
  id: 'platform/applicationset-clusters',
  ruleset: 'platform',
  severity: 'error',
  title: 'Every ApplicationSet generator names a declared cluster',
  rationale: 'An ApplicationSet deploys to whatever its generators produce: a selector that names no cluster reaches every cluster someone registers with matching labels, and a name the environment does not declare deploys a region nobody reviewed.',
  fix: 'Select clusters by the gamemetrics.dev/cluster label (matchLabels, or an In expression listing them) and name only the clusters of the environment\'s regions (environments/<env>/index.ts `cluster` and `regions`).',
  kyverno: { ciOnly: 'which clusters an environment declares is a fact of the model, not of the cluster admission sees' },
  check: perDocument((doc: Doc, env) => {
    if (doc.data.kind !== 'ApplicationSet' || !String(doc.data.apiVersion).startsWith('argoproj.io/')) return [];
    const generators = ((doc.data.spec as { generators?: Generator[] } | undefined)?.generators ?? []);
    const named: Array<{ path: Path; cluster: string | null; why?: string }> = [];
    generators.forEach((g, i) => namedClusters(g, ['spec', 'generators', i], named));
    const declared = env.clusters ?? [];
    const where = env.name ? `environment ${env.name}` : 'the environment';
    return named.flatMap(({ path, cluster, why }) => {
      if (cluster === null) return [{ path, message: `ApplicationSet ${doc.data.metadata?.name}: ${why}` }];
      if (declared.includes(cluster)) return [];
      return [{ path, message: `ApplicationSet ${doc.data.metadata?.name} names cluster "${cluster}", which ${where} does not declare (declared: ${declared.join(', ') || 'none'})` }];
    });
  }),
};
