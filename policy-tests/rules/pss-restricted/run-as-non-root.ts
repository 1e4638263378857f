import { containerName, eachContainer, podCheck, PSA_ENFORCED } from '../../lib/pss.ts';
import type { Rule } from '../../lib/rule.ts';

export const rule: Rule = {
  id: 'pss-restricted/run-as-non-root',
  ruleset: 'pss-restricted',
  severity: 'error',
  title: 'Containers must run as non-root (runAsNonRoot: true)',
  rationale: 'runAsNonRoot makes the kubelet refuse to start a container whose image would run as root.',
  fix: 'Set securityContext.runAsNonRoot: true on the pod (or on every container), and never false on a container.',
  kyverno: PSA_ENFORCED,
  check: podCheck((pod) => {
    const podLevel = pod.spec.securityContext?.runAsNonRoot;
    const podFalse = podLevel === false ? [{ path: [...pod.specPath, 'securityContext', 'runAsNonRoot'], message: 'the pod sets runAsNonRoot: false' }] : [];
    return [...podFalse, ...eachContainer(pod, (c) => {
      const v = c.c.securityContext?.runAsNonRoot;
      if (v === false) return { path: [...c.path, 'securityContext', 'runAsNonRoot'], message: `${containerName(c)} sets runAsNonRoot: false` };
      if (v !== true && podLevel !== true) return { path: [...c.path, 'securityContext', 'runAsNonRoot'], message: `${containerName(c)} may run as root: set runAsNonRoot: true on the pod or the container` };
      return null;
    })];
  }),
};
