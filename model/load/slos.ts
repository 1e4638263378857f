// Service level objectives: unique names, the field each kind needs and no other, latency thresholds on a
// bucket of the request-duration histogram, request SLIs only where requests are served, none on cron jobs.
import { HTTP_DURATION_BUCKETS_SECONDS, HTTP_DURATION_BUCKETS_SOURCE } from '../../apps/lib/http-buckets.ts';
import type { LoadedSlo } from '../loaded.ts';
import type { PathSegment } from '../problems.ts';
import type { ServiceKind, SloSpec } from '../spec.ts';
import { type LoadContext, noDuplicates, report } from './context.ts';
import { DEFAULT_SLO_WINDOW } from './defaults.ts';

const bucketsMs = HTTP_DURATION_BUCKETS_SECONDS.map((s) => Math.round(s * 1e6) / 1e3);

/** The nearest bucket boundaries below and above `ms`, for the hint. */
function nearestBuckets(ms: number): string {
  const below = bucketsMs.filter((b) => b < ms).at(-1);
  const above = bucketsMs.find((b) => b > ms);
  return [below, above].filter((b) => b !== undefined).map((b) => `${b}`).join(' or ');
}

export function loadSlos(context: LoadContext, path: PathSegment[], slos: SloSpec[], service: { kind: ServiceKind; consumes: number }): LoadedSlo[] {
  noDuplicates(context, path, slos.map((s) => s.name));
  const isCron = service.kind === 'cron-job';
  return slos.map((slo, i) => {
    const at = (field?: string): PathSegment[] => (field ? [...path, i, field] : [...path, i]);
    if (slo.objective >= 100) report(context, at('objective'), `objective ${slo.objective} leaves no error budget`, 'an objective is a percentage below 100, such as 99.9');
    if (slo.kind === 'latency') {
      if (slo.thresholdMs === undefined) report(context, at('thresholdMs'), 'a latency SLO needs a positive thresholdMs');
      else if (!bucketsMs.includes(slo.thresholdMs))
        report(context, at('thresholdMs'), `${slo.thresholdMs} ms is not a bucket boundary of http_request_duration_seconds (${HTTP_DURATION_BUCKETS_SOURCE} exports ${bucketsMs.join(', ')} ms), so no series counts the requests within it`,
          `use ${nearestBuckets(slo.thresholdMs)}, or add ${slo.thresholdMs / 1000} to HTTP_DURATION_BUCKETS_SECONDS in ${HTTP_DURATION_BUCKETS_SOURCE}`);
    } else if (slo.thresholdMs !== undefined) report(context, at('thresholdMs'), 'only latency SLOs have a threshold', 'remove thresholdMs');
    if (slo.kind === 'freshness') {
      if (slo.maxConsumerLag === undefined) report(context, at('maxConsumerLag'), 'a freshness SLO needs maxConsumerLag (messages)');
      if (service.consumes === 0 && !isCron) report(context, at(), 'a freshness SLO measures consumer lag, and this service consumes no topic', 'declare consumes, or use an availability or latency SLO');
    } else {
      if (slo.maxConsumerLag !== undefined) report(context, at('maxConsumerLag'), 'only freshness SLOs have maxConsumerLag', 'remove maxConsumerLag');
      if (service.kind === 'kafka-worker') report(context, at('kind'), `a kafka-worker serves no requests but probes, so a ${slo.kind} SLO would measure nothing`, "use kind: 'freshness' with maxConsumerLag");
    }
    if (isCron) report(context, at(), 'cron jobs serve no requests to measure', 'remove the SLO');
    return {
      name: slo.name, kind: slo.kind, objective: slo.objective, window: slo.window ?? DEFAULT_SLO_WINDOW,
      thresholdMs: slo.thresholdMs ?? null, maxConsumerLag: slo.maxConsumerLag ?? null, description: slo.description,
    };
  });
}
