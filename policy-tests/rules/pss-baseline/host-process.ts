import { containerName, eachContainer, podCheck, PSA_ENFORCED } from '../../lib/pss.ts';
import type { Rule } from '../../lib/rule.ts';

export const rule: Rule = {
  id: 'pss-baseline/host-process',
  ruleset: 'pss-baseline',
  severity: 'error',
  title: 'Windows HostProcess containers are not allowed',
  rationale: 'A HostProcess container runs directly on the Windows node with host privileges; it bypasses every other isolation control.',
  fix: 'Remove securityContext.windowsOptions.hostProcess (or set it to false) on the pod and on every container.',
  kyverno: PSA_ENFORCED,
  check: podCheck((pod) => [
    ...(pod.spec.securityContext?.windowsOptions?.hostProcess === true
      ? [{ path: [...pod.specPath, 'securityContext', 'windowsOptions', 'hostProcess'], message: 'the pod runs as a Windows HostProcess' }]
      : []),
    ...eachContainer(pod, (c) =>
      c.c.securityContext?.windowsOptions?.hostProcess === true
        ? { path: [...c.path, 'securityContext', 'windowsOptions', 'hostProcess'], message: `${containerName(c)} runs as a Windows HostProcess` }
        : null,
    ),
  ]),
};
