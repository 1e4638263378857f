import { podCheck, PSA_ENFORCED } from '../../lib/pss.ts';
import type { Rule } from '../../lib/rule.ts';

/** Namespaced sysctls the baseline profile allows (Kubernetes v1.34). */
export const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
]);

export const rule: Rule = {
  id: 'pss-baseline/sysctls',
  ruleset: 'pss-baseline',
  severity: 'error',
  title: 'Pods set only safe sysctls',
  rationale: 'Unsafe sysctls change kernel behaviour for the whole node, not only for the pod.',
  fix: 'Remove the sysctl from securityContext.sysctls, or use one of the safe set.',
  kyverno: PSA_ENFORCED,
  check: podCheck((pod) =>
    (Array.isArray(pod.spec.securityContext?.sysctls) ? pod.spec.securityContext.sysctls : []).flatMap((s: { name?: string }, i: number) =>
      SAFE_SYSCTLS.has(String(s?.name)) ? [] : [{ path: [...pod.specPath, 'securityContext', 'sysctls', i, 'name'], message: `sysctl ${String(s?.name)} is not in the safe set` }],
    ),
  ),
};
