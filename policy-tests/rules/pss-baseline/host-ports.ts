import { containerName, eachContainer, podCheck, PSA_ENFORCED } from '../../lib/pss.ts';
import type { Rule } from '../../lib/rule.ts';

export const rule: Rule = {
  id: 'pss-baseline/host-ports',
  ruleset: 'pss-baseline',
  severity: 'error',
  title: 'Containers bind no host ports',
  rationale: 'A host port opens the node itself to traffic, bypassing Services and NetworkPolicies, and limits scheduling.',
  fix: 'Remove ports[].hostPort; expose the port through a Service.',
  kyverno: PSA_ENFORCED,
  check: podCheck((pod) =>
    eachContainer(pod, (c) =>
      (Array.isArray(c.c.ports) ? c.c.ports : []).flatMap((p: { hostPort?: number }, i: number) =>
        p?.hostPort ? [{ path: [...c.path, 'ports', i, 'hostPort'], message: `${containerName(c)} binds host port ${p.hostPort}` }] : [],
      ),
    ),
  ),
};
