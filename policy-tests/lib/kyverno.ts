// Building blocks for the Kyverno side of catalog rules (rendered by generators/policies/kyverno-policies.ts).

/** A ClusterPolicy spec with one validate rule on Pods; Kyverno's auto-generation extends it to pod controllers. */
export function podControllers(r: { name: string; message: string; pattern?: object; deny?: object; foreach?: object[] }): Record<string, unknown> {
  const validate: Record<string, unknown> = { message: r.message };
  if (r.pattern) validate.pattern = r.pattern;
  if (r.foreach) validate.foreach = r.foreach;
  return {
    validationFailureAction: 'Enforce',
    background: true,
    rules: [{ name: r.name, match: { any: [{ resources: { kinds: ['Pod'] } }] }, validate }],
  };
}

/** Kyverno variable for every container image of a Pod (containers, init and ephemeral containers). */
export const ALL_CONTAINERS = [
  { list: 'request.object.spec.containers' },
  { list: 'request.object.spec.[initContainers, ephemeralContainers][]' },
];
