import { containerName, eachContainer, podCheck } from '../../lib/pss.ts';
import type { Rule } from '../../lib/rule.ts';

export const rule: Rule = {
  id: 'best-practices/read-only-root-filesystem',
  ruleset: 'best-practices',
  severity: 'error',
  title: 'Containers run with a read-only root file system',
  rationale: 'An attacker who gets code execution cannot drop tools or change binaries in a read-only file system.',
  fix: 'Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the process must write (/tmp).',
  kyverno: { ciOnly: 'generated workloads always set it; admission would block third-party charts that need a writable root' },
  check: podCheck((pod) =>
    eachContainer(pod, (c) =>
      c.type !== 'ephemeralContainers' && c.c.securityContext?.readOnlyRootFilesystem !== true
        ? { path: [...c.path, 'securityContext', 'readOnlyRootFilesystem'], message: `${containerName(c)} has a writable root file system` }
        : null,
    ),
  ),
};
