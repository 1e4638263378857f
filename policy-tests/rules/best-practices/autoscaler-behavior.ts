import { perDocument, type Rule } from '../../lib/rule.ts';

interface ScalingRules {
  stabilizationWindowSeconds?: number;
  policies?: Array<{ type?: string; value?: number; periodSeconds?: number }>;
}

export const rule: Rule = {
  id: 'best-practices/autoscaler-behavior',
  ruleset: 'best-practices',
  severity: 'error',
  title: 'HorizontalPodAutoscalers state how fast they scale up and down, and wait before scaling down',
  rationale: 'Left to the defaults, an autoscaler may remove every extra pod within a minute of a dip and add them back at the next burst; written out, the pace is reviewed like any other setting.',
  fix: 'Set spec.behavior.scaleUp.policies, spec.behavior.scaleDown.policies and a positive spec.behavior.scaleDown.stabilizationWindowSeconds (in the model: scaling.autoscale.behavior, defaults in model/load/defaults.ts).',
  kyverno: {
    policy: 'require-autoscaler-behavior',
    render: () => ({
      validationFailureAction: 'Enforce',
      background: true,
      rules: [{
        name: 'autoscaler-behavior',
        match: { any: [{ resources: { kinds: ['HorizontalPodAutoscaler'] } }] },
        validate: {
          message: 'HorizontalPodAutoscalers must set scale-up and scale-down policies and a scale-down stabilization window (policy best-practices/autoscaler-behavior).',
          pattern: { spec: { behavior: { scaleUp: { policies: [{ type: '?*', value: '>0', periodSeconds: '>0' }] }, scaleDown: { stabilizationWindowSeconds: '>0', policies: [{ type: '?*', value: '>0', periodSeconds: '>0' }] } } } },
        },
      }],
    }),
  },
  check: perDocument((doc) => {
    if (doc.data.kind !== 'HorizontalPodAutoscaler') return [];
    const behavior = (doc.data.spec as { behavior?: { scaleUp?: ScalingRules; scaleDown?: ScalingRules } } | undefined)?.behavior;
    const out: Array<{ path: Array<string | number>; message: string }> = [];
    for (const direction of ['scaleUp', 'scaleDown'] as const) {
      const policies = behavior?.[direction]?.policies;
      if (!policies?.length) out.push({ path: ['spec', 'behavior', direction, 'policies'], message: `no ${direction === 'scaleUp' ? 'scale-up' : 'scale-down'} policies: Kubernetes' defaults apply` });
    }
    if (!((behavior?.scaleDown?.stabilizationWindowSeconds ?? 0) > 0)) {
      out.push({ path: ['spec', 'behavior', 'scaleDown', 'stabilizationWindowSeconds'], message: 'no scale-down stabilization window: pods go at the first dip' });
    }
    return out;
  }),
};
