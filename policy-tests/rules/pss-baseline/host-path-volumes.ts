import { podCheck, PSA_ENFORCED } from '../../lib/pss.ts';
import type { Rule } from '../../lib/rule.ts';

export const rule: Rule = {
  id: 'pss-baseline/host-path-volumes',
  ruleset: 'pss-baseline',
  severity: 'error',
  title: 'Pods mount no hostPath volumes',
  rationale: "A hostPath volume exposes the node's file system, including credentials and the container runtime socket.",
  fix: 'Use an emptyDir, a PersistentVolumeClaim, a ConfigMap or a Secret instead of hostPath.',
  kyverno: PSA_ENFORCED,
  check: podCheck((pod) =>
    (Array.isArray(pod.spec.volumes) ? pod.spec.volumes : []).flatMap((v: { name?: string; hostPath?: unknown }, i: number) =>
      v?.hostPath ? [{ path: [...pod.specPath, 'volumes', i, 'hostPath'], message: `volume "${v.name}" is a hostPath volume` }] : [],
    ),
  ),
};
