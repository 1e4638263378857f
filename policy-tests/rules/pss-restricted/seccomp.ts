import { containerName, eachContainer, podCheck, PSA_ENFORCED } from '../../lib/pss.ts';
import type { Rule } from '../../lib/rule.ts';
import { isWindows } from '../../lib/workloads.ts';

const OK = new Set(['RuntimeDefault', 'Localhost']);

export const rule: Rule = {
  id: 'pss-restricted/seccomp',
  ruleset: 'pss-restricted',
  severity: 'error',
  title: 'A seccomp profile (RuntimeDefault or Localhost) is set',
  rationale: 'Without a seccomp profile a container may call every system call; the restricted profile requires one explicitly.',
  fix: 'Set spec.securityContext.seccompProfile.type: RuntimeDefault on the pod (pod template).',
  kyverno: PSA_ENFORCED,
  check: podCheck((pod) => {
    if (isWindows(pod)) return [];
    const podType = pod.spec.securityContext?.seccompProfile?.type;
    return eachContainer(pod, (c) => {
      const t = c.c.securityContext?.seccompProfile?.type;
      if (t === undefined ? OK.has(podType) : OK.has(t)) return null;
      const why = t === undefined ? (podType === undefined ? 'sets no seccomp profile (nor does the pod)' : `inherits seccomp profile ${String(podType)}`) : `sets seccomp profile ${String(t)}`;
      return { path: [...c.path, 'securityContext', 'seccompProfile', 'type'], message: `${containerName(c)} ${why}` };
    });
  }),
};
