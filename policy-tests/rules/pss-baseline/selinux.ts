import { containerName, eachContainer, podCheck, PSA_ENFORCED, type PssFinding } from '../../lib/pss.ts';
import type { Rule } from '../../lib/rule.ts';
import type { Path } from '../../lib/workloads.ts';

const ALLOWED_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

function checkOptions(opts: Record<string, unknown> | undefined, path: Path, who: string): PssFinding[] {
  if (!opts || typeof opts !== 'object') return [];
  const out: PssFinding[] = [];
  if (opts.type !== undefined && !ALLOWED_TYPES.has(String(opts.type))) out.push({ path: [...path, 'type'], message: `${who} sets SELinux type ${String(opts.type)}` });
  for (const f of ['user', 'role'] as const) {
    if (opts[f] !== undefined && opts[f] !== '') out.push({ path: [...path, f], message: `${who} sets a custom SELinux ${f}` });
  }
  return out;
}

export const rule: Rule = {
  id: 'pss-baseline/selinux',
  ruleset: 'pss-baseline',
  severity: 'error',
  title: 'SELinux options use only the container types, no custom user or role',
  rationale: 'A custom SELinux type, user or role can lift the confinement the runtime applies to containers.',
  fix: 'Remove seLinuxOptions.user and .role; set seLinuxOptions.type only to container_t, container_init_t, container_kvm_t or container_engine_t.',
  kyverno: PSA_ENFORCED,
  check: podCheck((pod) => [
    ...checkOptions(pod.spec.securityContext?.seLinuxOptions, [...pod.specPath, 'securityContext', 'seLinuxOptions'], 'the pod'),
    ...eachContainer(pod, (c) => checkOptions(c.c.securityContext?.seLinuxOptions, [...c.path, 'securityContext', 'seLinuxOptions'], containerName(c))),
  ]),
};
