// Who calls whom: `calledBy` derived from every service's `calls`; only long-running services can be called.
import type { LoadedService } from '../loaded.ts';
import { type LoadContext, report } from './context.ts';

export function deriveCalledBy(context: LoadContext, services: LoadedService[]): void {
  const callers = new Map<string, LoadedService[]>();
  for (const caller of services) {
    for (const callee of caller.calls) callers.set(callee, [...(callers.get(callee) ?? []), caller]);
  }
  for (const callee of services) {
    callee.calledBy = (callers.get(callee.name) ?? []).map((s) => s.name).sort();
    if (callee.calledBy.length > 0 && callee.url === null) {
      for (const caller of callers.get(callee.name)!) {
        report(context, ['tenants', caller.tenant, 'services', caller.name, 'calls', caller.calls.indexOf(callee.name)], `"${callee.name}" is a ${callee.kind} and serves no requests`, 'only call long-running services');
      }
    }
  }
}
