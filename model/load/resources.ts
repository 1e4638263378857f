// Container resources: a named profile or explicit requests and limits, requests within limits.
import type { PathSegment } from '../problems.ts';
import { unknownNameHint } from '../problems.ts';
import { parseCpu, parseMemory } from '../quantities.ts';
import type { Resources } from '../spec.ts';
import { type LoadContext, report } from './context.ts';
import { DEFAULT_RESOURCE_PROFILE } from './defaults.ts';

/** The resources a profile name or explicit value stands for; `path` is where the value was written. */
export function resolveResources(context: LoadContext, path: PathSegment[], value: string | Resources): Resources {
  const profiles = context.platform.resourceProfiles;
  if (typeof value === 'string') {
    const profile = profiles[value];
    if (!profile) {
      report(context, [...path, 'resources'], `unknown resource profile "${value}"`, unknownNameHint(value, Object.keys(profiles)));
      return profiles[DEFAULT_RESOURCE_PROFILE];
    }
    return profile;
  }
  checkResources(context, [...path, 'resources'], value);
  return value;
}

/** Requests may not exceed limits (the quantities themselves were checked against the schema). */
export function checkResources(context: LoadContext, path: PathSegment[], value: Pick<Resources, 'requests' | 'limits'>): void {
  if ((parseCpu(value.requests.cpu) ?? 0) > (parseCpu(value.limits.cpu) ?? Infinity)) {
    report(context, [...path, 'requests', 'cpu'], `CPU request ${value.requests.cpu} exceeds the limit ${value.limits.cpu}`);
  }
  if ((parseMemory(value.requests.memory) ?? 0) > (parseMemory(value.limits.memory) ?? Infinity)) {
    report(context, [...path, 'requests', 'memory'], `memory request ${value.requests.memory} exceeds the limit ${value.limits.memory}`);
  }
}
