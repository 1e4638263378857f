// Policy waivers: each needs a reason, an approver and an expiry that has not passed; those of this environment are kept.
import type { LoadedWaiver } from '../loaded.ts';
import { unknownNameHint } from '../problems.ts';
import { type LoadContext, report } from './context.ts';

export function loadWaivers(context: LoadContext, serviceNames: string[]): LoadedWaiver[] {
  return context.platform.policies.waivers.flatMap((w, i) => {
    const path = ['policies', 'waivers', i];
    if (w.reason.trim().length < 10) report(context, [...path, 'reason'], 'a waiver needs a reason (at least a sentence)', 'say why the exception is acceptable and what ends it');
    if (!w.approvedBy) report(context, [...path, 'approvedBy'], 'a waiver needs an approver');
    if (w.expires < context.today) {
      report(context, [...path, 'expires'], `waiver of ${w.rule} for ${w.target} expired on ${w.expires}`, 'fix the finding and remove the waiver, or renew it with a new approval');
    }
    if (!serviceNames.includes(w.target) && !/^[A-Za-z]+\/([a-z0-9-]*\/)?[a-z0-9.-]+$/.test(w.target)) {
      report(context, [...path, 'target'], `"${w.target}" is neither a service nor <kind>/<namespace>/<name> (<kind>/<name> for cluster objects)`, unknownNameHint(w.target, serviceNames));
    }
    if (w.environments && !w.environments.includes(context.env.name)) return [];
    return [{ rule: w.rule, target: w.target, environments: w.environments ? [...w.environments] : null, reason: w.reason, expires: w.expires, approvedBy: w.approvedBy, modelPath: `policies.waivers[${i}]` }];
  });
}
