import { containerName, eachContainer, podCheck } from '../../lib/pss.ts';
import type { Rule } from '../../lib/rule.ts';
import { podControllers } from '../../lib/kyverno.ts';

export const rule: Rule = {
  id: 'pss-baseline/privileged',
  ruleset: 'pss-baseline',
  severity: 'error',
  title: 'Containers are not privileged',
  rationale: 'A privileged container has every capability and all host devices: it is root on the node.',
  fix: 'Remove securityContext.privileged from the container (or set it to false).',
  kyverno: {
    policy: 'disallow-privileged-containers',
    render: () => podControllers({
      name: 'privileged-containers',
      message: 'Privileged containers are not allowed (policy pss-baseline/privileged).',
      pattern: {
        spec: {
          '=(ephemeralContainers)': [{ '=(securityContext)': { '=(privileged)': 'false' } }],
          '=(initContainers)': [{ '=(securityContext)': { '=(privileged)': 'false' } }],
          containers: [{ '=(securityContext)': { '=(privileged)': 'false' } }],
        },
      },
    }),
  },
  check: podCheck((pod) =>
    eachContainer(pod, (c) =>
      c.c.securityContext?.privileged === true
        ? { path: [...c.path, 'securityContext', 'privileged'], message: `${containerName(c)} is privileged` }
        : null,
    ),
  ),
};
