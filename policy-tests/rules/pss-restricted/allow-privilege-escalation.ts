import { podControllers } from '../../lib/kyverno.ts';
import { containerName, eachContainer, podCheck } from '../../lib/pss.ts';
import type { Rule } from '../../lib/rule.ts';
import { isWindows } from '../../lib/workloads.ts';

export const rule: Rule = {
  id: 'pss-restricted/allow-privilege-escalation',
  ruleset: 'pss-restricted',
  severity: 'error',
  title: 'Containers set allowPrivilegeEscalation: false',
  rationale: 'Without it a process can gain more privileges than its parent (setuid binaries, file capabilities).',
  fix: 'Set securityContext.allowPrivilegeEscalation: false on every container, init container and ephemeral container.',
  kyverno: {
    policy: 'disallow-privilege-escalation',
    render: () =>
      podControllers({
        name: 'privilege-escalation',
        message: 'Containers must set securityContext.allowPrivilegeEscalation to false (policy pss-restricted/allow-privilege-escalation).',
        pattern: {
          spec: {
            '=(ephemeralContainers)': [{ securityContext: { allowPrivilegeEscalation: 'false' } }],
            '=(initContainers)': [{ securityContext: { allowPrivilegeEscalation: 'false' } }],
            containers: [{ securityContext: { allowPrivilegeEscalation: 'false' } }],
          },
        },
      }),
  },
  check: podCheck((pod) =>
    isWindows(pod)
      ? []
      : eachContainer(pod, (c) =>
          c.c.securityContext?.allowPrivilegeEscalation !== false
            ? { path: [...c.path, 'securityContext', 'allowPrivilegeEscalation'], message: `${containerName(c)} does not set allowPrivilegeEscalation: false` }
            : null,
        ),
  ),
};
