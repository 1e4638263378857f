import { containerName, eachContainer, podCheck, PSA_ENFORCED } from '../../lib/pss.ts';
import type { Rule } from '../../lib/rule.ts';

export const rule: Rule = {
  id: 'pss-baseline/proc-mount',
  ruleset: 'pss-baseline',
  severity: 'error',
  title: 'Containers use the default /proc mount',
  rationale: 'An Unmasked /proc exposes kernel interfaces that the default mask hides from containers.',
  fix: 'Remove securityContext.procMount (or set it to Default).',
  kyverno: PSA_ENFORCED,
  check: podCheck((pod) =>
    eachContainer(pod, (c) => {
      const v = c.c.securityContext?.procMount;
      return v !== undefined && v !== 'Default' ? { path: [...c.path, 'securityContext', 'procMount'], message: `${containerName(c)} uses procMount ${String(v)}` } : null;
    }),
  ),
};
