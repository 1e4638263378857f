import { containerName, eachContainer, podCheck, PSA_ENFORCED } from '../../lib/pss.ts';
import type { Rule } from '../../lib/rule.ts';

/** Capabilities the baseline profile allows adding. */
export const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD',
  'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

export const rule: Rule = {
  id: 'pss-baseline/capabilities',
  ruleset: 'pss-baseline',
  severity: 'error',
  title: 'Containers add no capabilities beyond the default set',
  rationale: 'Capabilities such as SYS_ADMIN or NET_ADMIN give a container powers over the node kernel.',
  fix: 'Remove the capability from securityContext.capabilities.add.',
  kyverno: PSA_ENFORCED,
  check: podCheck((pod) =>
    eachContainer(pod, (c) => {
      const add: unknown[] = c.c.securityContext?.capabilities?.add ?? [];
      return add.flatMap((cap, i) =>
        BASELINE_CAPABILITIES.has(String(cap)) ? [] : [{ path: [...c.path, 'securityContext', 'capabilities', 'add', i], message: `${containerName(c)} adds capability ${String(cap)}` }],
      );
    }),
  ),
};
