import { containerName, eachContainer, podCheck, PSA_ENFORCED, type PssFinding } from '../../lib/pss.ts';
import type { Rule } from '../../lib/rule.ts';
import { isWindows } from '../../lib/workloads.ts';

export const rule: Rule = {
  id: 'pss-restricted/capabilities',
  ruleset: 'pss-restricted',
  severity: 'error',
  title: 'Containers drop ALL capabilities and add back at most NET_BIND_SERVICE',
  rationale: 'The default capability set still includes powers (NET_RAW, CHOWN, SETUID) that an application does not need.',
  fix: 'Set securityContext.capabilities.drop: [ALL]; add only NET_BIND_SERVICE if the process binds a port below 1024.',
  kyverno: PSA_ENFORCED,
  check: podCheck((pod) =>
    isWindows(pod)
      ? []
      : eachContainer(pod, (c) => {
          const caps = c.c.securityContext?.capabilities ?? {};
          const out: PssFinding[] = [];
          const drop: unknown[] = Array.isArray(caps.drop) ? caps.drop : [];
          if (!drop.includes('ALL')) out.push({ path: [...c.path, 'securityContext', 'capabilities', 'drop'], message: `${containerName(c)} does not drop ALL capabilities` });
          (Array.isArray(caps.add) ? caps.add : []).forEach((cap: unknown, i: number) => {
            if (cap !== 'NET_BIND_SERVICE') out.push({ path: [...c.path, 'securityContext', 'capabilities', 'add', i], message: `${containerName(c)} adds capability ${String(cap)}` });
          });
          return out;
        }),
  ),
};
