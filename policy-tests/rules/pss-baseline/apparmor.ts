import { containerName, eachContainer, podCheck, PSA_ENFORCED, type PssFinding } from '../../lib/pss.ts';
import type { Rule } from '../../lib/rule.ts';

const ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

export const rule: Rule = {
  id: 'pss-baseline/apparmor',
  ruleset: 'pss-baseline',
  severity: 'error',
  title: 'AppArmor is not turned off',
  rationale: 'The runtime default AppArmor profile blocks writes to kernel interfaces; Unconfined removes that protection.',
  fix: 'Remove the appArmorProfile (or the AppArmor annotation), or set its type to RuntimeDefault or Localhost.',
  kyverno: PSA_ENFORCED,
  check: podCheck((pod) => {
    const out: PssFinding[] = [];
    const bad = (t: unknown) => t !== undefined && t !== 'RuntimeDefault' && t !== 'Localhost';
    const podType = pod.spec.securityContext?.appArmorProfile?.type;
    if (bad(podType)) out.push({ path: [...pod.specPath, 'securityContext', 'appArmorProfile', 'type'], message: `the pod's AppArmor profile is ${String(podType)}` });
    out.push(
      ...eachContainer(pod, (c) => {
        const t = c.c.securityContext?.appArmorProfile?.type;
        return bad(t) ? { path: [...c.path, 'securityContext', 'appArmorProfile', 'type'], message: `${containerName(c)} has AppArmor profile ${String(t)}` } : null;
      }),
    );
    for (const [key, value] of Object.entries<string>(pod.meta.annotations ?? {})) {
      if (key.startsWith(ANNOTATION) && value !== 'runtime/default' && !String(value).startsWith('localhost/')) {
        out.push({ path: [...pod.metaPath, 'annotations', key], message: `AppArmor annotation sets ${key.slice(ANNOTATION.length)} to ${value}` });
      }
    }
    return out;
  }),
};
