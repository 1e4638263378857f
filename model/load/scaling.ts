// How many pods a service runs: its own scaling, the environment-wide autoscaling bounds, then the
// environment's per-service override. A conflict that the environment-wide bounds cause is collected
// (`envConflicts`) and reported once at the environment's line by loadServices.
import type { LoadedScaling } from '../loaded.ts';
import type { PathSegment } from '../problems.ts';
import type { ServiceSpec } from '../spec.ts';
import { type LoadContext, report } from './context.ts';
import { DEFAULT_AUTOSCALE, DEFAULT_AUTOSCALE_BEHAVIOR, DEFAULT_REPLICAS } from './defaults.ts';

type Source = 'default' | 'service' | 'environment' | 'override';

export function resolveScaling(
  context: LoadContext,
  at: { service: PathSegment[]; override: PathSegment[] },
  spec: ServiceSpec,
  override: ServiceSpec['scaling'],
  envConflicts: string[],
  name: string,
): LoadedScaling {
  const isHttp = spec.kind === 'http-api' || spec.kind === 'web-frontend';
  const chosen = override ?? spec.scaling ?? (isHttp ? { autoscale: {} } : { replicas: DEFAULT_REPLICAS });
  const path = [...(override ? at.override : at.service), 'scaling'];
  if ('replicas' in chosen) {
    if (spec.kind === 'cron-job' && chosen.replicas < 1) report(context, [...path, 'replicas'], `a cron job runs at least 1 replica, got ${chosen.replicas}`);
    return { mode: 'fixed', replicas: chosen.replicas };
  }
  if (spec.kind === 'cron-job') report(context, path, 'cron jobs cannot autoscale', 'remove scaling');
  const declared = spec.scaling && 'autoscale' in spec.scaling ? spec.scaling.autoscale : {};
  if (declared.minReplicas !== undefined && declared.maxReplicas !== undefined && declared.minReplicas > declared.maxReplicas) {
    report(context, [...at.service, 'scaling', 'autoscale'], `HPA minReplicas ${declared.minReplicas} is greater than maxReplicas ${declared.maxReplicas}`, 'raise maxReplicas or lower minReplicas');
    return { mode: 'autoscale', ...DEFAULT_AUTOSCALE, ...declared, behavior: { ...DEFAULT_AUTOSCALE_BEHAVIOR, ...declared.behavior } };
  }
  const envWide = context.env.autoscaling ?? {};
  const own = override && 'autoscale' in override ? override.autoscale : {};
  const merged = {
    ...DEFAULT_AUTOSCALE, ...chosen.autoscale, ...envWide, ...own,
    behavior: { ...DEFAULT_AUTOSCALE_BEHAVIOR, ...chosen.autoscale.behavior, ...envWide.behavior, ...own.behavior },
  };
  if (merged.minReplicas > merged.maxReplicas) {
    const source = (key: 'minReplicas' | 'maxReplicas'): Source =>
      own[key] !== undefined ? 'override' : envWide[key] !== undefined ? 'environment' : chosen.autoscale[key] !== undefined ? 'service' : 'default';
    const sources = [source('minReplicas'), source('maxReplicas')];
    if (sources.every((s) => s === 'environment')) {
      // The environment's own pair is wrong: loadEnvironment reports it once.
    } else if (sources.includes('environment') && !sources.includes('override')) {
      envConflicts.push(`${name} (${merged.minReplicas} > ${merged.maxReplicas})`);
    } else {
      report(context, [...path, 'autoscale'], `HPA minReplicas ${merged.minReplicas} is greater than maxReplicas ${merged.maxReplicas}`, 'raise maxReplicas or lower minReplicas');
    }
  }
  if (merged.requestsPerSecond !== null && !isHttp) {
    const written = own.requestsPerSecond !== undefined ? at.override : at.service;
    report(context, [...written, 'scaling', 'autoscale', 'requestsPerSecond'], `a ${spec.kind} answers no HTTP requests to count`, "remove requestsPerSecond (only http-api and web-frontend services export http_requests_total)");
  }
  return { mode: 'autoscale', ...merged };
}
