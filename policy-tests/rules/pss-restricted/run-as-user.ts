import { containerName, eachContainer, podCheck, PSA_ENFORCED } from '../../lib/pss.ts';
import type { Rule } from '../../lib/rule.ts';

export const rule: Rule = {
  id: 'pss-restricted/run-as-user',
  ruleset: 'pss-restricted',
  severity: 'error',
  title: 'Pods and containers do not set runAsUser: 0',
  rationale: 'User id 0 is root, whatever runAsNonRoot says on another level.',
  fix: 'Remove runAsUser: 0, or set a non-zero user id (10001).',
  kyverno: PSA_ENFORCED,
  check: podCheck((pod) => [
    ...(pod.spec.securityContext?.runAsUser === 0 ? [{ path: [...pod.specPath, 'securityContext', 'runAsUser'], message: 'the pod runs as user 0 (root)' }] : []),
    ...eachContainer(pod, (c) =>
      c.c.securityContext?.runAsUser === 0 ? { path: [...c.path, 'securityContext', 'runAsUser'], message: `${containerName(c)} runs as user 0 (root)` } : null,
    ),
  ]),
};
