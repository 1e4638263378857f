// Service level objectives: unique names, a threshold exactly for latency SLOs, none on cron jobs.
import type { LoadedSlo } from '../loaded.ts';
import type { PathSegment } from '../problems.ts';
import type { SloSpec } from '../spec.ts';
import { type LoadContext, noDuplicates, report } from './context.ts';
import { DEFAULT_SLO_WINDOW } from './defaults.ts';

export function loadSlos(context: LoadContext, path: PathSegment[], slos: SloSpec[], isCron: boolean): LoadedSlo[] {
  noDuplicates(context, path, slos.map((s) => s.name));
  return slos.map((slo, i) => {
    if (slo.objective >= 100) report(context, [...path, i, 'objective'], `objective ${slo.objective} leaves no error budget`, 'an objective is a percentage below 100, such as 99.9');
    if (slo.kind === 'latency' && slo.thresholdMs === undefined) report(context, [...path, i, 'thresholdMs'], 'a latency SLO needs a positive thresholdMs');
    if (slo.kind === 'availability' && slo.thresholdMs !== undefined) report(context, [...path, i, 'thresholdMs'], 'only latency SLOs have a threshold');
    if (isCron) report(context, [...path, i], 'cron jobs serve no requests to measure', 'remove the SLO');
    return { name: slo.name, kind: slo.kind, objective: slo.objective, window: slo.window ?? DEFAULT_SLO_WINDOW, thresholdMs: slo.thresholdMs ?? null, description: slo.description };
  });
}
