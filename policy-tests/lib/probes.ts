// Shared check of the probe rules: every regular container of a long-running workload has the probe.
import { containerName } from './pss.ts';
import { perDocument, type Rule } from './rule.ts';
import { containersOf, LONG_RUNNING_KINDS, podOf } from './workloads.ts';

export function missingProbe(field: 'readinessProbe' | 'livenessProbe', what: string): Rule['check'] {
  return perDocument((doc) => {
    const pod = podOf(doc);
    if (!pod || !LONG_RUNNING_KINDS.has(String(doc.data.kind))) return [];
    return containersOf(pod)
      .filter((c) => c.type === 'containers' && !c.c[field])
      .map((c) => ({ path: [...c.path, field], message: `${containerName(c)} has no ${what} probe` }));
  });
}
