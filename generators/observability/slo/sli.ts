// The SLI PromQL of every SLO, in one place: the recording rules (rules.ts) and the canary analysis
// (generators/delivery/analysis-templates.ts) both take their queries from here. An SLI is an error
// ratio, bad events over all events in a window; with no events in the window it has no value at all
// (never NaN), so zero traffic records nothing and raises nothing.
import type { LoadedService, LoadedSlo } from '../../../model/loaded.ts';

/** The windows every SLO records its error ratio over (Sloth's), besides the SLO's own window. */
export const SLI_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;

/** The path service-kit serves its metrics on (apps/lib/server.ts): scrapes are not user traffic. */
export const METRICS_PATH = '/metrics';

/** Labels every SLO series carries. */
export interface SloLabels {
  tenant: string;
  service: string;
  slo: string;
}

export function sloLabels(service: LoadedService, slo: LoadedSlo): SloLabels {
  return { tenant: service.tenant, service: service.name, slo: slo.name };
}

/** `{tenant="…",service="…",slo="…"}`: selects one SLO's recorded series. */
export function sloSelector(labels: SloLabels): string {
  return `{tenant="${labels.tenant}",service="${labels.service}",slo="${labels.slo}"}`;
}

/** The windows an SLO's error ratio is recorded over: the fixed ones, then its own (once). */
export function sloWindows(slo: LoadedSlo): string[] {
  return (SLI_WINDOWS as readonly string[]).includes(slo.window) ? [...SLI_WINDOWS] : [...SLI_WINDOWS, slo.window];
}

/** Name of the error-ratio recording rule over `window`. */
export function errorRatioRecord(window: string): string {
  return `slo:sli_error:ratio_rate${window}`;
}

/** Freshness SLOs record, each evaluation, 1 when the lag is above the limit and 0 when not. */
export const FRESHNESS_BREACH_RECORD = 'slo:freshness_breach:bool';

/** The service's own series, as the ServiceMonitor's target labels name them. */
function targetMatchers(service: LoadedService): string {
  return `namespace="${service.namespace}",service="${service.name}"`;
}

/** The routes of a service that are not user traffic: the kubelet's probes and Prometheus' scrapes. */
export function notUserTraffic(service: LoadedService): string[] {
  return [...new Set([service.health?.liveness, service.health?.readiness, METRICS_PATH].filter((p): p is string => Boolean(p)))];
}

/** HTTP requests that are user traffic: not the kubelet's probes, not Prometheus' scrapes. */
function requestMatchers(service: LoadedService, extra: string): string {
  return `${targetMatchers(service)},route!~"${notUserTraffic(service).join('|')}"${extra ? `,${extra}` : ''}`;
}

/** `le` of a bucket boundary in seconds, matching both `1` and Prometheus 3's normalised `1.0`. */
export function bucketMatcher(seconds: number): string {
  const text = String(seconds);
  return Number.isInteger(seconds) ? `le=~"${text}|${text}\\\\.0"` : `le="${text}"`;
}

/** A ratio that exists only when the denominator is positive; a missing numerator counts as 0. */
function ratio(bad: string, total: string): string {
  return `(${bad} or vector(0)) / (${total} > 0)`;
}

/**
 * The SLO's error ratio over `window`, as PromQL. Availability: 5xx answers over all answers.
 * Latency: 1 − the share of answers within the threshold (the histogram's bucket at the threshold over
 * its count). Freshness: the share of evaluations in the window that found the lag above the limit
 * (the recorded `slo:freshness_breach:bool`, see `freshnessBreach`). `extraMatchers` narrows the request
 * series further (a canary analysis selects one pod template's pods); freshness ignores it.
 */
export function sliErrorRatio(service: LoadedService, slo: LoadedSlo, window: string, extraMatchers = ''): string {
  const requests = requestMatchers(service, extraMatchers);
  switch (slo.kind) {
    case 'availability':
      return ratio(`sum(rate(http_requests_total{${requests},status_code=~"5.."}[${window}]))`, `sum(rate(http_requests_total{${requests}}[${window}]))`);
    case 'latency': {
      const total = `sum(rate(http_request_duration_seconds_count{${requests}}[${window}]))`;
      const fast = `sum(rate(http_request_duration_seconds_bucket{${requests},${bucketMatcher(slo.thresholdMs! / 1000)}}[${window}]))`;
      return `1 - (${fast} / (${total} > 0))`;
    }
    case 'freshness':
      return `avg_over_time(${FRESHNESS_BREACH_RECORD}${sloSelector(sloLabels(service, slo))}[${window}])`;
  }
}

/**
 * Freshness SLOs: whether the consumer lag, summed over the partitions the service reads (each partition
 * counted once, whichever pod reports it), is above `maxConsumerLag` now: 1 or 0, and nothing while no
 * pod reports a lag.
 */
export function freshnessBreach(service: LoadedService, slo: LoadedSlo): string {
  return `sum(max by (topic, partition) (kafka_consumer_lag{${targetMatchers(service)}})) > bool ${slo.maxConsumerLag}`;
}

/** The SLI kinds a canary analysis can judge: what the new pods answer. Freshness is the whole consumer group's. */
export function isRequestSli(slo: LoadedSlo): boolean {
  return slo.kind === 'availability' || slo.kind === 'latency';
}

/** The error budget, 1 − objective, as a ratio without float noise (99.9 → 0.001). */
export function errorBudget(slo: LoadedSlo): number {
  return Number((1 - slo.objective / 100).toPrecision(12));
}

/** The objective as a ratio (99.9 → 0.999). */
export function objectiveRatio(slo: LoadedSlo): number {
  return Number((slo.objective / 100).toPrecision(12));
}
