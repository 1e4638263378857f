import { podCheck, PSA_ENFORCED } from '../../lib/pss.ts';
import type { Rule } from '../../lib/rule.ts';

export const rule: Rule = {
  id: 'pss-baseline/host-namespaces',
  ruleset: 'pss-baseline',
  severity: 'error',
  title: 'Pods do not share the host network, PID or IPC namespace',
  rationale: "Sharing the node's namespaces lets a pod see and reach every process and socket on the node.",
  fix: 'Remove hostNetwork, hostPID and hostIPC from the pod spec (or set them to false).',
  kyverno: PSA_ENFORCED,
  check: podCheck((pod) =>
    (['hostNetwork', 'hostPID', 'hostIPC'] as const)
      .filter((f) => pod.spec[f] === true)
      .map((f) => ({ path: [...pod.specPath, f], message: `${f} is true: the pod shares the node's namespace` })),
  ),
};
