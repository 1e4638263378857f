// Kyverno ClusterPolicies rendered from the policy catalog (policy-tests/rules/), so admission in the cluster
// enforces the same rules as CI. Rules Kyverno cannot express are marked CI-only in the catalog, with a reason.
import { CATALOG } from '../../policy-tests/rules/index.ts';
import { KUBE_SYSTEM_NAMESPACE } from '../core/kubernetes.ts';
import { platformLabels, POLICIES_COMPONENT } from '../core/labels.ts';
import type { LoadedModel } from '../../model/loaded.ts';
import type { Generator, OutputFile } from '../core/types.ts';

/** Annotation naming the catalog rule a ClusterPolicy enforces. */
export const POLICY_RULE_ANNOTATION = 'gamemetrics.dev/policy-rule';

export const kyvernoPolicies: Generator = ({ model }) => {
  const kyvernoNamespace = kyvernoNamespaceOf(model);
  const input = { approvedRegistries: [...model.policies.approvedRegistries], kyvernoNamespace, imageSigning: { ...model.policies.imageSigning } };
  // Operators installed from upstream charts run upstream images in their own namespaces; CI cannot check
  // what a chart renders, so admission rules leave those namespaces (and kube-system) alone.
  const excluded = [...new Set([KUBE_SYSTEM_NAMESPACE, ...model.components.filter((c) => c.chart).map((c) => c.namespace)])].sort();
  const out: OutputFile[] = [];
  for (const rule of CATALOG) {
    if (!('policy' in rule.kyverno)) continue;
    const spec = rule.kyverno.render(input);
    out.push({
      path: `platform/${POLICIES_COMPONENT}/clusterpolicy-${rule.kyverno.policy}.yaml`,
      source: rule.id,
      object: {
        apiVersion: 'kyverno.io/v1',
        kind: 'ClusterPolicy',
        metadata: {
          name: rule.kyverno.policy,
          labels: platformLabels(model, POLICIES_COMPONENT),
          annotations: {
            'policies.kyverno.io/title': rule.title,
            'policies.kyverno.io/category': rule.ruleset,
            'policies.kyverno.io/severity': rule.severity === 'error' ? 'high' : 'medium',
            'policies.kyverno.io/subject': subjectOf(spec),
            'policies.kyverno.io/description': `${rule.rationale} Fix: ${rule.fix}`,
            [POLICY_RULE_ANNOTATION]: rule.id,
          },
        },
        spec: withExclusions(spec, excluded),
      },
    });
  }
  return out;
};

/** The kinds the policy's rules match, for its subject annotation. */
function subjectOf(spec: Record<string, unknown>): string {
  const rules = (spec.rules as Array<{ match?: { any?: Array<{ resources?: { kinds?: string[] } }> } }> | undefined) ?? [];
  return [...new Set(rules.flatMap((r) => r.match?.any?.flatMap((m) => m.resources?.kinds ?? []) ?? []))].join(', ');
}

function withExclusions(spec: Record<string, unknown> | undefined, namespaces: string[]): Record<string, unknown> {
  const rules = (spec?.rules as Array<Record<string, unknown>> | undefined) ?? [];
  return { ...spec, rules: rules.map((r) => ({ ...r, exclude: { any: [{ resources: { namespaces } }] } })) };
}

/** Namespace Kyverno runs in: the kyverno component's. */
export function kyvernoNamespaceOf(model: LoadedModel): string {
  return model.components.find((c) => c.name === 'kyverno')?.namespace ?? 'kyverno';
}
