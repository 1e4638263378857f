import { containerName, eachContainer, podCheck, PSA_ENFORCED, type PssFinding } from '../../lib/pss.ts';
import type { Rule } from '../../lib/rule.ts';

const HANDLERS: Array<string[]> = [['livenessProbe'], ['readinessProbe'], ['startupProbe'], ['lifecycle', 'postStart'], ['lifecycle', 'preStop']];

export const rule: Rule = {
  id: 'pss-baseline/host-probes',
  ruleset: 'pss-baseline',
  severity: 'error',
  title: 'Probes and lifecycle hooks target the pod, not another host',
  rationale: 'A probe or hook with a host field makes the kubelet send requests to any address, a server-side request forgery vector.',
  fix: 'Remove the host field from httpGet and tcpSocket probes and lifecycle handlers.',
  kyverno: PSA_ENFORCED,
  check: podCheck((pod) =>
    eachContainer(pod, (c) => {
      const out: PssFinding[] = [];
      for (const h of HANDLERS) {
        let handler = c.c as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
        for (const seg of h) handler = handler?.[seg];
        for (const kind of ['httpGet', 'tcpSocket']) {
          const host = handler?.[kind]?.host;
          if (host !== undefined && host !== '') out.push({ path: [...c.path, ...h, kind, 'host'], message: `${containerName(c)} ${h.join('.')} targets host ${String(host)}` });
        }
      }
      return out;
    }),
  ),
};
