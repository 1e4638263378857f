import { containerName, eachContainer, podCheck, PSA_ENFORCED } from '../../lib/pss.ts';
import type { Rule } from '../../lib/rule.ts';

export const rule: Rule = {
  id: 'pss-baseline/seccomp',
  ruleset: 'pss-baseline',
  severity: 'error',
  title: 'Seccomp is not turned off',
  rationale: 'Unconfined seccomp lets a container call every system call, including the ones used in kernel exploits.',
  fix: 'Set seccompProfile.type to RuntimeDefault (or Localhost) instead of Unconfined.',
  kyverno: PSA_ENFORCED,
  check: podCheck((pod) => [
    ...(pod.spec.securityContext?.seccompProfile?.type === 'Unconfined'
      ? [{ path: [...pod.specPath, 'securityContext', 'seccompProfile', 'type'], message: 'the pod turns seccomp off (Unconfined)' }]
      : []),
    ...eachContainer(pod, (c) =>
      c.c.securityContext?.seccompProfile?.type === 'Unconfined'
        ? { path: [...c.path, 'securityContext', 'seccompProfile', 'type'], message: `${containerName(c)} turns seccomp off (Unconfined)` }
        : null,
    ),
  ]),
};
